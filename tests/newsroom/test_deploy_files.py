"""The files that build and run the stack: the Dockerfile installs from the lock file
before the code arrives, gunicorn.conf.py holds the worker settings, nginx serves media
safely, and the compose edge VCL compiles around the app's own."""

import re
import runpy
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.newsroom import servers
from tests.newsroom.servers import fetch

ROOT = Path(__file__).resolve().parents[2]


def dockerfile_lines() -> list[str]:
    return [
        line.strip()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_dependencies_are_installed_from_the_lock_before_the_code_is_copied():
    lines = dockerfile_lines()
    copy_lock = lines.index("COPY requirements.lock .")
    install = next(i for i, line in enumerate(lines) if "-r requirements.lock" in line)
    copy_code = lines.index("COPY . .")

    assert copy_lock < install < copy_code
    assert "--require-hashes" in lines[install]
    # Nothing but the lock's own pins: no `pip install .` pulling newer versions.
    assert not any(re.search(r"pip install .*\s\.$", line) for line in lines)


def test_the_image_runs_gunicorn_with_the_projects_config():
    cmd = next(line for line in dockerfile_lines() if line.startswith("CMD"))

    assert '"--config", "gunicorn.conf.py"' in cmd


def locked() -> dict[str, str]:
    pins = re.findall(
        r"^([a-z0-9][a-z0-9._-]*)==([^\s;\\]+)", (ROOT / "requirements.lock").read_text(), re.M
    )
    return {re.sub(r"[-_.]+", "-", name.lower()): version for name, version in pins}


def test_the_lock_pins_every_dependency_and_the_s3_extra_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["s3"]]
    names = {re.sub(r"[-_.]+", "-", re.split(r"[<>=\[ ;]", spec)[0].lower()) for spec in wanted}
    lock = (ROOT / "requirements.lock").read_text()

    assert names - set(locked()) == set()
    for block in re.split(r"\n(?=[a-z])", lock.split("\n", 2)[2]):
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_gunicorn_config_has_timeouts_recycling_and_request_ids_in_the_access_log(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    monkeypatch.setenv("DJANGO_ENV", "development")
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["workers"] == 4
    assert config["timeout"] == 30
    assert 0 < config["graceful_timeout"] <= config["timeout"]
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["accesslog"] == "-"
    assert "%({x-request-id}o)s" in config["access_log_format"]
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_gunicorn_logs_json_in_production(monkeypatch):
    monkeypatch.setenv("DJANGO_ENV", "production")
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    handler = config["logconfig_dict"]["handlers"]["access"]
    assert handler["formatter"] == "json"
    assert "request_id" in handler["filters"]


def test_media_server_sends_nosniff_and_caches_renditions_for_a_year():
    conf = (ROOT / "deploy" / "nginx" / "media.conf").read_text()
    renditions = conf[conf.index("location /media/renditions/") :]

    assert conf.count('add_header X-Content-Type-Options "nosniff" always;') == 2
    assert "public, max-age=31536000, immutable" in renditions
    assert "autoindex off;" in conf


@pytest.mark.skipif(not shutil.which("varnishd"), reason="varnishd is not installed")
def test_the_compose_edge_vcl_compiles_around_the_apps_vcl(tmp_path):
    # Compose resolves "web" and "media"; here they stand for loopback.
    edge = (ROOT / "deploy" / "edge" / "compose.vcl").read_text()
    (tmp_path / "compose.vcl").write_text(re.sub(r'\.host = "\w+";', '.host = "127.0.0.1";', edge))
    shutil.copy(ROOT / "deploy" / "varnish" / "default.vcl", tmp_path / "newsroom.vcl")

    result = subprocess.run(  # noqa: S603 -- fixed arguments
        [
            shutil.which("varnishd"),
            "-C",
            "-j",
            "none",
            "-p",
            f"vcl_path={tmp_path}",
            "-n",
            str(tmp_path / "instance"),
            "-f",
            str(tmp_path / "compose.vcl"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert 'backend media {\n    .host = "media";\n    .port = "8080";' in edge
    assert re.search(r'req.url ~ "\^/media/"\) \{\s+set req.backend_hint = media;', edge)


@pytest.fixture
def media_root(tmp_path) -> Path:
    media = tmp_path / "media"
    (media / "renditions" / "7").mkdir(parents=True)
    (media / "images").mkdir()
    (media / "renditions" / "7" / "card-320x180-abc.webp").write_bytes(b"RIFF0000WEBP")
    (media / "images" / "ferries.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    return media


@pytest.fixture
def media_server(tmp_path, media_root):
    with servers.media_server(tmp_path, media_root) as base:
        yield base


def test_media_server_serves_renditions_for_a_year_and_originals_for_a_day(media_server):
    rendition = fetch(f"{media_server}/media/renditions/7/card-320x180-abc.webp")
    original = fetch(f"{media_server}/media/images/ferries.jpg")

    assert rendition.status == original.status == 200
    assert rendition.headers["Content-Type"] == "image/webp"
    assert rendition.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert original.headers["Cache-Control"] == "public, max-age=86400"
    for response in (rendition, original):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_media_server_lists_nothing_and_accepts_no_uploads(media_server):
    assert fetch(f"{media_server}/media/images/").status in {403, 404}
    assert fetch(f"{media_server}/media/images/ferries.jpg", method="PUT").status == 403
    assert fetch(f"{media_server}/admin/").status == 404
