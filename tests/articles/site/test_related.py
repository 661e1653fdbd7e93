"""The "Related articles" block under an article: editors' pins first, then the pieces
sharing the most tags, then the section's newest; published pieces only, labels kept."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent, Byline, RelatedPin
from articles.publishing import workflow
from articles.site.related import related_articles
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready, set_status
from tests.articles.site.helpers import LABEL, html_of, teaser_of
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    BylineFactory,
    ImageFactory,
    SectionFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


def piece(headline: str, *, hours_ago: int = 1, tags=(), **fields):
    fields.setdefault("section", SectionFactory())
    article = ArticleFactory(
        published=True,
        headline=headline,
        published_at=timezone.now() - dt.timedelta(hours=hours_ago),
        **fields,
    )
    if tags:
        article.tags.add(*tags)
    return article


def pin(article, related, position: int):
    return RelatedPin.objects.create(article=article, related=related, position=position)


def related_headlines(html: str) -> list[str]:
    """The headlines of the related block's cards, in page order."""
    block = html.split('<aside class="related"', 1)[1].split("</aside>", 1)[0]
    return re.findall(r"<h3><a [^>]*>([^<]*)</a></h3>", block)


@pytest.fixture
def harbour():
    section = SectionFactory(name="Port", slug="port")
    return piece("Harbour plan", section=section, tags=["port", "ferries", "budget"])


def test_pins_come_first_then_shared_tags_then_the_section_newest(harbour):
    section = harbour.section
    first_pin = piece("Pinned first", hours_ago=90)
    second_pin = piece("Pinned second", hours_ago=2)
    pin(harbour, first_pin, 0)
    pin(harbour, second_pin, 1)
    piece("Shares three", hours_ago=80, tags=["port", "ferries", "budget"])
    piece("Shares two", hours_ago=70, tags=["port", "ferries"])
    piece("Shares one, newer", hours_ago=3, tags=["budget"])
    piece("Shares one, older", hours_ago=60, tags=["port", "weather"])
    piece("Same section, newest", hours_ago=4, section=section)
    piece("Same section, older", hours_ago=50, section=section)
    piece("Unrelated", hours_ago=1, tags=["weather"])

    headlines = [a.headline for a in related_articles(harbour, size=20)]

    assert headlines == [
        "Pinned first",
        "Pinned second",
        "Shares three",
        "Shares two",
        "Shares one, newer",
        "Shares one, older",
        "Same section, newest",
        "Same section, older",
    ]


def test_the_page_shows_the_first_four_in_that_order(client, harbour):
    pin(harbour, piece("Pinned"), 0)
    piece("Shares two", hours_ago=70, tags=["port", "ferries"])
    piece("Shares one", hours_ago=3, tags=["budget"])
    piece("In the section", hours_ago=2, section=harbour.section)
    piece("In the section, older", hours_ago=9, section=harbour.section)

    html = html_of(client, harbour.get_absolute_url())

    assert related_headlines(html) == ["Pinned", "Shares two", "Shares one", "In the section"]


def test_the_article_itself_and_unpublished_pieces_are_never_shown(client, harbour):
    pin(harbour, ArticleFactory(headline="Pinned draft", section=harbour.section), 0)
    taken_down = piece("Pinned, taken down")
    pin(harbour, taken_down, 1)
    Article.objects.filter(pk=taken_down.pk).update(status=Article.Status.UNPUBLISHED)
    draft = ArticleFactory(headline="Tagged draft", section=harbour.section)
    draft.tags.add("port", "ferries", "budget")
    piece("Scheduled for later", hours_ago=-5, tags=["port"], section=harbour.section)
    piece("Shares a tag", tags=["port"])

    html = html_of(client, harbour.get_absolute_url())

    assert related_headlines(html) == ["Shares a tag"]
    assert [a.headline for a in related_articles(harbour)] == ["Shares a tag"]


def test_a_pinned_draft_appears_once_it_is_published(
    client, editor, harbour, django_capture_on_commit_callbacks
):
    draft = ready(ArticleFactory(headline="Follow-up", section=SectionFactory()))
    pin(harbour, draft, 0)
    assert "Follow-up" not in html_of(client, harbour.get_absolute_url())  # and cached
    set_status(draft, Article.Status.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, by=editor)

    assert related_headlines(html_of(client, harbour.get_absolute_url())) == ["Follow-up"]


def test_a_sponsored_related_piece_keeps_its_label_above_its_headline(client, harbour):
    sponsored = piece("Cloud gaming at home", tags=["port"])
    SponsorshipFactory(article=sponsored)
    by_agent = piece("Tide tables explained", tags=["ferries"])
    BylineFactory(article=by_agent, author=AIAgentFactory(), role=Byline.Role.BY)

    html = html_of(client, harbour.get_absolute_url())
    block = html.split('<aside class="related"', 1)[1]

    card = teaser_of(block, "Cloud gaming at home")
    assert LABEL in card
    assert card.index(LABEL) < card.index("Cloud gaming at home")
    assert 'class="ai-mark"' in teaser_of(block, "Tide tables explained")


# -- cost -----------------------------------------------------------------------------


def page_queries(client, article) -> int:
    client.get(article.get_absolute_url())  # the pictures' renditions, made on first sight
    with CaptureQueriesContext(connection) as captured:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(captured.captured_queries)


def test_the_block_costs_the_same_queries_for_1_or_10_tags_and_0_or_4_pins(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory()
    few = piece("Few tags", section=section, tags=["t0"], lead_image=ImageFactory())
    many = piece("Many tags", section=section, tags=[f"t{i}" for i in range(10)])
    for i in range(12):
        other = piece(f"Other {i}", section=section, tags=[f"t{j}" for j in range(i % 10 + 1)])
        other.lead_image = ImageFactory()
        other.save()
        BylineFactory(article=other)

    baseline = page_queries(client, few)
    assert page_queries(client, many) == baseline
    for position in range(4):
        pin(many, piece(f"Pin {position}", lead_image=ImageFactory()), position)
    assert page_queries(client, many) == baseline
    assert len(related_headlines(html_of(client, many.get_absolute_url()))) == 4


# -- the cache ------------------------------------------------------------------------


def test_unpublishing_a_related_piece_refreshes_the_cached_page_showing_it(
    client, editor, harbour, django_capture_on_commit_callbacks, django_assert_num_queries
):
    pinned = piece("Pinned elsewhere")  # another section, no tag in common
    pin(harbour, pinned, 0)
    response = client.get(harbour.get_absolute_url())
    assert f"article-{pinned.pk}" in response["xkey"].split()
    with django_assert_num_queries(0):  # from the page cache
        assert "Pinned elsewhere" in html_of(client, harbour.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(pinned, by=editor, note="Legal advice.")

    assert "Pinned elsewhere" not in html_of(client, harbour.get_absolute_url())


# -- pinning in the admin -------------------------------------------------------------


def test_an_editor_pins_related_pieces_on_the_article_page(client, editor, harbour):
    ready(harbour)
    follow_up = piece("Follow-up")
    client.force_login(editor)
    data = change_form_data(client.get(change_url(harbour)))
    data |= {
        "related_pins-TOTAL_FORMS": "1",
        "related_pins-0-position": "0",
        "related_pins-0-related": str(follow_up.pk),
    }

    response = client.post(change_url(harbour), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert [p.related for p in harbour.related_pins.all()] == [follow_up]
    event = ArticleEvent.objects.filter(article=harbour, action="edit").latest("pk")
    assert "related articles" in event.note


def test_pinning_an_article_under_itself_is_refused_with_a_message(client, editor, harbour):
    ready(harbour)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(harbour)))
    data |= {
        "related_pins-TOTAL_FORMS": "1",
        "related_pins-0-position": "0",
        "related_pins-0-related": str(harbour.pk),
    }

    response = client.post(change_url(harbour), data)

    assert response.status_code == 200
    assert "An article cannot be related to itself." in response.content.decode()
    assert not RelatedPin.objects.exists()


def test_a_newsroom_editor_cannot_find_or_pin_a_commercial_draft(client, editor, harbour):
    ready(harbour)
    secret = ArticleFactory(headline="Harbour secret campaign", desk="commercial")
    public = piece("Harbour ferries return")
    client.force_login(editor)

    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "relatedpin",
            "field_name": "related",
            "term": "Harbour",
        },
    ).json()
    offered = {int(result["id"]) for result in found["results"]}
    assert public.pk in offered
    assert secret.pk not in offered

    data = change_form_data(client.get(change_url(harbour)))
    data |= {
        "related_pins-TOTAL_FORMS": "1",
        "related_pins-0-position": "0",
        "related_pins-0-related": str(secret.pk),
    }
    response = client.post(change_url(harbour), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not RelatedPin.objects.exists()


def test_the_change_page_shows_the_pins_in_the_same_queries_for_0_or_3(client, editor, harbour):
    client.force_login(editor)
    client.get(change_url(harbour))

    def change_page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(change_url(harbour))
        assert response.status_code == 200
        return len(captured.captured_queries)

    none = change_page_queries()
    for position in range(3):
        pin(harbour, piece(f"Pinned piece {position}"), position)
    assert change_page_queries() == none
    html = client.get(change_url(harbour)).content.decode()
    for position in range(3):
        assert f"Pinned piece {position}" in html
