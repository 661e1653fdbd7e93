"""The public side of provenance: each published article's signed record beside it, the
keys that verify it under /.well-known/, the link from the article's page, and
``verify_provenance`` checking a record straight from the site."""

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.publishing import provenance, shared_records, signing, workflow
from tests.articles.publishing.helpers import newsroom_article
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    make_publishable,
)

S = Article.Status
KEYS_URL = "/.well-known/newsroom-provenance-keys.json"


def url_of(article, version=None) -> str:
    url = f"/articles/{article.slug}/provenance.json"
    return url if version is None else f"{url}?version={version}"


def published_keys(client) -> dict:
    response = client.get(KEYS_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    keys = [signing.public_key_from_jwk(jwk) for jwk in response.json()["keys"]]
    return {signing.key_id(key): key for key in keys}


def edit_live(article, editor, capture, headline: str) -> None:
    article.refresh_from_db()
    article.headline = headline
    article.save()
    with capture(execute=True):
        workflow.record_edit(article, by=editor, note="New headline.")


@pytest.fixture
def live(db, editor, reporter, django_capture_on_commit_callbacks):
    article = newsroom_article(reporter, S.APPROVED, headline="Ferry fares frozen")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, by=editor)
    return article


def test_a_published_article_serves_its_signed_record_verified_by_the_published_key(client, live):
    response = client.get(url_of(live))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["algorithm"] == "Ed25519"
    assert data["key_id"] == data["record"]["key_id"]
    assert data["record"]["headline"] == "Ferry fares frozen"
    assert provenance.check(data, published_keys(client))["version"] == 1
    [jwk] = client.get(KEYS_URL).json()["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", data["key_id"])


def test_the_article_page_links_its_record(client, live):
    html = client.get(live.get_absolute_url()).content.decode()
    link = (
        f'<link rel="alternate" type="application/json" title="Provenance record" '
        f'href="{url_of(live)}">'
    )
    assert link in html
    assert "Provenance record (signed)" in html


def test_an_edit_serves_the_new_version_and_keeps_the_old_one(
    client, live, editor, django_capture_on_commit_callbacks
):
    assert client.get(url_of(live)).json()["record"]["version"] == 1  # now cached
    edit_live(live, editor, django_capture_on_commit_callbacks, "Ferry fares frozen until May")
    latest = client.get(url_of(live)).json()
    assert latest["record"]["version"] == 2
    assert latest["record"]["headline"] == "Ferry fares frozen until May"
    old = client.get(url_of(live, 1)).json()
    assert old["record"]["headline"] == "Ferry fares frozen"
    keys = published_keys(client)
    assert provenance.check(old, keys) and provenance.check(latest, keys)
    assert client.get(url_of(live, 3)).status_code == 404
    assert client.get(url_of(live, "two")).status_code == 400


@pytest.mark.parametrize(
    "query", ["version=", "version=-1", "version=%00", "version=%C2%B2", "version=" + "9" * 40]
)
def test_a_version_that_is_not_a_whole_number_is_a_clear_400(client, live, query):
    response = client.get(f"{url_of(live)}?{query}")
    assert response.status_code == 400
    assert b"whole number" in response.content


def test_the_record_is_tagged_and_cached_like_the_article_page(client, db):
    # Made without the workflow: a change a moment ago would keep it out of the cache.
    live = make_publishable(ArticleFactory(published=True))
    first = client.get(url_of(live))
    assert f"article-{live.pk}" in first["xkey"].split()
    assert "public" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url_of(live))
    assert captured.captured_queries == []
    assert again.content == first.content


def test_drafts_and_future_pieces_are_404_and_withdrawn_ones_410(
    client, editor, live, django_capture_on_commit_callbacks
):
    draft = make_publishable(ArticleFactory(status=S.DRAFT))
    assert client.get(url_of(draft)).status_code == 404
    future = ArticleFactory(status=S.PUBLISHED, published_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(url_of(future)).status_code == 404
    assert client.get("/articles/no-such-piece/provenance.json").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(live, by=editor, note="Legal advice.")
    assert client.get(url_of(live)).status_code == 410
    assert client.get(url_of(live, 1)).status_code == 410


def test_a_publisher_renamed_on_many_pieces_shows_in_each_ones_next_record(
    client, live, editor, django_capture_on_commit_callbacks
):
    second = make_publishable(ArticleFactory(status=S.APPROVED))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(second, by=editor)
    publisher = live.claims.get().attributions.get().document.publisher
    second.claims.get().attributions.update(document=live.claims.get().attributions.get().document)
    client.get(url_of(live))
    publisher.name = "Port Authority (renamed)"
    with django_capture_on_commit_callbacks(execute=True):
        shared_records.save_change(publisher, by=editor, save=publisher.save)
    for article in (live, second):
        record = client.get(url_of(article)).json()["record"]
        assert record["claims"][0]["sources"][0]["publisher"] == "Port Authority (renamed)"
    assert client.get(url_of(live)).json()["record"]["version"] == 2


def test_a_piece_published_before_provenance_gets_its_record_when_first_read(client, db):
    article = make_publishable(ArticleFactory(published=True))
    data = client.get(url_of(article)).json()
    assert provenance.check(data, published_keys(client))["article_id"] == article.pk


def test_the_record_costs_the_same_queries_however_many_bylines_and_claims(client, db):
    small = make_publishable(ArticleFactory(published=True))
    big = make_publishable(ArticleFactory(published=True))
    for _ in range(3):
        BylineFactory(article=big)
    claim = ClaimFactory(article=big, text="Analysts expect more.")
    AttributionFactory(claim=claim)
    AttributionFactory(claim=claim)

    def cost(article) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url_of(article)).status_code == 200
        return len(captured.captured_queries)

    # The first read issues the record (these pieces were published without the workflow)…
    first = cost(small)
    assert cost(big) == first
    # …later ones (the usual case, when the cache has been purged) only read.
    cache.clear()
    again = cost(small)
    assert cost(big) == again < first


# -- the command against the live site -----------------------------------------------


def run(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_provenance", *map(str, args), stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_command_verifies_a_record_from_its_url_and_checks_the_live_body(
    live_server, settings, tmp_path
):
    from django.contrib.auth import get_user_model

    settings.SITE_URL = live_server.url
    editor = get_user_model().objects.create_superuser("chief", "chief@example.com", "x")
    article = make_publishable(ArticleFactory(status=S.APPROVED))
    workflow.publish(article, by=editor)  # committed: the record is issued at once
    url = live_server.url + url_of(article)

    code, said = run(url, "--check-live")
    assert code == 0, said
    assert "Valid: version 1" in said and "body matches" in said

    saved = tmp_path / "v1.json"
    saved.write_text(_fetch(url))
    article.refresh_from_db()
    article.body += "<p>Later, a new paragraph.</p>"
    with transaction.atomic():  # as the admin saves: the edit and its record together
        article.save()
        workflow.record_edit(article, by=editor, note="Added a paragraph.")

    code, said = run(saved, "--key", live_server.url + KEYS_URL, "--check-live")
    assert code == 1
    assert "changed since version 1 (now version 2)" in said
    code, said = run(saved, "--key", live_server.url + KEYS_URL)
    assert code == 0, said
    code, said = run(live_server.url + "/articles/nothing-here/provenance.json")
    assert code == 1 and "HTTP 404" in said


def _fetch(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        return response.read().decode()


def test_a_retired_key_stays_published_so_its_records_still_verify(
    client, live, settings, signing_key, tmp_path
):
    old = client.get(url_of(live)).json()
    retired = tmp_path / "retired.pem"
    retired.write_bytes(signing_key.read_bytes())
    signing.write_key_file(signing_key, force=True)
    settings.PROVENANCE_PUBLIC_KEYS = [retired]
    cache.clear()
    keys = published_keys(client)
    assert len(keys) == 2
    assert next(iter(keys)) == signing.key_id(signing.private_key().public_key())
    assert provenance.check(old, keys)["version"] == 1


def test_without_a_key_in_production_the_endpoints_say_unavailable_not_500(client, db, settings):
    settings.PRODUCTION = True
    article = make_publishable(ArticleFactory(published=True))
    for url in (url_of(article), KEYS_URL):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.json()["error"] == "Provenance records are unavailable for now."
