"""gunicorn under production settings on 127.0.0.1, started and stopped by the benchmark.

Two servers run side by side on the same database and Redis db: one with the page
cache as configured (entries kept an hour, so warmed pages stay warm through the run),
one with ``PUBLIC_CACHE_SECONDS=0``, which the app's page cache reads as "do not
store". Their cache entries carry different key prefixes, so the cache-off server can
never answer from what the other stored.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"
FLOOR = "/bench/floor/"  # the minimal view (bench.urls)
STATEMENT_TIMEOUT_MS = 25000  # below gunicorn's 30 s worker timeout
SECRET_KEY = secrets.token_urlsafe(64)


def environment(database_url: str, redis_db: int, *, cache: bool) -> dict[str, str]:
    """The process environment of a bench server (and of the query-counting process)."""
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SITE_URL="http://127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        MEDIA_ROOT=str(VAR / "media"),
        STATIC_ROOT=str(VAR / "static"),
        # wrk is one client address: the anonymous limit (120/minute) would refuse it.
        # The throttle's cache round trips stay in every API request.
        API_RATE_ANONYMOUS="1000000/second",
        PUBLIC_CACHE_SECONDS="3600" if cache else "0",
        BENCH_CACHE_PREFIX="bench-on" if cache else "bench-off",
        BENCH_STATEMENT_TIMEOUT=str(STATEMENT_TIMEOUT_MS),
        # Production refuses to make a signing key: the bench has its own (provenance_key).
        PROVENANCE_SIGNING_KEY=str(VAR / "bench-provenance.pem"),
    )
    env.pop("DEBUG", None)
    return env


def provenance_key() -> None:
    """The key the bench servers sign provenance records with, made once."""
    from articles.publishing import signing

    path = VAR / "bench-provenance.pem"
    if not path.exists():
        signing.write_key_file(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collectstatic(env: dict[str, str]) -> None:
    """Production settings serve hashed static files: the manifest must exist."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Server:
    """One gunicorn master with two sync workers; ``workers=None`` with a ``config`` file
    (``gunicorn.conf.py``, as in production) leaves the count to that file. The flags
    below win over the file's settings either way."""

    def __init__(
        self, name: str, env: dict[str, str], *, workers: int | None = 2, config: str = "/dev/null"
    ):
        self.name, self.env = name, env
        self.workers, self.config = workers, config
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = VAR / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        command = [
            str(GUNICORN),
            "newsroom.wsgi",
            # By default the repository's gunicorn.conf.py is not what we measure.
            "--config", self.config,
            *(["--workers", str(self.workers)] if self.workers else []),
            "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "30",
            "--graceful-timeout", "5",
            "--backlog", "256",
            "--log-level", "warning",
            "--error-logfile", str(self.log),
            "--no-control-socket",
        ]  # fmt: skip
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # The bench's own gunicorn on http://127.0.0.1.
                with urllib.request.urlopen(self.base + FLOOR, timeout=2) as response:  # nosec B310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        tail = self.log.read_text()[-3000:]
        raise RuntimeError(f"gunicorn ({self.name}) did not answer on {self.base}:\n{tail}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def get(self, path: str, timeout: float = 40) -> tuple[int, bytes, float]:
        """One request: status, body and seconds taken (errors answer with their status)."""
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:  # nosec B310
                return response.status, response.read(), time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read(), time.perf_counter() - started
