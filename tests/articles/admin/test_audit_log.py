"""The audit log across articles: who did what to which article and when, filtered,
searched and exported as CSV, within the firewall for reading, and never edited."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent
from articles.publishing import workflow
from tests.articles.publishing.helpers import S, commercial_article, newsroom_article
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

LOG = reverse("admin:articles_articleevent_changelist")
EXPORT = reverse("admin:articles_articleevent_export")


@pytest.fixture
def trail(reporter, other_reporter, editor, commercial, agent, agent_key):
    """A morning's work on both desks, by people, an AI agent and the scheduler."""
    harbour = newsroom_article(reporter, headline="Harbour strike looms")
    workflow.submit(harbour, by=reporter)
    tram = newsroom_article(other_reporter, headline="Tram Wi-Fi approved")
    workflow.submit(tram, by=other_reporter)
    workflow.approve(tram, by=editor)
    workflow.publish(tram, by=editor)
    kestrel = commercial_article(commercial, headline="Kestrel mesh routers explained")
    workflow.submit(kestrel, by=commercial)
    robots = ArticleFactory(headline="Warehouse robots, counted")
    BylineFactory(article=robots, author=agent)
    workflow.submit_by_agent(robots, agent=agent, key=agent_key)
    return {"harbour": harbour, "tram": tram, "kestrel": kestrel, "robots": robots}


def rows(client, **params) -> list[tuple[str, str]]:
    """The listed events as (headline, action), newest first."""
    response = client.get(LOG, params)
    assert response.status_code == 200
    return [(e.article.headline, e.action) for e in response.context["cl"].result_list]


def exported(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_the_log_lists_every_event_with_who_action_article_and_states(client, editor, trail):
    client.force_login(editor)
    response = client.get(LOG)
    html = response.content.decode()

    assert response.context["title"] == "Audit log"
    assert rows(client) == [
        ("Warehouse robots, counted", "submit"),
        ("Tram Wi-Fi approved", "publish"),
        ("Tram Wi-Fi approved", "approve"),
        ("Tram Wi-Fi approved", "submit"),
        ("Harbour strike looms", "submit"),
    ]
    assert "Sift (AI agent, key “Sift drafts”)" in html
    assert "Maria Okafor" in html
    assert "Submitted for review" in html
    assert "Approved → Published" in html
    tram_page = reverse("admin:articles_article_change", args=[trail["tram"].pk])
    assert f'<a href="{tram_page}">Tram Wi-Fi approved</a>' in html


def test_filtering_by_action_shows_only_that_action(client, editor, trail):
    client.force_login(editor)
    assert rows(client, action="submit") == [
        ("Warehouse robots, counted", "submit"),
        ("Tram Wi-Fi approved", "submit"),
        ("Harbour strike looms", "submit"),
    ]
    assert rows(client, action="publish") == [("Tram Wi-Fi approved", "publish")]
    choices = client.get(LOG).context["cl"].filter_specs[0].lookup_choices
    assert ("publish", "Published") in choices


def test_filtering_by_who_picks_a_person_the_ai_agents_or_one_agent(
    client, editor, reporter, agent, trail
):
    client.force_login(editor)
    assert rows(client, who=str(editor.pk)) == [
        ("Tram Wi-Fi approved", "publish"),
        ("Tram Wi-Fi approved", "approve"),
    ]
    assert rows(client, who=str(reporter.pk)) == [("Harbour strike looms", "submit")]
    assert rows(client, who="agents") == [("Warehouse robots, counted", "submit")]
    assert rows(client, who=f"agent-{agent.pk}") == [("Warehouse robots, counted", "submit")]
    # Only people who appear in the log are offered; the commercial desk's work is not
    # readable to the editor, so neither is its author.
    names = [label for _, label in client.get(LOG).context["cl"].filter_specs[1].lookup_choices]
    assert names[:3] == ["Maria Okafor", "Priya Raman", "Tom Hale"]
    assert "Lena Park" not in names
    assert {"AI agents", "Sift (AI agent)", "The scheduler"} <= set(names)


def test_filtering_by_who_finds_what_the_scheduler_did(client, editor, trail):
    Article.objects.filter(pk=trail["harbour"].pk).update(
        status=S.SCHEDULED, scheduled_for=timezone.now() - dt.timedelta(minutes=1)
    )
    workflow.publish_due()
    client.force_login(editor)
    assert rows(client, who="scheduler") == [("Harbour strike looms", "publish")]
    assert "The scheduler" in client.get(LOG, {"who": "scheduler"}).content.decode()


def test_filtering_by_date_narrows_the_log(client, editor, trail):
    old = timezone.now() - dt.timedelta(days=40)
    ArticleEvent.objects.filter(article=trail["harbour"]).update(created_at=old)
    client.force_login(editor)
    changelist = client.get(LOG).context["cl"]
    [past_week] = [
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
        if choice["display"] == "Past 7 days"
    ]
    response = client.get(LOG + past_week)
    listed = [e.article.headline for e in response.context["cl"].result_list]
    assert "Harbour strike looms" not in listed
    assert len(listed) == 4
    on_the_day = timezone.localtime(old)
    day = {
        "created_at__year": on_the_day.year,
        "created_at__month": on_the_day.month,
        "created_at__day": on_the_day.day,
    }
    assert rows(client, **day) == [("Harbour strike looms", "submit")]


def test_search_finds_events_by_headline_and_by_note(client, editor, trail):
    workflow.request_changes(trail["harbour"], by=editor, note="Name the shipping line.")
    client.force_login(editor)
    assert {h for h, _ in rows(client, q="tram wi-fi")} == {"Tram Wi-Fi approved"}
    assert rows(client, q="shipping line") == [("Harbour strike looms", "request_changes")]


@pytest.mark.parametrize(
    "who",
    ["nobody", "agent-", "agent-²", "²", "agent-99999999999999999999", "99999999999999999999"],
)
def test_a_who_value_nobody_offered_filters_nothing_and_is_never_an_error(
    client, editor, trail, who
):
    client.force_login(editor)
    assert len(rows(client, who=who)) == 5


# -- export ---------------------------------------------------------------------------


def test_the_export_button_downloads_the_filtered_list_as_csv(client, editor, trail):
    client.force_login(editor)
    html = client.get(LOG, {"action": "submit"}).content.decode()
    assert f'href="{EXPORT}?action=submit"' in html

    response = client.get(EXPORT, {"action": "submit"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    header, *lines = exported(response)
    assert header == [
        "When",
        "Who",
        "Account",
        "Action",
        "Action code",
        "Article ID",
        "Article",
        "From",
        "To",
        "Note",
    ]
    assert [(line[1], line[2], line[6]) for line in lines] == [
        ("Sift (AI agent, key “Sift drafts”)", "", "Warehouse robots, counted"),
        ("Tom Hale", "reporter2", "Tram Wi-Fi approved"),
        ("Priya Raman", "reporter", "Harbour strike looms"),
    ]
    assert {(line[3], line[4], line[7], line[8]) for line in lines} == {
        ("Submitted for review", "submit", "Draft", "In review")
    }
    assert dt.datetime.fromisoformat(lines[0][0]).tzinfo is not None


def test_the_export_action_downloads_the_selected_events(client, editor, trail):
    publish = ArticleEvent.objects.get(action="publish")
    client.force_login(editor)
    response = client.post(
        LOG, {"action": "export_csv", "_selected_action": [publish.pk], "index": 0}
    )
    _, *lines = exported(response)
    assert [(line[4], line[5], line[9]) for line in lines] == [
        ("publish", str(trail["tram"].pk), "")
    ]


def test_the_export_never_hands_a_spreadsheet_a_formula(client, editor, trail):
    workflow.request_changes(trail["harbour"], by=editor, note='=HYPERLINK("http://x")')
    client.force_login(editor)
    _, line = exported(client.get(EXPORT, {"action": "request_changes"}))
    assert line[9] == '\'=HYPERLINK("http://x")'


def test_a_bad_filter_on_the_export_is_answered_with_the_log_not_an_error(client, editor):
    client.force_login(editor)
    response = client.get(EXPORT, {"created_at__gte": "not a date"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(LOG)


# -- the firewall for reading -----------------------------------------------------------


def test_an_editor_sees_no_event_of_a_commercial_draft_in_the_log_or_the_export(
    client, editor, trail
):
    client.force_login(editor)
    assert "Kestrel mesh routers explained" not in {h for h, _ in rows(client)}
    assert rows(client, q="Kestrel") == []
    _, *lines = exported(client.get(EXPORT))
    assert "Kestrel mesh routers explained" not in {line[6] for line in lines}


def test_the_commercial_desk_sees_its_own_work_and_published_journalism_only(
    client, commercial, trail
):
    client.force_login(commercial)
    assert {h for h, _ in rows(client)} == {
        "Kestrel mesh routers explained",
        "Tram Wi-Fi approved",
    }


def test_a_reporter_has_no_audit_log_and_with_the_permission_sees_no_commercial_draft(
    client, reporter, trail
):
    client.force_login(reporter)
    assert client.get(LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403

    reporter.user_permissions.add(Permission.objects.get(codename="view_articleevent"))
    client.force_login(reporter)
    seen = {h for h, _ in rows(client)}
    assert "Kestrel mesh routers explained" not in seen
    assert "Harbour strike looms" in seen


def test_a_standards_editor_sees_both_desks(client, standards, trail):
    client.force_login(standards)
    assert {h for h, _ in rows(client)} == {
        "Harbour strike looms",
        "Tram Wi-Fi approved",
        "Kestrel mesh routers explained",
        "Warehouse robots, counted",
    }
    _, *lines = exported(client.get(EXPORT, {"q": "Kestrel"}))
    assert [line[6] for line in lines] == ["Kestrel mesh routers explained"]


# -- nothing on the record is added, changed or deleted here ------------------------------


def test_nobody_adds_changes_or_deletes_an_event_here(client, administrator, trail):
    event = ArticleEvent.objects.get(action="publish")
    client.force_login(administrator)
    change = reverse("admin:articles_articleevent_change", args=[event.pk])
    delete = reverse("admin:articles_articleevent_delete", args=[event.pk])

    assert client.get(reverse("admin:articles_articleevent_add")).status_code == 403
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    actions = client.get(LOG).context["action_form"].fields["action"].choices
    assert [name for name, _ in actions if name] == ["export_csv"]
    assert ArticleEvent.objects.get(pk=event.pk).note == ""


# -- query budget -----------------------------------------------------------------------


def make_events(n: int, editor) -> None:
    for i in range(n):
        article = ArticleFactory(headline=f"Piece {i}")
        ArticleEvent.objects.create(
            article=article, action="approve", actor=editor, actor_name="Maria Okafor"
        )


def test_the_log_costs_the_same_queries_for_5_and_50_events(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    for n in (5, 50):
        make_events(n - ArticleEvent.objects.count(), editor)
        # session, user; the user's and their groups' permissions; the filters' choices
        # (actions, people, AI agents); the counts (filtered, all); the page of events
        # with their articles; the date hierarchy's first and last day, and its days.
        with django_assert_num_queries(12):
            response = client.get(LOG)
        assert len(response.context["cl"].result_list) == n
