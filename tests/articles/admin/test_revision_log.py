"""Revisions across articles: a read-only list, each row opening its article's revisions,
within the firewall for reading."""

import pytest
from django.urls import reverse

from articles.models import Revision
from articles.publishing import revisions
from tests.articles.publishing.helpers import S, commercial_article, newsroom_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REVISIONS = reverse("admin:articles_revision_changelist")


@pytest.fixture
def saved(reporter, editor, commercial):
    harbour = newsroom_article(reporter, headline="Harbour strike looms")
    revisions.record(harbour, by=reporter)
    revisions.record(harbour, by=editor, note="Tightened the top")
    kestrel = commercial_article(commercial, S.IN_REVIEW, headline="Kestrel routers explained")
    revisions.record(kestrel, by=commercial)
    return {"harbour": harbour, "kestrel": kestrel}


def listed(client, **params) -> list[tuple[str, int]]:
    response = client.get(REVISIONS, params)
    assert response.status_code == 200
    return [(r.article.headline, r.number) for r in response.context["cl"].result_list]


def test_the_list_shows_who_saved_which_revision_and_opens_the_comparison(client, editor, saved):
    client.force_login(editor)
    html = client.get(REVISIONS).content.decode()

    assert listed(client) == [("Harbour strike looms", 2), ("Harbour strike looms", 1)]
    compare = reverse("admin:articles_article_revisions", args=[saved["harbour"].pk])
    assert f'<a href="{compare}?a=1&amp;b=2">Revision 2</a>' in html
    assert "Maria Okafor" in html
    assert "Priya Raman" in html
    assert "Tightened the top" in html
    assert listed(client, q="tightened") == [("Harbour strike looms", 2)]


def test_each_desk_lists_only_the_revisions_it_may_read(
    client, reporter, commercial, standards, saved
):
    client.force_login(reporter)
    assert {h for h, _ in listed(client)} == {"Harbour strike looms"}
    client.force_login(commercial)
    assert {h for h, _ in listed(client)} == {"Kestrel routers explained"}
    client.force_login(standards)
    assert {h for h, _ in listed(client)} == {"Harbour strike looms", "Kestrel routers explained"}


def test_nobody_adds_changes_or_deletes_a_revision_here(client, administrator, saved):
    revision = Revision.objects.filter(article=saved["harbour"]).first()
    client.force_login(administrator)
    change = reverse("admin:articles_revision_change", args=[revision.pk])
    delete = reverse("admin:articles_revision_delete", args=[revision.pk])

    assert client.get(reverse("admin:articles_revision_add")).status_code == 403
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    actions = client.get(REVISIONS).context["action_form"]
    assert actions is None or [n for n, _ in actions.fields["action"].choices if n] == []
    assert Revision.objects.filter(pk=revision.pk).exists()


def test_the_list_costs_the_same_queries_for_5_and_50_revisions(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    for n in (5, 50):
        for _ in range(n - Revision.objects.count()):
            revisions.record(ArticleFactory(), by=editor)
        # session, user; the user's and their groups' permissions; the counts (filtered,
        # all); the page of revisions with their articles; the date hierarchy's first and
        # last day, and its days.
        with django_assert_num_queries(9):
            response = client.get(REVISIONS)
        assert len(response.context["cl"].result_list) == n
