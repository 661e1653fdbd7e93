"""A picture from the image library and an embed put into the body through the editor,
then seen on the article's preview page, in a real browser."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.browser.axe import describe, run_axe
from tests.factories import ArticleFactory, ImageFactory

YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def serve_media(page) -> None:
    """The live server does not serve /media/: serve it from MEDIA_ROOT (see test_images)."""

    def handle(route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if path.is_file():
            route.fulfill(path=path)
        else:
            route.fulfill(status=404)

    page.route("**/media/**", handle)


@pytest.fixture
def library(db):
    ImageFactory(caption="A council meeting", alt_text="Councillors at the table")
    return ImageFactory(
        caption="Cranes idle at dawn",
        alt_text="Harbour cranes against the sky",
        credit="Port Alder Harbour",
        source_kind=Image.SourceKind.AI_GENERATED,
    )


def test_editor_inserts_a_library_picture_and_an_embed_and_sees_them_on_the_preview(
    page, login, editor, library
):
    serve_media(page)
    # Nothing is loaded from the providers: the machine has no network, and no test should.
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body=""))
    article = ArticleFactory(headline="Harbour strike enters its second week", body="<p>Intro.</p>")
    login(editor)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.get_by_text("Intro.").click()
    page.keyboard.press("End")

    # The picture: search the library, choose one from the thumbnails.
    page.get_by_role("button", name="Insert a picture from the library").click()
    dialog = page.get_by_role("dialog", name="Insert a picture from the library")
    dialog.get_by_role("searchbox").fill("cranes")
    dialog.get_by_role("button", name="Search").click()
    expect(dialog.locator("button[data-image-id]")).to_have_count(1)
    dialog.locator(f"button[data-image-id='{library.pk}']").click()
    expect(dialog).to_be_hidden()
    inserted = body.locator(f"figure[data-image='{library.pk}']")
    expect(inserted).to_contain_text("AI-generated image")
    expect(inserted).to_contain_text("Harbour cranes against the sky")

    # An embed from a provider not on the allow-list is refused, with the reason.
    page.get_by_role("button", name="Embed a video, post, chart or map").click()
    embed = page.get_by_role("dialog", name="Embed a video, post, chart or map")
    embed.get_by_label("Address of the video, post, chart or map").fill(
        "https://tracker.example/video/1"
    )
    embed.get_by_role("button", name="Embed").click()
    expect(embed.get_by_role("alert")).to_contain_text("This provider is not on the allow-list")
    # One that is: its canonical, privacy-enhanced address goes into the body.
    embed.get_by_label("Address of the video, post, chart or map").fill(
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    embed.get_by_role("button", name="Embed").click()
    expect(embed).to_be_hidden()
    expect(body.locator(f"figure[data-embed='{YOUTUBE}']")).to_contain_text("YouTube")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    stored = Article.objects.get(pk=article.pk).body
    assert f'<figure data-image="{library.pk}"></figure>' in stored
    assert f'<figure data-embed="{YOUTUBE}"></figure>' in stored

    # The preview draws them: the picture with its label and credit, the video sandboxed.
    page.goto(reverse("articles:staff_preview", args=[article.pk]))
    picture = page.locator(".body figure.picture")
    expect(picture.locator("img")).to_have_attribute("alt", "Harbour cranes against the sky")
    expect(picture).to_contain_text("AI-generated image")
    expect(picture).to_contain_text("Port Alder Harbour")
    iframe = page.locator(".body figure.embed iframe")
    expect(iframe).to_have_attribute("src", YOUTUBE)
    expect(iframe).to_have_attribute(
        "sandbox", "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    )
    # The picture and the frame are described for those who cannot see them.
    violations = run_axe(page)
    assert violations == [], describe(violations, where="the preview")
