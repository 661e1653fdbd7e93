"""Running the import commands as an operator would, and reading what they say."""

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage

FILES = Path(__file__).parent / "files"


@dataclass
class Outcome:
    out: str
    err: str
    error: str = ""  # the CommandError's message, when the command failed


@pytest.fixture
def files(tmp_path) -> Path:
    """A copy of the test files, free to change."""
    return Path(shutil.copytree(FILES, tmp_path / "files"))


@pytest.fixture
def run_import(editor):
    """``run_import("import_wordpress", path, "--dry-run")``, done as the editor."""

    def run(command: str, *args, user: str = "editor") -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(command, *map(str, args), "--as", user, stdout=out, stderr=err)
        except CommandError as exc:
            return Outcome(out.getvalue(), err.getvalue(), str(exc))
        return Outcome(out.getvalue(), err.getvalue())

    return run


def write_jpeg(path: Path, colour=(200, 30, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (40, 30), colour).save(path, format="JPEG")
    return path


def counts_in(output: str) -> dict[str, int]:
    """The summary table's numbers: ``{"created": 3, "updated": 0, …}``."""
    counts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    return counts
