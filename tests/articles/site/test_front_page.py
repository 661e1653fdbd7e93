"""The curated front page as readers see it: pinned stories at their positions until the
pin ends, the rest newest first, sponsored pieces only in their slots and labelled, every
change recorded and shown at once, at the home page's usual cost."""

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import TOP_STORIES, Article, FrontPageSlot
from articles.publishing import front_page
from articles.publishing.front_page import FrontPageError, Kind, Placement
from tests.factories import ArticleFactory, BylineFactory, ImageFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


def stories(n: int, *, start: int = 0) -> list[Article]:
    """``n`` published stories, the first the newest."""
    now = timezone.now()
    made = []
    for i in range(start, start + n):
        article = ArticleFactory(
            published=True,
            headline=f"Story {i}",
            published_at=now - dt.timedelta(minutes=10 + i),
        )
        BylineFactory(article=article)
        made.append(article)
    return made


def top_stories(client) -> list[str]:
    """The headlines of the lead and "Latest", in the order readers see them."""
    html = client.get("/").content.decode()
    top = html[: html.index("</section>")]
    return re.findall(r'<h[23]><a href="[^"]+">([^<]+)</a>', top)


def pin(by, **positions):
    """``pin(editor, p0=article, p3=(article, kind))``: pins through the service."""
    placements = {}
    for name, value in positions.items():
        position = int(name[1:])
        article, kind = value if isinstance(value, tuple) else (value, None)
        kind = kind or (Kind.LEAD if position == 0 else Kind.TOP)
        placements[position] = Placement(kind=kind, article=article)
    return front_page.save(placements, by=by)


def test_with_no_pins_the_front_page_is_newest_first(client):
    stories(4)
    assert top_stories(client) == ["Story 0", "Story 1", "Story 2", "Story 3"]


def test_a_pinned_lead_shows_first(client, editor):
    made = stories(5)
    pin(editor, p0=made[4])
    assert top_stories(client) == ["Story 4", "Story 0", "Story 1", "Story 2", "Story 3"]
    assert 'class="teaser lead"' in client.get("/").content.decode()


def test_pinned_stories_keep_their_positions_and_are_not_repeated(client, editor):
    made = stories(6)
    pin(editor, p1=made[5], p3=made[0])
    assert top_stories(client) == ["Story 1", "Story 5", "Story 2", "Story 0", "Story 3", "Story 4"]


def test_an_expired_pin_gives_the_position_back_to_the_newest(client, editor):
    made = stories(3)
    front_page.save(
        {0: Placement(Kind.LEAD, made[2], timezone.now() + dt.timedelta(hours=2))}, by=editor
    )
    assert top_stories(client)[0] == "Story 2"
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        assert top_stories(client) == ["Story 0", "Story 1", "Story 2"]


def test_a_pin_without_an_end_lasts_a_day(editor):
    made = stories(1)
    (slot,) = pin(editor, p0=made[0])
    assert slot.pinned_until == pytest.approx(
        timezone.now() + front_page.DEFAULT_PIN, abs=dt.timedelta(minutes=1)
    )


def test_a_pinned_piece_taken_down_gives_way(client, editor):
    made = stories(3)
    pin(editor, p0=made[2])
    Article.objects.filter(pk=made[2].pk).update(status=Article.Status.UNPUBLISHED)
    assert top_stories(client) == ["Story 0", "Story 1"]


def test_a_sponsored_piece_is_refused_in_an_editorial_slot(editor):
    made = stories(2)
    SponsorshipFactory(article=made[1])
    with pytest.raises(FrontPageError, match="only in a slot marked sponsored"):
        pin(editor, p2=made[1])
    with pytest.raises(FrontPageError, match="sponsored"):
        pin(editor, p0=made[1])
    assert not FrontPageSlot.objects.exists()


def test_a_sponsored_slot_takes_only_a_sponsored_piece(editor):
    made = stories(1)
    with pytest.raises(FrontPageError, match="takes only a sponsored piece"):
        pin(editor, p4=(made[0], Kind.SPONSORED))


def test_a_sponsored_piece_in_its_slot_keeps_its_label(client, editor):
    made = stories(4)
    SponsorshipFactory(article=made[3], sponsor__name="Kestrel Bank")
    pin(editor, p1=(made[3], Kind.SPONSORED))
    assert top_stories(client)[:2] == ["Story 0", "Story 3"]
    html = client.get("/").content.decode()
    teaser = html[: html.index("Story 3")].rsplit('<article class="teaser', 1)[1]
    assert "teaser--sponsored" in teaser and 'class="label label--ad"' in teaser


def test_a_piece_that_became_sponsored_leaves_an_editorial_slot(client, editor):
    made = stories(3)
    pin(editor, p0=made[2])
    SponsorshipFactory(article=made[2])
    assert top_stories(client)[0] == "Story 0"


def test_a_story_is_pinned_once_only(editor):
    made = stories(2)
    with pytest.raises(FrontPageError, match="already pinned at position 1"):
        pin(editor, p0=made[1], p2=made[1])


def test_an_expiry_in_the_past_is_refused(editor):
    made = stories(1)
    past = timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(FrontPageError, match="already have expired"):
        front_page.save({0: Placement(Kind.LEAD, made[0], past)}, by=editor)


def test_only_editors_choose_the_front_page(commercial, reporter):
    made = stories(1)
    for person in (commercial, reporter):
        with pytest.raises(PermissionDenied):
            pin(person, p0=made[0])


def test_every_change_is_recorded_with_who_and_what(editor):
    made = stories(2)
    pin(editor, p0=made[1])
    pin(editor, p0=None)
    records = list(FrontPageSlot.history.order_by("history_id"))
    assert [r.history_user for r in records] == [editor, editor]
    assert "“Story 1” pinned until" in records[0].history_change_reason
    assert records[1].history_change_reason == "Lead: automatic"
    assert records[1].article_id is None


def test_saving_the_same_front_page_again_records_nothing(editor):
    made = stories(1)
    until = timezone.now() + dt.timedelta(hours=5)
    front_page.save({0: Placement(Kind.LEAD, made[0], until)}, by=editor)
    assert front_page.save({0: Placement(Kind.LEAD, made[0], until)}, by=editor) == []
    assert FrontPageSlot.history.count() == 1


def test_a_change_shows_on_the_cached_home_page_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    made = stories(3)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    assert captured.captured_queries == []  # cached
    with django_capture_on_commit_callbacks(execute=True):
        pin(editor, p0=made[2])
    assert top_stories(client)[0] == "Story 2"


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_the_home_page_costs_the_same_with_5_or_50_stories_and_0_or_all_pinned(
    client, settings, editor
):
    settings.PUBLIC_CACHE_SECONDS = 0
    image = ImageFactory()
    stories(5)
    made = stories(45, start=5)
    Article.objects.filter(pk__in=[a.pk for a in made[:40]]).update(status="draft")
    Article.objects.update(lead_image=image)
    client.get("/")  # the picture's renditions are made once, on first sight
    # sections with their rails; the current pins; the newest ids; the stories; their
    # bylines, renditions and reviews
    assert home_queries(client) == 7
    Article.objects.update(status="published")
    assert home_queries(client) == 7
    front_page.save(
        {p: Placement(Kind.LEAD if p == 0 else Kind.TOP, made[-1 - p]) for p in range(TOP_STORIES)},
        by=editor,
    )
    assert len(front_page.current_pins()) == TOP_STORIES
    assert top_stories(client)[:2] == ["Story 49", "Story 48"]
    assert home_queries(client) == 7


def test_compose_fills_around_pins_without_repeating():
    assert front_page.compose({0: 9, 2: 3}, [1, 2, 3, 4, 5], size=5) == [9, 1, 3, 2, 4]
    assert front_page.compose({}, [1, 2], size=5) == [1, 2]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this there"
)
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_never_make_a_500(editor, second_editor):
    made = stories(2)
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def run(person, article) -> None:
        try:
            start.wait()
            pin(person, p0=article)
            outcomes.append("saved")
        except FrontPageError as exc:
            outcomes.append(str(exc))
        except BaseException as exc:  # reported below, in the test's own thread
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=args)
        for args in ((editor, made[0]), (second_editor, made[1]))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert "saved" in outcomes
    assert all(o == "saved" or "at the same moment" in o for o in outcomes), outcomes
    assert FrontPageSlot.objects.count() == 1
    assert FrontPageSlot.history.count() == outcomes.count("saved")
