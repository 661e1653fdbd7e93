"""The rules for records shown on many articles: which published pieces show each one,
who may change it, when a note is needed, and the cost of telling every live piece."""

import pytest

from articles.models import Article, Author, Image
from articles.publishing import shared_records, workflow
from articles.publishing.transitions import WorkflowError
from sources.models import Attribution
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    ImageFactory,
    PublisherFactory,
    SourceDocumentFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db

Desk = Article.Desk


def live(**fields) -> Article:
    return ArticleFactory(published=True, **fields)


def test_each_kind_of_record_is_found_on_the_published_pieces_that_show_it():
    author, sponsor, image = AIAgentFactory(), SponsorFactory(), ImageFactory()
    yahoo = PublisherFactory(name="Yahoo Finance")
    document = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters"))
    shows_all, draft = live(lead_image=image), ArticleFactory(lead_image=image)
    carried = live()
    for article in (shows_all, draft):
        BylineFactory(article=article, author=author)
        SponsorshipFactory(article=article, sponsor=sponsor)
        AttributionFactory(claim=ClaimFactory(article=article), document=document)
    AttributionFactory(
        claim=ClaimFactory(article=carried),
        document=SourceDocumentFactory(),
        via=yahoo,
        relation=Attribution.Relation.CARRIED_BY,
    )
    live()  # shows none of them

    def shown_on(record) -> set[Article]:
        return set(shared_records.live_articles(record))

    for record in (author, sponsor, image, document, document.publisher):
        assert shown_on(record) == {shows_all}
    assert shown_on(yahoo) == {carried}  # an intermediary is printed too


def test_only_an_editor_of_the_desks_showing_it_may_change_a_live_record(
    editor, commercial, reporter, administrator, standards
):
    image = ImageFactory()
    assert shared_records.change_problem(reporter, image) == ""  # not on any live piece

    live(lead_image=image)
    problem = "is shown on 1 published article, so only an editor of the newsroom may"
    assert problem in shared_records.change_problem(reporter, image)
    assert problem in shared_records.change_problem(commercial, image)
    assert problem in shared_records.change_problem(standards, image)
    assert shared_records.change_problem(editor, image) == ""
    assert shared_records.change_problem(administrator, image) == ""

    live(lead_image=image, desk=Desk.COMMERCIAL)
    assert shared_records.change_problem(commercial, image) == ""
    assert shared_records.change_problem(editor, image) == ""
    assert "an editor of the commercial desk or an editor of the newsroom" in (
        shared_records.change_problem(reporter, image)
    )


def test_turning_off_an_ai_flag_on_a_live_record_needs_a_note():
    image = ImageFactory(source_kind=Image.SourceKind.AI_GENERATED)
    agent = AIAgentFactory()
    staff = Image.objects.get(pk=image.pk)
    staff.source_kind = Image.SourceKind.STAFF
    human = Author.objects.get(pk=agent.pk)
    human.kind = Author.Kind.HUMAN
    # Nothing published shows them yet.
    assert shared_records.note_problem(staff, before=image, note="") == ""

    live(lead_image=image)
    BylineFactory(article=live(), author=agent)
    assert "the image's AI-generated source" in (
        shared_records.note_problem(staff, before=image, note="")
    )
    assert shared_records.note_problem(staff, before=image, note="A staff photo.") == ""
    assert "the author's AI-agent kind" in shared_records.note_problem(human, before=agent, note="")
    unsigned = Author.objects.get(pk=agent.pk)
    unsigned.disclosure = " "
    assert "the agent's public disclosure" in (
        shared_records.note_problem(unsigned, before=agent, note="")
    )
    # Turning one on needs no note.
    assert shared_records.note_problem(image, before=staff, note="") == ""


def test_a_refused_change_saves_nothing(editor, commercial):
    image = ImageFactory(caption="Harbour")
    article = live(lead_image=image)
    image.caption = "Sea wall"
    with pytest.raises(WorkflowError, match="only an editor of the newsroom"):
        shared_records.save_change(image, by=commercial, save=image.save)
    image.refresh_from_db()
    assert image.caption == "Harbour"
    assert not article.events.exists()


def test_an_unchanged_save_tells_no_one(editor, django_capture_on_commit_callbacks):
    image = ImageFactory()
    article = live(lead_image=image)
    with django_capture_on_commit_callbacks() as callbacks:
        assert shared_records.save_change(image, by=editor, save=image.save) == []
    assert callbacks == []
    assert not article.events.exists()


@pytest.mark.parametrize("n", [5, 50])
def test_telling_live_pieces_costs_four_queries_and_one_notification(
    n, editor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    articles = [live(lead_image=image) for _ in range(n)]
    ArticleFactory(lead_image=image)  # a draft: not told

    # The live pieces; their audit events in one insert; their "updated" times in one update;
    # their change sequences (which webhook receivers order events by) in one more.
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(4):
        told = shared_records.shared_record_changed(
            image, by=editor, changed_fields=["caption", "credit"], note="New caption."
        )

    assert {article.pk for article in told} == {article.pk for article in articles}
    # One notification for them all, sent after commit: "updated" for each piece to the
    # listeners of article_changed, and the list of them once to articles_changed's.
    told_each, told_together = [], []
    workflow.article_changed.connect(each := lambda **kw: told_each.append(kw), weak=False)
    workflow.articles_changed.connect(together := lambda **kw: told_together.append(kw), weak=False)
    try:
        [callback] = callbacks
        callback()
    finally:
        workflow.article_changed.disconnect(each)
        workflow.articles_changed.disconnect(together)
    assert sorted(kw["article"].pk for kw in told_each) == sorted(a.pk for a in articles)
    [together_kw] = told_together
    assert {a.pk for a in together_kw["articles"]} == {a.pk for a in articles}
    assert {kw["action"] for kw in [*told_each, together_kw]} == {"updated"}
    for article in articles:
        assert article.events.get().note.endswith("changed: caption, credit. Why: New caption.")
