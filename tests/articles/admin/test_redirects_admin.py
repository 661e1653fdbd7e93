"""Editors' redirects in the admin: added in a form that refuses loops, live addresses and
bad paths with a message (never a 500), saved as one hop, with who did it on record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Redirect
from tests.articles.publishing.helpers import S, newsroom_article
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_redirect_add")
LIST = reverse("admin:articles_redirect_changelist")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def live(reporter):
    return newsroom_article(reporter, S.PUBLISHED, slug="cranes-idle", headline="Cranes idle")


def add(client, **fields):
    data = {"old_path": "", "target_url": "", "note": "", "permanent": "on", **fields}
    return client.post(ADD, data)


def errors_of(response) -> str:
    assert response.status_code == 200  # the form again, never a 500
    form = response.context["adminform"].form
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def test_an_editor_adds_a_redirect_that_readers_follow(admin_client, administrator, live):
    response = add(admin_client, old_path="/promo/cranes", target_url="/articles/cranes-idle/")
    assert response.status_code == 302

    redirect = Redirect.objects.get()
    # A typed address of an article becomes the article: it follows later slug changes.
    assert (redirect.article, redirect.target_url, redirect.kind) == (live, "", "manual")
    assert redirect.created_by == administrator
    assert redirect.history.get().history_user == administrator
    admin_client.logout()
    response = admin_client.get("/promo/cranes?ref=print")
    assert (response.status_code, response["Location"]) == (301, "/articles/cranes-idle/?ref=print")


def test_a_pasted_url_of_this_site_is_stored_as_its_path(admin_client, live):
    response = add(
        admin_client,
        old_path="http://testserver/old/cranes/?utm_source=x#top",
        article=live.pk,
    )
    assert response.status_code == 302
    assert Redirect.objects.get().old_path == "/old/cranes/"


def test_a_redirect_to_a_section_feed(admin_client):
    section = SectionFactory(slug="port")
    response = add(admin_client, old_path="/port.rss", section=section.pk, to_feed="on")
    assert response.status_code == 302
    admin_client.logout()
    assert admin_client.get("/port.rss")["Location"] == "/section/port/feed.rss"


def test_a_redirect_elsewhere(admin_client):
    response = add(admin_client, old_path="/tip-line/", target_url="https://tips.example.org/")
    assert response.status_code == 302
    admin_client.logout()
    assert admin_client.get("/tip-line/")["Location"] == "https://tips.example.org/"


def test_a_loop_is_refused(admin_client, live):
    assert add(admin_client, old_path="/a/", target_url="/articles/cranes-idle/").status_code == 302
    assert add(admin_client, old_path="/b/", target_url="/a/").status_code == 302
    # /b/ was collapsed onto the article, so /c/ → /b/ is one hop too.
    assert Redirect.objects.get(old_path="/b/").article == live

    Redirect.objects.create(old_path="/x/", target_url="/y/")  # as an import might leave it
    errors = errors_of(add(admin_client, old_path="/y/", target_url="/x/"))
    assert "redirect loop: /y/ → /x/ → /y/" in errors
    assert not Redirect.objects.filter(old_path="/y/").exists()


def test_a_redirect_to_itself_is_refused(admin_client):
    errors = errors_of(add(admin_client, old_path="/a/", target_url="/a/"))
    assert "cannot redirect to itself" in errors


def test_an_address_a_page_answers_is_refused(admin_client, live):
    errors = errors_of(add(admin_client, old_path="/articles/cranes-idle/", target_url="/"))
    assert "A page answers at /articles/cranes-idle/ (status 200)" in errors


@pytest.mark.parametrize(
    ("old_path", "message"),
    [
        ("", "This field is required."),
        ("/with space/", "cannot contain spaces"),
        ("javascript:alert(1)", "Only http and https"),
        ("ftp://example.org/x", "Only http and https"),
        ("/../etc/passwd", "“.” or “..”"),
        ("/admin/login/", "Only addresses on the public site"),
        ("/" + "x" * 500, "at most 400 characters"),
    ],
)
def test_a_bad_old_address_is_refused_with_a_reason(admin_client, live, old_path, message):
    errors = errors_of(add(admin_client, old_path=old_path, article=live.pk))
    assert message in errors


def test_a_target_nothing_answers_is_refused(admin_client):
    errors = errors_of(add(admin_client, old_path="/old/", target_url="/nowhere/"))
    assert "No page answers at /nowhere/" in errors


def test_one_target_exactly(admin_client, live):
    section = SectionFactory()
    errors = errors_of(add(admin_client, old_path="/old/", article=live.pk, section=section.pk))
    assert "Choose one target" in errors
    assert "Choose one target" in errors_of(add(admin_client, old_path="/old/"))


def test_the_list_searches_addresses_and_headlines(admin_client, live):
    Redirect.objects.create(old_path="/promo/cranes/", article=live)
    Redirect.objects.create(old_path="/promo/other/", target_url="https://example.org/")
    response = admin_client.get(LIST, {"q": "Cranes idle"})
    assert response.status_code == 200
    assert [r.old_path for r in response.context["cl"].result_list] == ["/promo/cranes/"]
    assert admin_client.get(LIST, {"q": "promo"}).context["cl"].result_count == 2


def test_the_pages_open_with_the_history_of_who_did_what(admin_client, live):
    live.slug = "cranes-idle-at-dawn"
    live.save()  # an automatic redirect
    redirect = Redirect.objects.get()
    change = reverse("admin:articles_redirect_change", args=[redirect.pk])
    history = reverse("admin:articles_redirect_history", args=[redirect.pk])
    assert admin_client.get(ADD).status_code == 200
    assert "Slug changed from “cranes-idle”" in admin_client.get(change).content.decode()
    assert admin_client.get(history).status_code == 200

    page = admin_client.get(change)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    response = admin_client.post(change, {**data, "permanent": "", "note": "Temporary"})
    assert response.status_code == 302
    redirect.refresh_from_db()
    assert (redirect.permanent, redirect.kind) == (False, Redirect.Kind.MANUAL)
    assert redirect.history.count() == 2


def test_the_list_costs_the_same_for_5_and_50_redirects(admin_client, live):
    def count(n):
        Redirect.objects.all().delete()
        for i in range(n):
            Redirect.objects.create(old_path=f"/old/{i}/", article=live)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(LIST).status_code == 200
        return len(captured)

    assert count(5) == count(50)


def test_editors_manage_redirects_and_the_standards_desk_reads_them(
    client, editor, standards, reporter, live
):
    client.force_login(editor)
    assert add(client, old_path="/promo/cranes", article=live.pk).status_code == 302
    assert client.get(LIST).status_code == 200

    client.force_login(standards)
    assert client.get(LIST).status_code == 200
    assert client.get(ADD).status_code == 403

    client.force_login(reporter)
    assert client.get(LIST).status_code == 403
    assert Redirect.objects.get().created_by == editor
