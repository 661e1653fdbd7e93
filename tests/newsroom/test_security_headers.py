"""Security headers: the Content-Security-Policy on every page (and how it meets the page
cache), private answers to API callers with credentials, and uploads that are shown only
as pictures, by Django in development and by nginx in production."""

import importlib
import re
import secrets
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, path

from articles.site.caching import public_page
from tests.articles.api.helpers import ARTICLES, draft_payload, post
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ImageFactory,
    SectionFactory,
    SourceDocumentFactory,
)
from tests.newsroom import servers
from tests.newsroom.servers import fetch
from tests.newsroom.test_settings import deploy_check, read_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NONCE = re.compile(r"'nonce-([^']+)'")


def policy(response) -> dict[str, list[str]]:
    """The enforced Content-Security-Policy, as {directive: [values]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives}


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part}


@pytest.fixture
def article(db):
    article = ArticleFactory(published=True, headline="Cranes idle at dawn")
    BylineFactory(article=article)
    return article


# -- Content-Security-Policy ----------------------------------------------------------


def assert_strict(csp: dict[str, list[str]]) -> None:
    assert csp["default-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]


@pytest.mark.parametrize(
    "url", ["/", "{article}", "/search/?q=cranes", "/feeds/latest.rss", "/about/labels/"]
)
def test_public_pages_enforce_the_policy_without_a_nonce(client, article, url):
    response = client.get(url.format(article=article.get_absolute_url()))

    assert response.status_code == 200
    csp = policy(response)
    assert_strict(csp)
    # Only this site's scripts and styles: nothing inline, so nothing needs a nonce.
    assert csp["script-src"] == csp["style-src"] == ["'self'"]
    assert "nonce=" not in response.content.decode()


def test_the_article_page_has_json_ld_and_no_other_inline_script(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    # A data block, which browsers never run (tests/browser/test_csp.py proves none is
    # refused); there is no script of any other kind.
    assert scripts == ['<script type="application/ld+json">']
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)


def test_a_page_from_the_page_cache_has_the_policy_it_was_rendered_with(client, article):
    url = article.get_absolute_url()
    rendered = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        replayed = client.get(url)

    assert queries.captured_queries == []  # really the page cache's copy
    assert replayed.content == rendered.content
    assert replayed["Content-Security-Policy"] == rendered["Content-Security-Policy"]
    assert "nonce" not in replayed["Content-Security-Policy"]


def nonce_page(request):
    """A public page that (wrongly) puts the request's nonce on an inline script."""
    template = engines["django"].from_string("<script nonce='{{ csp_nonce }}'>go()</script>")
    return HttpResponse(template.render({}, request))


urlpatterns = [path("nonce/", public_page(nonce_page))]


@pytest.mark.urls(__name__)
def test_a_public_page_that_uses_a_nonce_is_kept_by_no_cache(client):
    first = client.get("/nonce/")
    second = client.get("/nonce/")

    for response in (first, second):
        # Its nonce is in its own header and nowhere else: no cache may replay it.
        nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
        assert f"nonce='{nonce}'" in response.content.decode()
        assert cache_control(response) == {"private", "no-store"}
        assert "xkey" not in response
    assert first.content != second.content  # rendered twice, not replayed


def test_the_admin_puts_a_fresh_nonce_on_its_scripts_and_allows_only_inline_styles(
    editor_client,
):
    pages = [editor_client.get("/admin/"), editor_client.get("/admin/articles/article/add/")]
    nonces = set()
    for response in pages:
        assert response.status_code == 200
        csp = policy(response)
        assert_strict(csp)
        nonce = NONCE.search(" ".join(csp["script-src"])).group(1)
        nonces.add(nonce)
        html = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
        # The rich-text editor injects a <style>, status badges carry style attributes.
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert len(nonces) == 2


def test_the_admin_login_and_the_api_docs_enforce_the_policy(client):
    login = client.get("/admin/login/")
    docs = client.get("/api/v1/docs/")

    for response in (login, docs):
        assert response.status_code == 200
        assert_strict(policy(response))
    # The docs' inline script carries this response's nonce, so the browser runs it.
    nonce = NONCE.search(docs["Content-Security-Policy"]).group(1)
    assert re.search(rf'<script nonce="{nonce}">\s+"use strict"', docs.content.decode())


def test_pictures_on_s3_or_a_cdn_are_allowed_by_the_policy():
    img_src = "settings.SECURE_CSP['img-src']"
    custom = read_settings(
        img_src, AWS_STORAGE_BUCKET_NAME="newsroom-media", AWS_S3_CUSTOM_DOMAIN="media.example"
    )
    bucket = read_settings(
        img_src, AWS_STORAGE_BUCKET_NAME="newsroom-media", AWS_S3_REGION_NAME="eu-west-1"
    )

    assert custom == ["'self'", "data:", "https://media.example/"]
    assert bucket == [
        "'self'",
        "data:",
        "https://newsroom-media.s3.amazonaws.com/",
        "https://newsroom-media.s3.eu-west-1.amazonaws.com/",
    ]


def test_production_enforces_the_policy_and_passes_the_deploy_check():
    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "newsroom.example",
    }
    middleware = read_settings("settings.MIDDLEWARE", **production)
    result = deploy_check(**production)

    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in middleware
    # Above the page cache, so a cached page gets a header of its own.
    assert middleware.index("django.middleware.csp.ContentSecurityPolicyMiddleware") < (
        middleware.index("articles.site.caching.PageCacheMiddleware")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# -- the partner API: private answers to callers with credentials --------------------------


def assert_private(response) -> None:
    assert cache_control(response) == {"private", "no-store"}, response.get("Cache-Control")
    assert {"authorization", "x-api-key"} <= vary(response)
    assert "xkey" not in response


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", ARTICLES, 200),
        ("get", ARTICLES + "999999/", 404),
        ("get", "/api/v1/no-such-thing/", 404),
        ("get", ARTICLES + "?section=%00", 400),
        ("get", "/api/v1/sections/", 200),
        ("get", "/api/v1/webhooks/", 200),
        ("get", "/api/v1/schema/", 200),
        ("get", "/api/v1/docs/", 200),
        ("post", ARTICLES, 403),  # a read-only key may not file drafts
        ("post", "/api/v1/images/", 403),
        ("delete", ARTICLES, 405),
    ],
)
def test_every_answer_to_a_partner_key_is_private(
    key_client, partner_key, article, method, url, status
):
    response = getattr(key_client(partner_key), method)(url)

    assert response.status_code == status, response.content[:300]
    assert_private(response)


def test_a_wrong_key_is_answered_privately(client, article):
    response = client.get(ARTICLES, headers={"Authorization": "Api-Key nope.nothing"})

    assert response.status_code in (401, 403)
    assert_private(response)


def test_any_credential_header_makes_the_answer_private(client, article):
    # Not a header the API reads, but a cache cannot know that.
    response = client.get(ARTICLES, headers={"X-Api-Key": "anything"})

    assert_private(response)


def test_drafts_transitions_and_validation_errors_are_private(key_client, agent_key):
    SectionFactory(slug="technology")
    sift = key_client(agent_key)
    invalid = post(sift, ARTICLES, {"headline": ""})
    filed = post(sift, ARTICLES, draft_payload(SourceDocumentFactory()))
    steps = f"{ARTICLES}{filed.json().get('id')}/transitions/"
    refused = post(sift, steps, {"transition": "publish"})
    submitted = post(sift, steps, {"transition": "submit"})

    assert invalid.status_code == 400
    assert filed.status_code == 201, filed.content
    assert refused.status_code == 403
    assert submitted.status_code == 200, submitted.content
    for response in (invalid, filed, refused, submitted):
        assert_private(response)


def test_a_staff_session_gets_private_answers(editor_client, article):
    response = editor_client.get(ARTICLES)

    assert response.status_code == 200
    assert_private(response)


def test_anonymous_reads_stay_public_and_vary_on_credentials(client, article, settings):
    response = client.get(ARTICLES)

    assert {"public", f"s-maxage={settings.EDGE_CACHE_SECONDS}"} <= cache_control(response)
    assert response["xkey"] == "api-articles"
    assert {"authorization", "x-api-key", "accept"} <= vary(response)


# -- uploads ------------------------------------------------------------------------------


def load_urls(settings, *, debug: bool) -> None:
    """newsroom.urls as a server with this DEBUG loads it (not imported at collection,
    when DEBUG still has its development default)."""
    settings.DEBUG = debug
    importlib.reload(importlib.import_module("newsroom.urls"))
    clear_url_caches()


@pytest.fixture
def debug_urls(settings):
    """The URLs of a DEBUG server (runserver), which serves MEDIA_ROOT at /media/."""
    load_urls(settings, debug=True)
    yield
    load_urls(settings, debug=False)


@pytest.fixture
def production_urls(settings):
    load_urls(settings, debug=False)


@pytest.fixture
def uploads(settings):
    media = Path(settings.MEDIA_ROOT)
    (media / "images").mkdir(parents=True, exist_ok=True)
    image = ImageFactory()
    (media / "images" / "page.html").write_text("<script>alert(1)</script>")
    (media / "images" / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return image.file.url


def test_development_shows_pictures_inline_and_sends_anything_else_as_a_download(
    client, debug_urls, uploads
):
    picture = client.get(uploads)
    others = [client.get("/media/images/page.html"), client.get("/media/images/drawing.svg")]

    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert picture["Content-Disposition"].startswith("inline")
    for response in (picture, *others):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    for response in others:
        assert response.status_code == 200
        assert response["Content-Disposition"] == "attachment"


def test_production_serves_no_uploads_from_django(client, production_urls, uploads):
    assert client.get(uploads).status_code == 404
    assert client.get("/media/images/page.html").status_code == 404


def media_conf() -> str:
    return (ROOT / "deploy" / "nginx" / "media.conf").read_text()


def test_the_media_server_shows_only_picture_types_and_sends_the_rest_as_downloads():
    conf = media_conf()
    mapping = conf[conf.index("map $uri $media_disposition") :].split("}")[0]
    types = conf[conf.index("types {") :].split("}")[0]

    assert re.search(r'default\s+"attachment";', mapping)
    assert re.search(r'"~\*\\\.\(\?:jpe\?g\|png\|gif\|webp\|avif\)\$"\s+"inline";', mapping)
    assert set(re.findall(r"(\S+/\S+)", types)) == {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/avif",
    }
    # Both locations (an inner add_header replaces every inherited one).
    assert conf.count("add_header Content-Disposition $media_disposition always;") == 2
    assert conf.count('add_header X-Content-Type-Options "nosniff" always;') == 2


@pytest.fixture
def media_server(tmp_path):
    media = tmp_path / "media"
    (media / "renditions" / "7").mkdir(parents=True)
    (media / "images").mkdir()
    (media / "renditions" / "7" / "card-320x180-abc.webp").write_bytes(b"RIFF0000WEBP")
    (media / "images" / "ferries.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (media / "images" / "page.html").write_text("<script>alert(1)</script>")
    (media / "images" / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "nginx").mkdir()
    with servers.media_server(tmp_path / "nginx", media) as base:
        yield base


def test_the_media_server_sends_anything_but_a_picture_as_a_download(media_server):
    rendition = fetch(f"{media_server}/media/renditions/7/card-320x180-abc.webp")
    picture = fetch(f"{media_server}/media/images/ferries.jpg")
    page = fetch(f"{media_server}/media/images/page.html")
    drawing = fetch(f"{media_server}/media/images/drawing.svg")

    for response in (rendition, picture):
        assert response.status == 200
        assert response.headers["Content-Disposition"] == "inline"
    for response in (page, drawing):
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.headers["Content-Disposition"] == "attachment"
    for response in (rendition, picture, page, drawing):
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_edge_keeps_no_page_whose_policy_has_a_nonce():
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    backend_response = vcl[vcl.index("sub vcl_backend_response") :]

    assert re.search(
        r"""beresp\.http\.Content-Security-Policy ~ "'nonce-"\) \{\s+"""
        r"""set beresp\.uncacheable = true;""",
        backend_response,
    )
