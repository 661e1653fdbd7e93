"""The code's rooms, as the README's "Where things live" describes them: imports point
one way, no module is too big to read, and no package holds a single module.

These read the source (every ``import``, at module or function level, type-checking
imports included); nothing is imported or run.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("articles", "sources", "newsroom")
# The wording and rules every room uses: at the bottom, importing nothing of the app.
SHARED_RULES = {"articles.labels", "articles.sanitize", "articles.images", "articles.querysets"}
MAX_LINES = 400
MAX_FLAT_LINES = 150


def python_files(*tops: str) -> list[Path]:
    return sorted(
        path
        for top in tops
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in python_files(*APPS)}


def resolve(name: str) -> str | None:
    """The project module ``name`` refers to: itself, or the module or package holding it."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # `from pkg import mod` imports the module pkg.mod when there is one.
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for name in names if (target := resolve(name))}
    return found


GRAPH = {
    module: imports_of(path) - {module}
    for module, path in MODULES.items()
    if not module.startswith("newsroom.settings")
}


def room(module: str) -> str:
    """The package a module lives in (``articles.publishing``), or the module itself when
    it sits at the top of its app (``articles.labels``)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_imports_that_matter():
    # A guard for the tests below: if resolution broke, every graph would look acyclic.
    assert "articles.models" in GRAPH["articles.publishing.workflow"]
    assert "articles.models.article" in GRAPH["articles.models"]
    assert "articles.publishing.workflow" in GRAPH["articles.admin.article"]
    assert "sources.citations" in GRAPH["sources.models"]


def test_no_module_imports_a_module_that_imports_it_back():
    assert cycles(GRAPH) == []


def test_the_rooms_depend_on_each_other_one_way():
    rooms: dict[str, set[str]] = defaultdict(set)
    for module, targets in GRAPH.items():
        rooms[room(module)] |= {room(t) for t in targets if room(t) != room(module)}
    assert cycles(rooms) == []


def test_sources_never_imports_articles():
    offending = {
        module: sorted(t for t in targets if t.startswith("articles"))
        for module, targets in GRAPH.items()
        if module.startswith("sources")
    }
    assert {module: targets for module, targets in offending.items() if targets} == {}


@pytest.mark.parametrize("module", sorted(SHARED_RULES))
def test_shared_rules_import_nothing_from_the_app(module):
    assert {t for t in GRAPH[module] if t.startswith(APPS)} == set()


def lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_no_module_is_too_long_to_read():
    too_long = {
        str(path.relative_to(ROOT)): lines(path)
        for path in python_files(*APPS, "tests", "bench")
        if lines(path) > MAX_LINES
    }
    assert too_long == {}


def test_flat_modules_at_the_top_of_articles_stay_small_except_the_shared_rules():
    too_long = {
        path.name: lines(path)
        for path in (ROOT / "articles").glob("*.py")
        if module_name(path) not in SHARED_RULES and lines(path) > MAX_FLAT_LINES
    }
    assert too_long == {}


def test_no_package_holds_a_single_module():
    # management/ is Django's fixed shape (commands/ inside it), not a room of ours; so is
    # newsroom/formats/ (FORMAT_MODULE_PATH: <language>/formats.py).
    lonely = []
    for init in (ROOT / app / "__init__.py" for app in APPS):
        for package in [init.parent, *(p.parent for p in init.parent.rglob("*/__init__.py"))]:
            if {"migrations", "management", "commands", "formats"} & set(package.parts):
                continue
            members = [p for p in package.iterdir() if p.name != "__init__.py"]
            modules = [p for p in members if p.suffix == ".py" or (p / "__init__.py").exists()]
            if package != init.parent and len(modules) < 2:
                lonely.append(str(package.relative_to(ROOT)))
    assert lonely == []
