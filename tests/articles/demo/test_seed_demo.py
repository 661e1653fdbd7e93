"""The demo newsroom: safe to load twice, and showing every label, byline and citation shape."""

import datetime as dt
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from articles.demo import USERS
from articles.models import (
    EDITORIAL_WORK_TYPES,
    AIInvolvement,
    Article,
    Byline,
    Correction,
    Sponsor,
    Sponsorship,
    WorkType,
)
from articles.publishing import workflow
from sources.citations import citation_text
from sources.models import Attribution, Claim, Publisher, SourceDocument

pytestmark = pytest.mark.django_db

# The demo dates its sources relative to when it is loaded: loaded on 14 April,
# the Reuters report from four days earlier reads “April 10”.
LOADED_AT = dt.datetime(2026, 4, 14, 9, 30, tzinfo=dt.UTC)
SUMMARY_LINE = re.compile(r"^(?P<label>[\w ]+): (?P<created>\d+) created, (?P<existing>\d+) ", re.M)


@pytest.fixture(autouse=True)
def _development(settings, time_machine):
    settings.DEBUG = True  # pytest-django turns it off; the demo is for development
    # Four real password hashes per test would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(LOADED_AT, tick=False)


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def summary(output: str) -> dict[str, tuple[int, int]]:
    return {
        m["label"]: (int(m["created"]), int(m["existing"])) for m in SUMMARY_LINE.finditer(output)
    }


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model the demo touches, permissions and tags included."""
    models = [
        model
        for app in ["auth", "articles", "sources", "taggit"]
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    ]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@pytest.fixture
def sponsored_analysis():
    seed()
    # The English original (its German and French translations are native advertising too).
    return Article.objects.for_detail().get(
        sponsorship__kind="native_advertising", translation_of=None
    )


def test_second_run_a_day_later_creates_and_changes_nothing(time_machine):
    first = summary(seed())
    before = snapshot()
    time_machine.shift(dt.timedelta(days=1))  # so a stray save would show in updated_at

    second = summary(seed())

    assert snapshot() == before
    assert first["Articles"][0] >= 12
    assert second == {label: (0, created) for label, (created, _) in first.items()}


def test_a_database_seeded_by_an_older_demo_is_kept_and_told_what_is_left_out(caplog):
    """A developer's database seeded before a claim was added to the demo: ``make run``
    seeds again, keeps the stored text and says which claim it left out."""
    seed()
    article = Article.objects.get(slug="cloud-gaming-home-network-ready")
    newest = article.claims.order_by("-pk").first()
    older_body = article.body.replace(newest.text, "")
    newest.delete()
    Article.objects.filter(pk=article.pk).update(body=older_body)

    output = seed()

    assert "Demo newsroom ready" in output
    assert Article.objects.get(pk=article.pk).body == older_body
    assert not article.claims.filter(text=newest.text).exists()
    assert f"its claim “{newest.text}” is left out" in caplog.text


def test_demo_has_every_editorial_type_and_a_couple_of_drafts():
    seed()
    articles = Article.objects.all()

    assert articles.count() >= 12
    assert {a.type_of_work for a in articles} == {value for value, _ in EDITORIAL_WORK_TYPES}
    assert 1 <= articles.drafts().count() <= 2
    assert articles.published().count() == articles.count() - articles.drafts().count()


def test_sponsored_analysis_is_labelled_advertising_and_bylined_by_the_ai_agent(
    sponsored_analysis,
):
    article = sponsored_analysis
    [agent] = article.authors

    assert article.label == "Sponsored Advertising Content"
    assert article.work_type == WorkType.ADVERTISER_CONTENT
    assert article.type_of_work == WorkType.ANALYSIS
    assert article.sponsorship.sponsor.name == "Kestrel Networks"
    assert article.sponsorship.is_active_on(timezone.localdate())
    assert article.created_by.username == "commercial"
    assert article.desk == Article.Desk.COMMERCIAL
    assert article.ai_involvement == AIInvolvement.GENERATED
    assert article.latest_review.reviewer.username == "commercial"
    assert article.latest_review.version == article.version
    assert agent.is_ai_agent
    assert agent.description == "an AI agent operated by Newsroom Media Ltd"
    assert agent.supervising_editor.get_full_name() == "Maria Okafor"
    assert agent.covers == "Covers: AI, machine learning, autonomous systems"
    assert "AI agent" in agent.bio
    assert "AI agent" in agent.disclosure


def test_sponsored_analysis_cites_in_all_four_shapes_in_body_order(sponsored_analysis):
    citations = [citation_text(c.attributions.all()) for c in sponsored_analysis.claims.all()]

    assert citations == [
        "Sony",
        "Sony; Reuters/Yahoo Finance",
        "Reuters via Yahoo Finance, April 10",
        "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance",
        "according to Bloomberg as quoted by Yahoo Finance",
    ]


def test_every_claim_is_in_its_body_and_sourced_and_ai_involvement_is_declared():
    seed()

    for article in Article.objects.for_detail():
        assert article.detached_claims() == [], article.slug
        assert article.ai_involvement_problem() == "", article.slug
    assert Claim.objects.count() >= 8
    assert not Claim.objects.filter(attributions__isnull=True).exists()


def test_every_published_demo_article_passes_the_publish_gates():
    seed()

    for article in Article.objects.for_detail().published():
        assert workflow.publish_problems(article) == [], article.slug


def test_demo_shows_underwriting_opinion_corrections_and_ai_assistance():
    seed()
    underwritten = Article.objects.get(sponsorship__kind=Sponsorship.Kind.UNDERWRITING)
    assisted = Article.objects.get(ai_involvement=AIInvolvement.ASSISTED)
    roles = {(b.author.is_ai_agent, b.role) for b in assisted.bylines.all()}
    published = Article.objects.published()

    assert underwritten.label == "Supported by Tidewater Foundation"
    # Underwritten journalism is the newsroom's own work, made by a newsroom editor.
    assert underwritten.desk == Article.Desk.NEWSROOM
    assert underwritten.created_by.username == "editor"
    assert not any(a.is_ai_agent for a in underwritten.authors)
    assert roles == {(False, Byline.Role.BY), (True, Byline.Role.RESEARCH)}
    assert published.filter(type_of_work=WorkType.OPINION, bylines__author__kind="human").exists()
    for kind in [Correction.Kind.CORRECTION, Correction.Kind.UPDATE]:
        note = Correction.objects.get(kind=kind)
        assert note.article in published
        assert note.article.published_at < note.created_at < timezone.now()


def test_every_link_in_the_demo_points_at_a_reserved_example_domain():
    seed()
    links = [
        *Publisher.objects.values_list("url", flat=True),
        *SourceDocument.objects.values_list("url", flat=True),
        *Sponsor.objects.values_list("website", flat=True),
        *Attribution.objects.exclude(via_url="").values_list("via_url", flat=True),
        *(
            href
            for body in Article.objects.values_list("body", flat=True)
            for href in re.findall(r'href="([^"]+)"', body)
        ),
    ]

    hosts = {urlsplit(link).hostname for link in links}
    assert all(host.endswith((".example.com", ".example.org")) for host in hosts), hosts


def test_demo_log_ins_open_the_admin(client):
    seed()

    for user in USERS:
        assert client.login(username=user["username"], password=user["password"]), user
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_demo_users_hold_their_roles():
    seed()
    users = {u.username: u for u in get_user_model().objects.all()}

    assert users["admin"].is_superuser
    assert users["editor"].has_perm("articles.publish_article")
    assert not users["editor"].has_perm("articles.manage_sponsored_content")
    assert users["commercial"].has_perm("articles.manage_sponsored_content")
    assert not users["commercial"].has_perm("articles.edit_newsroom_article")
    assert users["reporter"].has_perm("articles.submit_article")
    assert not users["reporter"].has_perm("articles.publish_article")
    assert users["reporter"].author_profile.name == "Tomás Reyes"
    # A second commercial editor approves what the first makes (four eyes), and the
    # standards editor reads both desks' unpublished work without changing any text, and
    # alone manages underwriting (never the commercial desk).
    assert users["commercial2"].has_perm("articles.manage_sponsored_content")
    assert users["standards"].has_perm("articles.view_all_desks")
    assert not users["standards"].has_perm("articles.change_article")
    assert users["standards"].has_perm("articles.manage_underwriting")
    assert not users["commercial"].has_perm("articles.manage_underwriting")
    assert not users["editor"].has_perm("articles.manage_underwriting")


def test_a_changed_demo_password_is_put_back():
    seed()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("something-else")
    editor.save()

    seed()

    editor.refresh_from_db()
    assert editor.check_password("newsroom-editor")


def test_refuses_to_run_without_debug_and_writes_nothing():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG off"):
        seed()

    assert not get_user_model().objects.exists()
    assert not Article.objects.exists()


def test_allow_production_runs_without_debug_and_warns_about_the_passwords():
    with override_settings(DEBUG=False):
        output = seed(allow_production=True)

    assert "passwords are public" in output
    assert Article.objects.exists()
