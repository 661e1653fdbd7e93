"""Claims' sources changed outside the article form, as edits of the article: the
desk firewall, the publish gates of a live piece, and what is recorded."""

import pytest

from articles.models import Article
from articles.publishing import sourcing
from articles.publishing.transitions import WorkflowError
from sources.models import Attribution
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    SourceDocumentFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db


def live_article() -> Article:
    return make_publishable(ArticleFactory(published=True))


def test_a_reporter_cannot_change_the_sources_of_a_published_piece(reporter):
    article = make_publishable(ArticleFactory(published=True, created_by=reporter))
    claim = article.claims.get()
    with pytest.raises(WorkflowError, match="may not edit this article"):
        sourcing.change_sources(claim, by=reporter, save=claim.attributions.all().delete)
    assert claim.attributions.exists()
    assert not article.events.exists()


def test_a_live_claim_left_without_a_source_is_refused_and_undone(editor):
    article = live_article()
    claim = article.claims.get()
    with pytest.raises(WorkflowError) as refused:
        sourcing.change_sources(claim, by=editor, save=claim.attributions.all().delete)
    assert refused.value.problems == [f"The claim “{claim}” has no source."]
    assert claim.attributions.exists()
    assert not article.revisions.exists()


def test_a_check_the_live_piece_already_failed_does_not_block_a_sources_change(editor):
    article = live_article()
    claim = article.claims.get()
    detached = ClaimFactory(article=article, text="A sentence no longer in the body.")
    AttributionFactory(claim=detached)
    document = SourceDocumentFactory()

    sourcing.change_sources(
        claim,
        by=editor,
        save=lambda: Attribution.objects.create(claim=claim, document=document, position=1),
    )
    assert claim.attributions.count() == 2


def test_a_change_gives_the_article_a_new_version_an_event_and_a_revision(
    editor, django_capture_on_commit_callbacks
):
    article = live_article()
    claim = article.claims.get()
    version = article.version
    document = SourceDocumentFactory(title="Annual report", publisher__name="Sony")
    with django_capture_on_commit_callbacks() as callbacks:
        sourcing.change_sources(
            claim,
            by=editor,
            save=lambda: Attribution.objects.create(claim=claim, document=document, position=1),
        )
    article.refresh_from_db()
    assert article.version == version + 1
    event = article.events.get()
    assert (event.action, event.actor_name) == ("sources_changed", "Maria Okafor")
    assert "Sony" in event.note
    assert article.revisions.get().version == article.version
    assert len(callbacks) == 1  # article_changed("updated"): the cache and the webhooks


def test_removing_a_draft_claim_is_recorded_without_telling_partners(
    reporter, django_capture_on_commit_callbacks
):
    article = make_publishable(ArticleFactory(created_by=reporter))
    with django_capture_on_commit_callbacks() as callbacks:
        sourcing.remove_claim(article.claims.get(), by=reporter)
    assert not article.claims.exists()
    assert article.events.get().action == "claim_removed"
    assert article.revisions.get().data["claims"] == []
    assert callbacks == []
