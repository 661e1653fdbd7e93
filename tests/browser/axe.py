"""Accessibility checks with axe-core, injected into the page under test.

axe-core comes from npm (pinned in package.json, installed by `make browser`);
nothing is fetched while the tests run.
"""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what public-sector and most publishers' rules ask.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Serious and critical violations fail a test; moderate and minor ones do not.
BLOCKING = {"serious", "critical"}


def run_axe(page, *, rules: list[str] | None = None) -> list[dict]:
    """axe's WCAG A/AA violations on ``page`` as it is now, each with the nodes it found;
    or, given ``rules``, the violations of just those rules (best-practice ones included)."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: `make browser` installs axe-core from npm")
    # Once per document: a navigation drops it, a second injection would redefine it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # As a script of this site's own (the Content-Security-Policy refuses inline ones).
        page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE_JS))
        page.add_script_tag(url=AXE_URL)
    run_only = {"type": "rule", "values": rules} if rules else WCAG_TAGS
    return page.evaluate(
        "runOnly => axe.run(document, {runOnly}).then(results => results.violations)", run_only
    )


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict], *, where: str = "") -> str:
    """Violations as someone fixing them needs them: rule, impact, help link, each element."""
    lines = [f"{len(violations)} accessibility violation(s){f' on {where}' if where else ''}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n         ")
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_no_serious_violations(page, *, where: str = "") -> None:
    """Fails with a readable list when axe finds a serious or critical WCAG A/AA violation."""
    found = blocking(run_axe(page))
    assert not found, describe(found, where=where or page.url)
