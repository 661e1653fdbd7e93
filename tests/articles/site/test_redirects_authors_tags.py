"""An author's or a tag's changed slug keeps its old addresses working, like an
article's and a section's: a 301 from the page (and the author's feed) to the new one,
through every door that saves the slug, in one hop, never a loop."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Redirect
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory

pytestmark = pytest.mark.django_db


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new


@pytest.fixture
def maria():
    author = AuthorFactory(name="Maria Okafor", slug="maria-okafor")
    BylineFactory(article=ArticleFactory(published=True), author=author)
    return author


@pytest.fixture
def ports_tag():
    article = ArticleFactory(published=True)
    article.tags.add("Ports")
    return Tag.objects.get(name="Ports")


def test_an_authors_changed_slug_in_the_admin_moves_the_page_and_the_feed(
    client, administrator, maria, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    url = reverse("admin:articles_author_change", args=[maria.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(client.get(url), slug="maria-okafor-lagos"))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    assert_moved(client, "/author/maria-okafor/", "/author/maria-okafor-lagos/")
    assert_moved(client, "/author/maria-okafor/feed.rss", "/author/maria-okafor-lagos/feed.rss")
    assert client.get("/author/maria-okafor-lagos/").status_code == 200
    redirect = Redirect.objects.get(old_path="/author/maria-okafor/")
    assert (redirect.author, redirect.kind, redirect.created_by) == (
        maria,
        Redirect.Kind.AUTOMATIC,
        administrator,
    )


def test_a_tags_changed_slug_in_the_admin_moves_its_page(
    client, administrator, ports_tag, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    url = reverse("admin:taggit_tag_change", args=[ports_tag.pk])
    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(page, slug="harbours"))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    assert_moved(client, "/tag/ports/", "/tag/harbours/")
    assert client.get("/tag/harbours/").status_code == 200


def test_a_chain_of_author_slug_changes_is_one_hop_and_taking_one_back_never_loops(client, maria):
    for slug in ("maria-o", "maria-okafor-lagos"):
        maria.slug = slug
        maria.save()
    assert_moved(client, "/author/maria-okafor/", "/author/maria-okafor-lagos/")
    assert_moved(client, "/author/maria-o/", "/author/maria-okafor-lagos/")

    maria.slug = "maria-okafor"
    maria.save()
    assert client.get("/author/maria-okafor/").status_code == 200
    assert not Redirect.objects.filter(old_path="/author/maria-okafor/").exists()
    assert_moved(client, "/author/maria-okafor-lagos/", "/author/maria-okafor/")


def test_a_tag_renamed_twice_leads_from_both_old_addresses(client, ports_tag):
    for slug in ("harbours", "ports-and-harbours"):
        ports_tag.slug = slug
        ports_tag.save()
    assert_moved(client, "/tag/ports/", "/tag/ports-and-harbours/")
    assert_moved(client, "/tag/harbours/", "/tag/ports-and-harbours/")


def test_an_editors_redirect_to_an_author_page_follows_the_author(client, administrator, maria):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:articles_redirect_add"),
        {"old_path": "/team/maria/", "target_url": "/author/maria-okafor/", "permanent": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    redirect = Redirect.objects.get(old_path="/team/maria/")
    assert (redirect.author, redirect.target_url) == (maria, "")

    maria.slug = "maria-okafor-lagos"
    maria.save()
    client.logout()
    assert_moved(client, "/team/maria/", "/author/maria-okafor-lagos/")


def test_the_admin_refuses_a_feed_of_a_tag(client, administrator, ports_tag):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:articles_redirect_add"),
        {"old_path": "/old-ports/", "tag": ports_tag.pk, "to_feed": "on", "permanent": "on"},
    )
    assert response.status_code == 200
    assert "Only a section or an author has a feed." in response.content.decode()
    assert not Redirect.objects.exists()


def test_the_database_refuses_two_targets_or_a_tags_feed(maria, ports_tag):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Redirect.objects.create(old_path="/two/", author=maria, tag=ports_tag)
    with pytest.raises(IntegrityError), transaction.atomic():
        Redirect.objects.create(old_path="/feed/", tag=ports_tag, to_feed=True)
    Redirect.objects.create(old_path="/feed/", author=maria, to_feed=True)
