"""Underwriting in the admin, over HTTP with real logins: the standards editor attaches,
changes and removes it on a newsroom article's Underwriting page; the sponsorship inline
offers each desk only its own kind; the commercial desk never reaches underwriting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Sponsor, Sponsorship
from articles.publishing import workflow
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url
from tests.articles.publishing.helpers import S, fresh, newsroom_article, put, status_of
from tests.factories import ArticleFactory, SponsorFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

UNDERWRITING = Sponsorship.Kind.UNDERWRITING
NATIVE = Sponsorship.Kind.NATIVE_ADVERTISING
DISCLOSURE = "Our harbour coverage is funded by a coastal grant from the Tidewater Foundation."


def underwriting_url(article) -> str:
    return reverse("admin:articles_article_underwriting", args=[article.pk])


def funder() -> Sponsor:
    return Sponsor.objects.filter(name="Tidewater Foundation").first() or SponsorFactory(
        name="Tidewater Foundation"
    )


def attach_data(**overrides) -> dict:
    return {
        "sponsor": funder().pk,
        "disclosure": DISCLOSURE,
        "campaign_starts_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "campaign_ends_on": "",
    } | overrides


def underwritten(reporter, status=S.DRAFT) -> Article:
    article = newsroom_article(reporter, headline="Port Alder votes to raise its sea wall")
    SponsorshipFactory(article=article, kind=UNDERWRITING, sponsor=funder(), disclosure=DISCLOSURE)
    return put(article, status)


# -- the standards editor's Underwriting page ---------------------------------------------


def test_standards_editor_attaches_underwriting_without_editing_the_text(
    client, standards, reporter
):
    article = newsroom_article(reporter)
    client.force_login(standards)
    page = client.get(change_url(article)).content.decode()
    assert underwriting_url(article) in page
    assert 'name="_save"' not in page  # the article's text stays the newsroom's

    response = client.post(underwriting_url(article), attach_data())

    assert response.status_code == 302
    assert response.url == change_url(article)
    assert fresh(article).label == "Supported by Tidewater Foundation"
    event = article.events.get()
    assert (event.action, event.actor) == ("sponsorship_added", standards)
    revision = article.revisions.get()
    assert revision.created_by == standards
    assert revision.data["sponsorship"]["kind"] == UNDERWRITING
    shown = client.get(change_url(article)).content.decode()
    assert "Underwriting attached: Supported by Tidewater Foundation" in shown


def test_standards_editor_changes_the_underwriting_of_a_draft(client, standards, reporter):
    article = underwritten(reporter)
    client.force_login(standards)
    form = client.get(underwriting_url(article)).content.decode()
    assert DISCLOSURE in form  # the form starts from what is there

    harbour = SponsorFactory(name="Harbour Trust")
    response = client.post(underwriting_url(article), attach_data(sponsor=harbour.pk))

    assert response.status_code == 302
    assert fresh(article).label == "Supported by Harbour Trust"
    assert article.events.get().action == "sponsorship_changed"


def test_the_page_says_why_a_published_piece_cannot_gain_underwriting(client, standards, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    client.force_login(standards)
    never_published = "while the article is a draft that has never been published"
    assert never_published in client.get(underwriting_url(article)).content.decode()

    response = client.post(underwriting_url(article), attach_data())

    assert response.status_code == 200
    assert never_published in response.content.decode()
    assert not Sponsorship.objects.exists()
    assert not article.events.exists()


def test_a_bad_campaign_is_a_form_error(client, standards, reporter):
    article = newsroom_article(reporter)
    client.force_login(standards)
    today = timezone.localdate()
    response = client.post(
        underwriting_url(article),
        attach_data(
            campaign_starts_on=today.isoformat(),
            campaign_ends_on=(today - dt.timedelta(days=3)).isoformat(),
        ),
    )
    assert response.status_code == 200
    assert "The campaign cannot end before it starts." in response.content.decode()
    assert not Sponsorship.objects.exists()


def test_removing_underwriting_from_a_live_piece_takes_it_down_with_its_note(
    client, standards, reporter
):
    article = underwritten(reporter, S.PUBLISHED)
    public = article.get_absolute_url()
    assert "Supported by Tidewater Foundation" in client.get(public).content.decode()
    client.force_login(standards)
    page = client.get(underwriting_url(article)).content.decode()
    assert "removing its underwriting unpublishes it first" in page

    # Without a reason nothing happens: the label stays where readers see it.
    refused = client.post(underwriting_url(article), {"remove": "1", "note": " "})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert status_of(article) == S.PUBLISHED

    response = client.post(
        underwriting_url(article), {"remove": "1", "note": "The foundation's grant ended."}
    )

    assert response.status_code == 302
    assert status_of(article) == S.UNPUBLISHED
    assert not fresh(article).is_sponsored
    assert list(article.events.order_by("pk").values_list("action", "actor_name", "note")) == [
        (
            "unpublish",
            "Ines Duarte",
            "Its sponsorship (Supported by Tidewater Foundation) was removed: "
            "The foundation's grant ended.",
        ),
        ("sponsorship_removed", "Ines Duarte", "The foundation's grant ended."),
    ]
    assert client.get(public).status_code == 410


def test_native_advertising_left_on_a_newsroom_draft_is_flagged_and_put_right(
    client, standards, reporter
):
    # Old data, from before sponsorship followed its kind.
    article = newsroom_article(reporter)
    SponsorshipFactory(article=article, kind=NATIVE)
    client.force_login(standards)
    page = client.get(underwriting_url(article)).content.decode()
    assert "belongs only on commercial-desk pieces, never on newsroom journalism" in page

    response = client.post(underwriting_url(article), attach_data())

    assert response.status_code == 302
    assert fresh(article).label == "Supported by Tidewater Foundation"
    assert not fresh(article).is_advertising


# -- the commercial desk and the line editors ------------------------------------------------


def test_the_commercial_desk_never_reaches_underwritten_journalism(
    client, commercial, reporter, other_reporter
):
    draft = underwritten(reporter)
    live = newsroom_article(other_reporter, S.PUBLISHED, headline="Sea wall works begin")
    SponsorshipFactory(article=live, kind=UNDERWRITING, sponsor=funder())
    client.force_login(commercial)

    # The draft does not exist for them, on its page or its Underwriting page.
    assert "doesn’t exist" in client.get(change_url(draft), follow=True).content.decode()
    assert client.get(underwriting_url(draft)).status_code == 404
    assert client.post(underwriting_url(draft), attach_data()).status_code == 404

    # The live piece they may read, but neither edit nor relabel.
    page = client.get(change_url(live))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert underwriting_url(live) not in page.content.decode()
    edit = change_form_data(page, headline="Sea wall works begin, sponsor says")
    assert client.post(change_url(live), edit).status_code == 403
    assert client.get(underwriting_url(live)).status_code == 403
    removal = client.post(underwriting_url(live), {"remove": "1", "note": "Campaign over."})
    assert removal.status_code == 403

    assert fresh(live).headline == "Sea wall works begin"
    assert status_of(live) == S.PUBLISHED
    assert fresh(live).label == "Supported by Tidewater Foundation"


def test_an_editor_edits_the_story_but_not_its_underwriting(client, editor, reporter):
    article = newsroom_article(reporter)
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert 'name="_save"' in page
    assert underwriting_url(article) not in page
    assert "sponsorship-TOTAL_FORMS" not in page
    assert client.get(underwriting_url(article)).status_code == 403
    assert client.post(underwriting_url(article), attach_data()).status_code == 403
    assert not Sponsorship.objects.exists()


def test_an_editor_sees_the_underwriting_of_a_story_but_cannot_change_it(client, editor, reporter):
    article = underwritten(reporter)
    client.force_login(editor)
    page = client.get(change_url(article))
    html = page.content.decode()

    assert page.status_code == 200
    assert 'name="_save"' in html
    assert DISCLOSURE in html
    assert 'name="sponsorship-0-disclosure"' not in html  # shown, not editable
    # Saving the story leaves its underwriting exactly as it was.
    response = client.post(change_url(article), change_form_data(page, dek="A new standfirst."))
    assert response.status_code == 302, response.context["errors"]
    assert fresh(article).dek == "A new standfirst."
    assert fresh(article).label == "Supported by Tidewater Foundation"
    assert not article.events.filter(action__startswith="sponsorship").exists()


# -- the sponsorship inline offers each desk only its own kind -------------------------------


def inline_post(client, article, **sponsorship):
    page = client.get(change_url(article))
    fields = {f"sponsorship-0-{name}": value for name, value in sponsorship.items()}
    data = change_form_data(page, **{"sponsorship-TOTAL_FORMS": "1", **fields})
    return page, client.post(change_url(article), data)


def test_administrator_attaches_underwriting_in_the_inline_of_a_newsroom_piece(
    client, administrator
):
    article = ArticleFactory(created_by=administrator)
    client.force_login(administrator)
    page, response = inline_post(
        client,
        article,
        sponsor=funder().pk,
        kind=UNDERWRITING,
        disclosure=DISCLOSURE,
        campaign_starts_on=timezone.localdate().isoformat(),
    )

    html = page.content.decode()
    assert 'value="underwriting"' in html
    assert 'value="native_advertising"' not in html
    assert response.status_code == 302, response.context["errors"]
    assert fresh(article).label == "Supported by Tidewater Foundation"
    assert article.events.get(action="sponsorship_added").actor == administrator


def test_native_advertising_cannot_be_posted_onto_a_newsroom_piece(client, administrator):
    article = ArticleFactory(created_by=administrator)
    client.force_login(administrator)
    _, response = inline_post(
        client,
        article,
        sponsor=funder().pk,
        kind=NATIVE,
        disclosure="Paid for by Tidewater.",
        campaign_starts_on=timezone.localdate().isoformat(),
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Sponsorship.objects.exists()


def test_the_commercial_desk_cannot_post_underwriting_onto_its_own_piece(client, commercial):
    client.force_login(commercial)
    add = client.get(reverse("admin:articles_article_add"))
    assert 'value="underwriting"' not in add.content.decode()
    data = change_form_data(
        add,
        headline="Networks for the next decade",
        body="<p>Text.</p>",
        section=ArticleFactory().section_id,
        **{
            "sponsorship-TOTAL_FORMS": "1",
            "sponsorship-0-sponsor": funder().pk,
            "sponsorship-0-kind": UNDERWRITING,
            "sponsorship-0-disclosure": DISCLOSURE,
            "sponsorship-0-campaign_starts_on": timezone.localdate().isoformat(),
        },
    )
    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Article.objects.filter(headline="Networks for the next decade").exists()


# -- to readers ----------------------------------------------------------------------------


def test_underwritten_journalism_is_published_and_reads_supported_by(
    client, standards, editor, second_editor, reporter
):
    article = newsroom_article(reporter)
    client.force_login(standards)
    assert client.post(underwriting_url(article), attach_data()).status_code == 302
    workflow.submit(article, by=reporter)

    # Four eyes as for any sponsored piece: one editor approves, another publishes.
    for user, step in [(second_editor, "approve"), (editor, "publish")]:
        client.force_login(user)
        page = client.get(change_url(article)).content.decode()
        assert "All publishing checks pass." in page
        client.post(reverse("admin:articles_article_transition", args=[article.pk, step]))

    assert status_of(article) == S.PUBLISHED
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Supported by Tidewater Foundation" in html
    assert (
        "Tidewater Foundation funded this coverage and had no role in choosing, reporting, "
        "writing or editing it." in html
    )
    assert "Sponsored Advertising Content" not in html
