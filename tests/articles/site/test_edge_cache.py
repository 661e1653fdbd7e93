"""The edge cache for real: varnishd with deploy/varnish/default.vcl in front of the app
(pytest-django's live server), purged by key by the workflow as readers would see it.

Needs Debian's varnish and varnish-modules (vmod xkey); `make varnish` installs them,
and `make test` and .ci/run do so first. Without /usr/sbin/varnishd these are skipped.
"""

import http.client
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.test import Client

from articles.publishing import preview, workflow
from tests.factories import ArticleFactory, BylineFactory, PartnerKeyFactory, SectionFactory

VARNISHD = Path("/usr/sbin/varnishd")
VARNISHADM = Path("/usr/bin/varnishadm")
VCL = Path(__file__).resolve().parents[3] / "deploy" / "varnish" / "default.vcl"

pytestmark = [
    pytest.mark.varnish,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not VARNISHD.exists(),
        reason="needs /usr/sbin/varnishd with vmod xkey: run `make varnish` "
        "(apt-get install varnish varnish-modules)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Edge:
    """A varnishd of our VCL, its backend the live server; ``get`` asks it as a reader."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, headers=None, source: str = "127.0.0.1"):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def is_hit(self, path: str, **headers) -> bool:
        return self.get(path, **headers)[1]["X-Cache"] == "HIT"

    def cached(self, path: str, **headers) -> bool:
        """Fetched twice: is the second answer Varnish's own?"""
        self.get(path, **headers)
        return self.is_hit(path, **headers)


@pytest.fixture(scope="module")
def varnishd(live_server, tmp_path_factory):
    """One varnishd for the module (compiling the VCL takes a second or two)."""
    workdir = tmp_path_factory.mktemp("varnish")
    host, port = re.match(r"http://([^:]+):(\d+)", live_server.url).groups()
    vcl = VCL.read_text()
    vcl = re.sub(r'\.host = "[^"]*";', f'.host = "{host}";', vcl, count=1)
    vcl = re.sub(r'\.port = "\d+";', f'.port = "{port}";', vcl, count=1)
    (workdir / "test.vcl").write_text(vcl)
    edge_port = free_port()
    log = (workdir / "varnishd.log").open("w")
    # In the foreground (-F: it ends with the process we hold), in its own working
    # directory (-n) as the user running the tests (-j none: no root needed); its
    # management port lets each test start from an empty cache.
    command = [str(VARNISHD), "-F", "-j", "none", "-n", str(workdir / "n")]
    command += ["-a", f"127.0.0.1:{edge_port}", "-f", str(workdir / "test.vcl")]
    command += ["-s", "malloc,32m", "-T", "127.0.0.1:0", "-p", "auto_restart=off"]
    process = subprocess.Popen(  # noqa: S603 -- Debian's varnishd, fixed arguments
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(edge_port, process, workdir / "varnishd.log")
        yield edge_port, workdir / "n"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def edge(varnishd, settings):
    """The module's varnishd, emptied (ids repeat from test to test), purged by the app."""
    port, workdir = varnishd
    subprocess.run(  # noqa: S603 -- Debian's varnishadm, fixed arguments
        [str(VARNISHADM), "-n", str(workdir), "ban", "req.url ~ ."],
        check=True,
        capture_output=True,
        timeout=10,
    )
    settings.VARNISH_URL = [f"http://127.0.0.1:{port}/"]
    return Edge(port)


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"varnishd stopped:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"varnishd did not answer on port {port}:\n{log.read_text()}")


@pytest.fixture
def pages(db):
    port, city = SectionFactory(slug="port"), SectionFactory(slug="city")
    story = ArticleFactory(published=True, section=port, headline="Cranes idle at dawn")
    other = ArticleFactory(published=True, section=city, headline="Council meets")
    BylineFactory(article=story)
    BylineFactory(article=other)
    return {"story": story, "other": other}


def test_a_second_anonymous_request_is_answered_by_varnish(edge, pages):
    url = pages["story"].get_absolute_url()
    status, first, _ = edge.get(url)
    assert status == 200 and first["X-Cache"] == "MISS"
    status, second, html = edge.get(url)
    assert status == 200 and second["X-Cache"] == "HIT"
    assert "Age" in second and "Cranes idle at dawn" in html
    # Keys and the shared lifetime stay between the app and Varnish.
    assert "xkey" not in second
    assert "s-maxage" not in second["Cache-Control"]


def test_a_correction_is_visible_through_varnish_within_a_second(edge, pages, editor):
    story, other = pages["story"].get_absolute_url(), pages["other"].get_absolute_url()
    for url in (story, other, "/section/city/"):
        assert edge.cached(url)
    workflow.add_correction(pages["story"], by=editor, kind="correction", text="Fixed the date.")
    corrected_at = time.monotonic()
    while "Fixed the date." not in edge.get(story)[2]:
        assert time.monotonic() - corrected_at < 1, "the correction is not visible after 1 s"
        time.sleep(0.05)
    # A purge by key: the other article and the other section stay in the cache.
    assert edge.is_hit(other)
    assert edge.is_hit("/section/city/")


def test_an_unpublished_article_is_gone_through_varnish(edge, pages, editor):
    url, other = pages["story"].get_absolute_url(), pages["other"].get_absolute_url()
    for page in (url, other, "/"):
        assert edge.cached(page)
    workflow.unpublish(pages["story"], by=editor, note="Legal advice.")
    assert edge.get(url)[0] == 410
    assert "Cranes idle at dawn" not in edge.get("/")[2]
    assert edge.is_hit(other)


def test_staff_admin_preview_and_keyed_api_answers_are_never_cached(edge, pages, editor):
    staff = Client()
    staff.force_login(editor)
    session = f"sessionid={staff.cookies['sessionid'].value}"
    story = pages["story"].get_absolute_url()
    assert not edge.cached(story, Cookie=session)
    assert edge.get(story, Cookie=session)[1]["Cache-Control"] == "private, no-store"
    assert not edge.cached("/admin/login/")
    draft = ArticleFactory(headline="Embargoed till noon")
    BylineFactory(article=draft)
    _, token = preview.create_link(draft, by=editor)
    assert "Embargoed till noon" in edge.get(preview.path(token))[2]
    assert not edge.cached(preview.path(token))
    key = PartnerKeyFactory(partner="Kestrel Wire")
    assert not edge.cached("/api/v1/articles/", Authorization=f"Api-Key {key.secret}")
    # …while a reader with an unrelated cookie shares the cached page.
    assert edge.cached(story, Cookie="consent=yes")


def test_only_the_app_may_purge(edge, pages):
    url = pages["story"].get_absolute_url()
    assert edge.cached(url)
    purge = {"xkey-purge": f"article-{pages['story'].pk}"}
    status, _, _ = edge.request("PURGE", "/", headers=purge, source="127.0.0.2")
    assert status == 403
    assert edge.is_hit(url)
    status, _, _ = edge.request("PURGE", "/", headers=purge)
    assert status == 200
    assert not edge.is_hit(url)


def test_the_edge_keeps_one_copy_per_site_language_not_per_browser_header(edge, pages):
    german = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
    status, _, page = edge.get("/", **german)
    assert status == 200 and "Zum Inhalt springen" in page
    # Another German browser's header is the same copy; an English reader gets English.
    assert edge.is_hit("/", **{"Accept-Language": "de-AT,de;q=0.8"})
    assert "Skip to content" in edge.get("/", **{"Accept-Language": "en-GB,en;q=0.9"})[2]
    assert "Skip to content" in edge.get("/")[2]
    # A language the site does not speak is the default copy, not one of its own.
    assert edge.is_hit("/", **{"Accept-Language": "pt-BR,pt;q=0.9"})
