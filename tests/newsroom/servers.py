"""The stack's servers for real on loopback: nginx with deploy/nginx/media.conf, and
varnishd with deploy/edge/compose.vcl around the app's VCL, each on a free port."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, method: str = "GET", **headers):
    """The response, or the HTTPError (which reads like one) for 4xx and 5xx."""
    request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310
    try:
        return urllib.request.urlopen(request, timeout=5)  # noqa: S310 -- loopback
    except urllib.error.HTTPError as error:
        return error


def wait_for(url: str, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            pytest.fail(
                f"{process.args[0]} stopped: {process.stderr.read() if process.stderr else ''}"
            )
        with contextlib.suppress(OSError):
            fetch(url)
            return
        time.sleep(0.1)
    pytest.fail(f"nothing answered on {url}")


@contextlib.contextmanager
def media_server(workdir: Path, media: Path):
    """deploy/nginx/media.conf serving ``media``; yields its base URL."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (compose uses the official image)")
    port = free_port()
    server = (ROOT / "deploy" / "nginx" / "media.conf").read_text()
    server = server.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    server = server.replace("/srv/media/", f"{media}/")
    # As root, nginx's workers would be `nobody`, who cannot read pytest's tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {workdir}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (workdir / "nginx.conf").write_text(
        f"{user}daemon off; pid nginx.pid; error_log stderr;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; {temp}\n{server}\n}}\n"
    )
    process = subprocess.Popen(  # noqa: S603 -- Debian's nginx, fixed arguments
        [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def edge_server(workdir: Path, *, web: str, media: str):
    """varnishd with compose's edge VCL (its backends pointed at ``web`` and ``media``,
    both ``host:port``) and the app's own VCL; yields its base URL."""
    if not Path(VARNISHD).exists():
        pytest.skip("varnishd is not installed (compose uses the official image)")
    vcl = (ROOT / "deploy" / "edge" / "compose.vcl").read_text()
    for name, address in (("web", web), ("media", media)):
        host, port = address.split(":")
        vcl = re.sub(
            rf'(backend {name} \{{\s+)\.host = "\w+";\s+\.port = "\d+";',
            rf'\1.host = "{host}";\n    .port = "{port}";',
            vcl,
        )
    (workdir / "compose.vcl").write_text(vcl)
    shutil.copy(ROOT / "deploy" / "varnish" / "default.vcl", workdir / "newsroom.vcl")
    port = free_port()
    command = [VARNISHD, "-F", "-j", "none", "-n", str(workdir / "n"), "-a", f"127.0.0.1:{port}"]
    command += ["-p", f"vcl_path={workdir}", "-f", str(workdir / "compose.vcl")]
    command += ["-s", "malloc,32m", "-T", "127.0.0.1:0", "-p", "auto_restart=off"]
    process = subprocess.Popen(  # noqa: S603 -- Debian's varnishd, fixed arguments
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/media/", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
