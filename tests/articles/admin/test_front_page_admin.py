"""The admin's "Front page" page: editors see the front page as readers do and pin, move
and unpin stories on it; refusals are form errors, never a 500; the page's cost does not
grow with the pins."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import TOP_STORIES, FrontPageSlot
from tests.articles.site.test_front_page import pin, stories, top_stories
from tests.factories import ArticleFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:articles_frontpageslot_changelist")


def form_data(client, **changes) -> dict:
    """The page's form as it stands, with ``changes`` (``{"3-order": "1"}``) applied."""
    formset = client.get(URL).context["formset"]
    data = {
        "form-TOTAL_FORMS": str(TOP_STORIES),
        "form-INITIAL_FORMS": str(TOP_STORIES),
        "form-MIN_NUM_FORMS": str(TOP_STORIES),
        "form-MAX_NUM_FORMS": str(TOP_STORIES),
    }
    for i, form in enumerate(formset.forms):
        for name in ("position", "shown", "order", "kind", "article"):
            value = form.initial.get(name)
            data[f"form-{i}-{name}"] = "" if value is None else str(value)
        until = form.initial.get("pinned_until")
        data[f"form-{i}-pinned_until"] = until.strftime("%Y-%m-%dT%H:%M") if until else ""
    data.update({f"form-{key.replace('_', '-', 1)}": str(v) for key, v in changes.items()})
    return data


def post(client, **changes):
    return client.post(URL, form_data(client, **changes))


def saved(response) -> bool:
    if response.status_code == 302:
        return True
    formset = response.context["formset"]
    raise AssertionError([formset.non_form_errors(), *(f.errors for f in formset.forms)])


def test_editors_see_the_front_page_as_readers_do(editor_client, editor):
    made = stories(3)
    pin(editor, p0=made[2])
    page = editor_client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Story 2") < html.index("Story 0") < html.index("Story 1")
    assert "Pinned" in html and "Automatic" in html


def test_the_commercial_desk_and_reporters_cannot_open_it(client, commercial, reporter):
    for person in (commercial, reporter):
        client.force_login(person)
        assert client.get(URL).status_code == 403
        assert "Arrange the front page" not in client.get("/admin/").content.decode()


def test_the_editorial_overview_links_to_it(editor_client):
    assert (
        f'<a href="{URL}">Arrange the front page</a>'
        in editor_client.get("/admin/").content.decode()
    )


def test_pinning_a_story_as_lead_changes_the_home_page(client, editor_client, editor):
    made = stories(3)
    until = (timezone.localtime() + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    response = post(editor_client, **{"0_article": made[2].pk, "0_pinned_until": until})
    assert saved(response)
    assert top_stories(client)[0] == "Story 2"
    slot = FrontPageSlot.objects.get(position=0)
    assert slot.updated_by == editor
    assert timezone.localtime(slot.pinned_until).strftime("%Y-%m-%dT%H:%M") == until
    assert FrontPageSlot.history.get().history_user == editor
    recent = editor_client.get(URL).content.decode().split("Recent changes", 1)[1]
    assert "editor: Lead: “Story 2” pinned until" in recent


def test_renumbering_two_stories_swaps_them_on_the_cached_home_page(
    editor_client, django_capture_on_commit_callbacks
):
    stories(4)
    reader = Client()
    assert top_stories(reader) == ["Story 0", "Story 1", "Story 2", "Story 3"]  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        assert saved(post(editor_client, **{"1_order": 3, "2_order": 2}))
    assert top_stories(reader) == ["Story 0", "Story 2", "Story 1", "Story 3"]
    assert set(FrontPageSlot.objects.values_list("position", flat=True)) == {1, 2}


def test_clearing_a_pin_makes_the_position_automatic_again(client, editor_client, editor):
    made = stories(3)
    pin(editor, p0=made[2])
    assert saved(post(editor_client, **{"0_article": ""}))
    assert top_stories(client)[0] == "Story 0"


def test_a_sponsored_piece_in_an_editorial_slot_is_a_form_error(editor_client):
    made = stories(2)
    SponsorshipFactory(article=made[1])
    response = post(editor_client, **{"3_article": made[1].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The front page was not changed" in html
    assert "is sponsored: it may go only in a slot marked sponsored" in html
    assert not FrontPageSlot.objects.exists()


def test_a_sponsored_piece_in_a_sponsored_slot_is_placed_with_its_label(client, editor_client):
    made = stories(4)
    SponsorshipFactory(article=made[3])
    response = post(editor_client, **{"2_kind": "sponsored", "2_article": made[3].pk})
    assert saved(response)
    assert top_stories(client)[2] == "Story 3"
    html = client.get("/").content.decode()
    teaser = html[: html.index("Story 3")].rsplit('<article class="teaser', 1)[1]
    assert 'class="label label--ad"' in teaser


@pytest.mark.parametrize(
    "changes",
    [
        {"0_order": "first"},
        {"0_order": "99"},
        {"0_article": "999999"},
        {"0_article": "abc"},
        {"0_pinned_until": "tomorrow-ish"},
        {"4_kind": "lead"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(editor_client, changes):
    stories(2)
    response = post(editor_client, **changes)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not FrontPageSlot.objects.exists()


def test_a_draft_cannot_be_pinned(editor_client):
    draft = ArticleFactory(headline="Not yet")
    response = post(editor_client, **{"0_article": draft.pk})
    assert response.status_code == 200
    assert "is not published" in response.content.decode()


def test_the_autocomplete_offers_only_published_pieces(editor_client):
    stories(1)
    ArticleFactory(headline="Story draft")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "frontpageslot", "field_name": "article"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Story 0"]


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_with_no_pins_and_every_position_pinned(editor_client, editor):
    made = stories(TOP_STORIES)
    editor_client.get(URL)
    none = page_queries(editor_client)
    for position, article in enumerate(made):
        pin(editor, **{f"p{position}": article})
    assert page_queries(editor_client) == none


def test_a_single_slot_is_changed_only_on_the_whole_page(editor_client, editor):
    made = stories(1)
    (slot,) = pin(editor, p0=made[0])
    change = reverse("admin:articles_frontpageslot_change", args=[slot.pk])
    assert editor_client.post(change, {"position": 5, "kind": "sponsored"}).url == URL
    assert FrontPageSlot.objects.get().position == 0
    history = reverse("admin:articles_frontpageslot_history", args=[slot.pk])
    assert "Story 0" in editor_client.get(history).content.decode()
