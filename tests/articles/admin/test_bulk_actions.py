"""Bulk actions in the article list: each article through the workflow's rules, a report of
what was done and what was refused and why, one announcement for the batch, no bulk delete."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.article import ArticleAdmin
from articles.models import Article
from articles.publishing import bulk, workflow
from tests.articles.publishing.helpers import S, ai_written, commercial_article, put, status_of
from tests.factories import ArticleFactory, SectionFactory, make_publishable

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
FIREWALL = "The commercial desk cannot work on newsroom articles."


@pytest.fixture
def technology():
    return SectionFactory(name="Technology", slug="technology")


@pytest.fixture
def announced():
    """Every ``articles_changed`` sent (purges and webhooks run once per signal)."""
    told = []
    receiver = lambda **kw: told.append((kw["action"], {a.pk for a in kw["articles"]}))  # noqa: E731
    workflow.articles_changed.connect(receiver, weak=False)
    yield told
    workflow.articles_changed.disconnect(receiver)


def newsroom_article(user, status=S.DRAFT, **fields) -> Article:
    """A newsroom piece ``user`` made, passing every publish gate, in ``status``."""
    article = ArticleFactory(created_by=user, desk=Article.Desk.NEWSROOM, **fields)
    return put(make_publishable(article), status)


def ids(articles):
    return [str(article.pk) for article in articles]


def choose(client, action, articles):
    """Tick the rows, pick the action, press Go: the confirmation page."""
    return client.post(
        CHANGELIST, {"action": action, "index": "0", ACTION_CHECKBOX_NAME: ids(articles)}
    )


def confirm(client, action, articles, **fields):
    """The confirmation page's form as the browser sends it, with ``fields`` filled in."""
    page = choose(client, action, articles)
    assert page.status_code == 200, page
    shown = page.context["articles"]
    data = {
        "action": action,
        "post": "yes",
        ACTION_CHECKBOX_NAME: ids(shown),
        "seen": [f"{a.pk}:{a.version}" for a in shown],
    }
    return client.post(CHANGELIST, data | fields)


def report(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def offered(client) -> set[str]:
    choices = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    return {name for name, _ in choices if name}


# -- what is offered, and never a delete ----------------------------------------------


def test_editors_get_the_five_actions_and_no_bulk_delete(client, editor, superuser):
    bulk_actions = {
        "bulk_add_tags",
        "bulk_remove_tags",
        "bulk_move_to_section",
        "bulk_request_changes",
        "bulk_unpublish",
    }
    for user in (editor, superuser):
        client.force_login(user)
        assert offered(client) == bulk_actions


def test_reporters_may_tag_and_move_but_not_request_changes_or_unpublish(client, reporter):
    client.force_login(reporter)
    assert offered(client) == {"bulk_add_tags", "bulk_remove_tags", "bulk_move_to_section"}
    own = newsroom_article(reporter, S.PUBLISHED)
    response = confirm_raw(client, "bulk_unpublish", [own], note="Legal asked.")
    assert status_of(own) == S.PUBLISHED
    assert "No action selected." in report(response)


def confirm_raw(client, action, articles, **fields):
    data = {"action": action, "post": "yes", ACTION_CHECKBOX_NAME: ids(articles)}
    return client.post(CHANGELIST, data | fields)


def test_a_posted_bulk_delete_is_refused_and_nothing_is_deleted(editor_client, editor):
    draft = newsroom_article(editor)
    published = newsroom_article(editor, S.PUBLISHED)
    response = confirm_raw(editor_client, "delete_selected", [draft, published])
    assert response.status_code == 302
    assert Article.objects.filter(pk__in=[draft.pk, published.pk]).count() == 2


# -- move to a section ---------------------------------------------------------------------


def test_move_to_section_with_a_partly_refused_selection(
    client, editor, commercial, technology, announced, django_capture_on_commit_callbacks
):
    client.force_login(commercial)
    mine = [
        commercial_article(commercial, status, headline=f"Ad {status}")
        for status in (
            S.DRAFT,
            S.PUBLISHED,
            S.PUBLISHED,
        )
    ]
    newsroom = newsroom_article(editor, S.PUBLISHED, headline="A newsroom story")
    versions = {a.pk: a.version for a in mine}

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, "bulk_move_to_section", [*mine, newsroom], section=technology.pk)

    assert response.status_code == 302
    assert report(response) == [
        "Moved 3 articles to Technology.",
        "Refused 1:",
        f"“A newsroom story” — {FIREWALL}",
    ]
    for article in mine:
        article.refresh_from_db()
        assert article.section == technology
        assert article.version == versions[article.pk] + 1
        event = article.events.get(action="section_moved")
        assert event.actor == commercial
        assert event.note.endswith("to “Technology” (bulk action).")
        assert article.revisions.exists()
    newsroom.refresh_from_db()
    assert newsroom.section != technology
    assert not newsroom.events.filter(action="section_moved").exists()
    # One announcement for the batch: the live pieces' pages refreshed, partners told.
    assert announced == [("updated", {mine[1].pk, mine[2].pk})]


def test_articles_already_there_are_reported_as_unchanged(editor_client, editor, technology):
    there = newsroom_article(editor, section=technology)
    elsewhere = newsroom_article(editor)
    response = confirm(
        editor_client, "bulk_move_to_section", [there, elsewhere], section=technology.pk
    )
    assert report(response) == [
        "Moved 1 article to Technology.",
        "1 article in Technology already.",
    ]
    assert not there.events.exists()


def test_a_live_piece_with_an_ai_byline_is_refused_for_want_of_a_review(
    editor_client, editor, technology, announced, django_capture_on_commit_callbacks
):
    live_ai = ai_written(newsroom_article(editor, S.PUBLISHED, headline="Written by Ledger"))
    draft_ai = ai_written(newsroom_article(editor, headline="Ledger's draft"))
    version = Article.objects.get(pk=live_ai.pk).version

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            editor_client, "bulk_move_to_section", [live_ai, draft_ai], section=technology.pk
        )

    assert report(response) == [
        "Moved 1 article to Technology.",
        "Refused 1:",
        f"“Written by Ledger” — {bulk.AI_REVIEW_NEEDED}",
    ]
    live_ai = Article.objects.get(pk=live_ai.pk)
    assert (live_ai.section == technology, live_ai.version) == (False, version)
    assert not live_ai.events.filter(action="section_moved").exists()
    assert Article.objects.get(pk=draft_ai.pk).section == technology
    assert announced == []  # a draft changed: readers see nothing new


def test_a_piece_saved_after_it_was_chosen_is_refused(editor_client, editor, technology):
    article = newsroom_article(editor, headline="Busy piece")
    page = choose(editor_client, "bulk_move_to_section", [article])
    seen = [f"{a.pk}:{a.version}" for a in page.context["articles"]]
    Article.objects.get(pk=article.pk).save()  # someone else saves meanwhile

    response = editor_client.post(
        CHANGELIST,
        {
            "action": "bulk_move_to_section",
            "post": "yes",
            ACTION_CHECKBOX_NAME: ids([article]),
            "seen": seen,
            "section": technology.pk,
        },
    )
    [*_, refusal, nothing] = report(response)
    assert refusal.startswith("“Busy piece” — Someone saved it after you chose it")
    assert nothing == "Nothing was changed."
    assert Article.objects.get(pk=article.pk).section != technology


# -- tags ------------------------------------------------------------------------------------


def test_add_tags_with_taggits_syntax(editor_client, editor):
    articles = [newsroom_article(editor), newsroom_article(editor, S.PUBLISHED)]
    articles[0].tags.add("energy")
    response = confirm(editor_client, "bulk_add_tags", articles, tags='energy, "oil, gas"')
    assert report(response) == ["Added “energy”, “oil, gas” to 2 articles."]
    assert sorted(articles[0].tags.names()) == ["energy", "oil, gas"]
    assert sorted(articles[1].tags.names()) == ["energy", "oil, gas"]
    assert articles[0].events.get().note == "Added the tags “oil, gas” (bulk action)."


def test_remove_tags_reports_the_articles_without_them(editor_client, editor):
    tagged, untagged = newsroom_article(editor), newsroom_article(editor)
    tagged.tags.add("energy", "climate")
    response = confirm(editor_client, "bulk_remove_tags", [tagged, untagged], tags="energy, oil")
    assert report(response) == [
        "Removed “energy”, “oil” from 1 article.",
        "1 article had none of them.",
    ]
    assert list(tagged.tags.names()) == ["climate"]
    event = tagged.events.get()
    assert (event.action, event.note) == (
        "tags_removed",
        "Removed the tags “energy” (bulk action).",
    )


@pytest.mark.parametrize("tags", ["", " , ,", "x" * 101])
def test_bad_tags_are_a_form_error_not_a_500(editor_client, editor, tags):
    article = newsroom_article(editor)
    response = confirm(editor_client, "bulk_add_tags", [article], tags=tags)
    assert response.status_code == 200
    assert response.context["form"].errors["tags"]
    assert not article.tags.exists()


# -- request changes and unpublish -------------------------------------------------------


def test_request_changes_needs_a_note(editor_client, editor):
    article = newsroom_article(editor, S.IN_REVIEW)
    response = confirm(editor_client, "bulk_request_changes", [article], note="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Say why: the workflow needs a note for this step."
    ]
    assert status_of(article) == S.IN_REVIEW


def test_request_changes_sends_back_what_it_may_and_says_why_not_the_rest(editor_client, editor):
    waiting = [newsroom_article(editor, S.IN_REVIEW), newsroom_article(editor, S.APPROVED)]
    draft = newsroom_article(editor, headline="Still a draft")
    response = confirm(
        editor_client, "bulk_request_changes", [*waiting, draft], note="Cut by half."
    )
    assert report(response) == [
        "Sent 2 articles back to their authors with your note.",
        "Refused 1:",
        "“Still a draft” — “Request changes” is not possible while the article is a draft.",
    ]
    for article in waiting:
        assert status_of(article) == S.DRAFT
        assert article.events.get(action="request_changes").note == "Cut by half."


def test_unpublish_takes_pieces_down_and_keeps_them(
    editor_client, editor, announced, django_capture_on_commit_callbacks
):
    live = [newsroom_article(editor, S.PUBLISHED) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(editor_client, "bulk_unpublish", live, note="Rights expired.")
    assert report(response) == ["Unpublished 2 articles: readers now get “410 Gone”."]
    for article in live:
        assert status_of(article) == S.UNPUBLISHED
        assert article.events.get(action="unpublish").note == "Rights expired."
    assert announced == [("unpublish", {a.pk for a in live})]


def test_unpublish_needs_a_note_and_keeps_to_the_firewall(client, commercial, editor):
    newsroom = newsroom_article(editor, S.PUBLISHED, headline="Our scoop")
    ad = commercial_article(commercial, S.PUBLISHED)
    client.force_login(commercial)
    assert confirm(client, "bulk_unpublish", [newsroom, ad], note="").status_code == 200
    response = confirm(client, "bulk_unpublish", [newsroom, ad], note="Campaign over.")
    assert report(response) == [
        "Unpublished 1 article: readers now get “410 Gone”.",
        "Refused 1:",
        f"“Our scoop” — {FIREWALL}",
    ]
    assert (status_of(newsroom), status_of(ad)) == (S.PUBLISHED, S.UNPUBLISHED)


# -- tampered selections ----------------------------------------------------------------


def test_unknown_and_unreadable_ids_are_refused_cleanly(client, editor, commercial, technology):
    theirs = commercial_article(commercial)  # a commercial draft: the newsroom never sees it
    mine = newsroom_article(editor)
    client.force_login(editor)
    data = {
        "action": "bulk_move_to_section",
        "post": "yes",
        ACTION_CHECKBOX_NAME: [str(mine.pk), str(theirs.pk), "999999"],
        "section": technology.pk,
    }
    response = client.post(CHANGELIST, data)
    assert report(response) == [
        "Moved 1 article to Technology.",
        "Refused 2:",
        "2 articles of the selection could not be found, or are not yours to see.",
    ]
    assert Article.objects.get(pk=theirs.pk).section != technology


def test_ids_that_are_not_numbers_change_nothing(editor_client, editor, technology):
    article = newsroom_article(editor)
    data = {
        "action": "bulk_move_to_section",
        "post": "yes",
        ACTION_CHECKBOX_NAME: [str(article.pk), "1 OR 1=1"],
        "section": technology.pk,
    }
    response = editor_client.post(CHANGELIST, data)
    assert response.status_code == 302
    assert report(response) == ["The selection was not understood; nothing was changed."]
    assert Article.objects.get(pk=article.pk).section != technology


def test_the_confirmation_page_lists_the_selection(editor_client, editor):
    articles = [newsroom_article(editor, headline=f"Piece <{i}>") for i in range(3)]
    page = choose(editor_client, "bulk_unpublish", articles)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Unpublish them (3)" in html
    assert "Piece &lt;2&gt;" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script>" not in html.replace('<script src="', "")


# -- query counts -------------------------------------------------------------------------


def count(client, **post):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(CHANGELIST, post)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("action", ["bulk_move_to_section", "bulk_add_tags", "bulk_unpublish"])
def test_the_confirmation_page_costs_the_same_for_5_and_50_articles(editor_client, editor, action):
    def page(n):
        articles = [ArticleFactory(created_by=editor) for _ in range(n)]
        for article in articles:
            article.tags.add("energy")
        return count(
            editor_client, action=action, index="0", **{ACTION_CHECKBOX_NAME: ids(articles)}
        )

    assert page(5) == page(50)


def test_the_actions_add_no_query_to_the_changelist(editor_client, editor, monkeypatch):
    for _ in range(20):
        ArticleFactory(created_by=editor)

    def changelist():
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(CHANGELIST).status_code == 200
        return len(ctx.captured_queries)

    with_actions = changelist()
    monkeypatch.setattr(ArticleAdmin, "actions", [])
    assert changelist() == with_actions
