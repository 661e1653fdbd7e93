"""Images and authors shown on published pieces: only their desk's editors change them,
turning off an AI flag needs a note, and every change is in the record's history and in
each live piece's audit trail, on its public page at once and sent to partners."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleEvent, Author, Image
from tests.articles.media.helpers import stored_files
from tests.articles.webhooks.helpers import endpoint_at
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    BylineFactory,
    ImageFactory,
    make_publishable,
    png_upload,
)

pytestmark = pytest.mark.django_db

AI_LABEL = "AI-generated image"


def live(**fields) -> Article:
    """A published piece passing every publish gate."""
    return make_publishable(ArticleFactory(published=True, **fields))


def ai_image(**fields) -> Image:
    return ImageFactory(
        source_kind=Image.SourceKind.AI_GENERATED,
        caption="A flooded harbour at dawn",
        credit="Made with an image generator",
        **fields,
    )


def image_url(image) -> str:
    return reverse("admin:articles_image_change", args=[image.pk])


def image_form(image, **overrides) -> dict:
    """The image page as sent by a browser, without a new file."""
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "copyright": image.copyright,
        "source_kind": image.source_kind,
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
        "why": "",
    }
    return data | overrides


def to_staff_photo(image, **overrides) -> dict:
    return image_form(image, source_kind="staff", credit="Newsroom photo desk", **overrides)


def api_image(client, article) -> dict:
    return client.get(f"/api/v1/articles/{article.pk}/").json()["lead_image"]


# -- who may change it ----------------------------------------------------------------------


def test_reporter_cannot_switch_a_live_lead_image_from_ai_generated_to_staff(client, reporter):
    image = ai_image()
    article = live(lead_image=image, created_by=reporter)
    client.force_login(reporter)

    page = client.get(image_url(image))
    assert page.status_code == 200  # read-only, with the reason
    html = page.content.decode()
    assert "is shown on 1 published article, so only an editor of the newsroom" in html
    assert 'name="source_kind"' not in html
    response = client.post(image_url(image), to_staff_photo(image, why="It is a real photo."))

    assert response.status_code == 403
    image.refresh_from_db()
    assert image.source_kind == Image.SourceKind.AI_GENERATED
    assert image.history.count() == 1  # only its creation
    assert not ArticleEvent.objects.exists()
    client.logout()
    assert AI_LABEL in client.get(article.get_absolute_url()).content.decode()
    assert api_image(client, article)["reader_label"] == AI_LABEL


def test_editor_turning_off_the_ai_label_must_say_why(client, editor):
    image = ai_image()
    live(lead_image=image)
    client.force_login(editor)

    response = client.post(image_url(image), to_staff_photo(image))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Say why you are turning off the image's AI-generated source" in errors["why"][0]
    image.refresh_from_db()
    assert image.source_kind == Image.SourceKind.AI_GENERATED
    assert not ArticleEvent.objects.exists()


def test_editor_switching_a_live_image_to_staff_is_recorded_shown_and_sent_to_partners(
    client, editor, receiver, django_capture_on_commit_callbacks
):
    image = ai_image()
    first, second = live(lead_image=image), live(lead_image=image)
    draft = ArticleFactory(lead_image=image)
    endpoint_at(receiver.url)
    assert AI_LABEL in client.get(first.get_absolute_url()).content.decode()  # now cached
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            image_url(image), to_staff_photo(image, why="Our photographer took it; mislabelled.")
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.source_kind == Image.SourceKind.STAFF
    # The image's history: who, when, what and why.
    latest, previous = image.history.all()[:2]
    assert latest.history_user == editor
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Our photographer took it; mislabelled."
    assert set(latest.diff_against(previous).changed_fields) == {"source_kind", "credit"}
    # An audit event on each published piece showing it; none on the draft.
    for article in (first, second):
        event = article.events.get()
        assert (event.action, event.actor, event.actor_name) == (
            "shared_record_changed",
            editor,
            "Maria Okafor",
        )
        assert "source “AI-generated” → “Staff photo”" in event.note
        assert event.note.endswith("Why: Our photographer took it; mislabelled.")
    assert not draft.events.exists()
    # Readers see it at once: the cached page was cleared.
    client.logout()
    assert AI_LABEL not in client.get(first.get_absolute_url()).content.decode()
    assert api_image(client, second)["reader_label"] == ""
    # Partners are told once per published piece.
    assert sorted(p["article"]["id"] for p in receiver.payloads) == sorted([first.pk, second.pk])
    assert set(receiver.events) == {"article.updated"}
    assert all(p["article"]["lead_image"]["source_kind"] == "staff" for p in receiver.payloads)


def test_image_used_only_by_drafts_is_changed_freely_by_its_reporter(client, reporter):
    image = ai_image()
    draft = ArticleFactory(lead_image=image, created_by=reporter)
    client.force_login(reporter)

    response = client.post(image_url(image), to_staff_photo(image))

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.source_kind == Image.SourceKind.STAFF
    assert image.history.first().history_user == reporter
    assert not draft.events.exists()


def test_commercial_desk_changes_images_of_its_live_pieces_only(client, commercial, editor):
    theirs = ImageFactory(caption="Kestrel router")
    live(lead_image=theirs, desk=Article.Desk.COMMERCIAL)
    newsroom = ImageFactory(caption="Harbour")
    live(lead_image=newsroom)
    client.force_login(commercial)

    post = client.post(image_url(newsroom), image_form(newsroom, caption="Sea wall"))
    assert post.status_code == 403
    post = client.post(image_url(theirs), image_form(theirs, caption="Kestrel router, 2026"))
    assert post.status_code == 302
    # And the newsroom's editors never change what is printed on the commercial desk's pieces.
    client.force_login(editor)
    assert client.post(image_url(theirs), image_form(theirs, caption="x")).status_code == 403


def test_an_image_on_both_desks_live_pieces_may_be_changed_by_either_desks_editor(
    client, commercial, editor
):
    image = ImageFactory(caption="Harbour")
    newsroom_piece = live(lead_image=image)
    commercial_piece = live(lead_image=image, desk=Article.Desk.COMMERCIAL)
    for user, caption in [(commercial, "Harbour, 2026"), (editor, "The harbour, 2026")]:
        client.force_login(user)
        assert client.post(image_url(image), image_form(image, caption=caption)).status_code == 302
    image.refresh_from_db()
    assert image.caption == "The harbour, 2026"
    assert newsroom_piece.events.count() == commercial_piece.events.count() == 2


def test_blanking_the_alt_text_of_a_live_lead_image_is_refused_with_the_gate(
    client, editor, settings
):
    image = ImageFactory(alt_text="A sea wall")
    article = live(lead_image=image, headline="Port Alder raises its sea wall")
    stored = image.file.name
    files = stored_files(settings)
    client.force_login(editor)

    new_file = png_upload("crop.png", colour=(1, 2, 3))
    response = client.post(image_url(image), image_form(image, alt_text="", file=new_file))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == ["“Port Alder raises its sea wall”: The lead image needs alt text."]
    image.refresh_from_db()
    assert (image.alt_text, image.file.name) == ("A sea wall", stored)
    # The refused upload is not left behind in storage.
    assert [f for f in stored_files(settings) if "renditions" not in f.parts] == files
    assert image.history.count() == 1
    assert not article.events.exists()


# -- authors ----------------------------------------------------------------------------------


def author_form(author, **overrides) -> dict:
    fields = ["kind", "name", "slug", "job_title", "bio", "beats", "email", "operator"]
    fields += ["operator_url", "system", "disclosure"]
    data = {name: getattr(author, name) for name in fields}
    data["supervising_editor"] = author.supervising_editor_id or ""
    data["user"] = author.user_id or ""
    return data | {"why": ""} | overrides


AS_HUMAN = {"kind": "human", "operator": "", "system": "", "disclosure": ""}


def test_turning_a_live_ai_agent_into_a_human_journalist_needs_a_note_and_is_recorded(
    client, editor, django_capture_on_commit_callbacks
):
    agent = AIAgentFactory(name="Sift")
    article = ArticleFactory(published=True, ai_involvement="generated")
    BylineFactory(article=article, author=agent)
    url = reverse("admin:articles_author_change", args=[agent.pk])
    client.force_login(editor)

    refused = client.post(url, author_form(agent, **AS_HUMAN))
    assert (
        "Say why you are turning off the author's AI-agent kind"
        in (refused.context["adminform"].form.errors["why"][0])
    )
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, author_form(agent, **AS_HUMAN, why="Sift was a test."))

    assert saved.status_code == 302
    agent.refresh_from_db()
    assert agent.kind == Author.Kind.HUMAN
    event = article.events.get()
    assert event.note.startswith("Author “Sift” changed: kind “AI agent” → “Human journalist”")
    assert event.note.endswith("Why: Sift was a test.")
    assert agent.history.first().history_change_reason == "Sift was a test."


def test_author_shown_only_on_drafts_is_edited_without_events(client, editor):
    agent = AIAgentFactory(name="Sift")
    draft = ArticleFactory()
    BylineFactory(article=draft, author=agent)
    client.force_login(editor)
    url = reverse("admin:articles_author_change", args=[agent.pk])

    assert client.post(url, author_form(agent, **AS_HUMAN)).status_code == 302
    assert not ArticleEvent.objects.exists()


# -- history -----------------------------------------------------------------------------------


def test_history_page_shows_who_changed_what_and_why_and_cannot_revert(client, editor):
    image = ImageFactory(caption="Harbour")
    live(lead_image=image)
    client.force_login(editor)
    client.post(image_url(image), image_form(image, caption="Sea wall", why="Wrong place."))

    page = client.get(reverse("admin:articles_image_history", args=[image.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    changed_by = reverse("admin:auth_user_change", args=[editor.pk])
    assert f'<a href="{changed_by}">editor</a>' in html
    assert "Wrong place." in html
    assert re.search(
        r"<strong>Caption:</strong>\s*Harbour\s*&nbsp;&rarr;&nbsp;&nbsp;Sea wall", html
    )
    first = image.history.last()
    version_url = reverse("admin:articles_image_simple_history", args=[image.pk, first.pk])
    assert client.get(version_url).status_code == 200
    assert client.post(version_url, image_form(image, caption="Harbour")).status_code == 403
    image.refresh_from_db()
    assert image.caption == "Sea wall"


def test_change_page_has_a_history_button_and_explains_what_saving_does(client, editor):
    image = ImageFactory()
    live(lead_image=image)
    client.force_login(editor)
    html = client.get(image_url(image)).content.decode()
    assert reverse("admin:articles_image_history", args=[image.pk]) in html
    assert "Shown on 1 published article: saving records the change on each of them" in html
    assert 'name="why"' in html


@pytest.mark.parametrize("factory", [ImageFactory, AIAgentFactory])
def test_history_page_costs_the_same_for_5_or_50_changes(client, editor, factory):
    record = factory()
    url = reverse(f"admin:articles_{record._meta.model_name}_history", args=[record.pk])
    client.force_login(editor)

    def queries(changes: int) -> int:
        for n in range(changes):
            record.bio = record.caption = f"Version {n}"
            record.save()
        client.get(url)  # the content types are cached after the first view
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    # session, user, the record (an image with its thumbnails), the user's and the group's
    # permissions, the count for the paginator, the page of history rows with who changed
    # each (and an agent's supervising editor and account) joined.
    assert queries(5) == queries(45) <= 8
