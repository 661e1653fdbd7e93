"""Pictures in a real browser: no layout shift on the article page, focal points, uploads.

The live server does not serve /media/ (only a DEBUG server does), so each test
serves it from MEDIA_ROOT through Playwright, which also lets a test hold the
pictures back to see the page before they arrive.
"""

import io
import mimetypes
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.models import Article, Image, Rendition
from tests.browser.axe import describe, run_axe
from tests.factories import ArticleFactory, ImageFactory

ARTICLE_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "articles" / "article_detail.html"

# Every layout shift the page makes, from its first paint (Layout Instability API).
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__shifts.push(entry.value);
}).observe({type: "layout-shift", buffered: true});
"""


def jpeg(size=(2400, 1600)) -> bytes:
    picture = PILImage.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


class Media:
    """Serves /media/ from MEDIA_ROOT; while ``held``, pictures wait instead."""

    def __init__(self, page, *, held: bool = False):
        self.held = held
        self.waiting = []
        page.route("**/media/**", self.handle)

    def handle(self, route):
        if self.held:
            self.waiting.append(route)
        else:
            self.serve(route)

    def serve(self, route):
        name = route.request.url.split("/media/", 1)[1]
        path = Path(settings.MEDIA_ROOT) / name
        if not path.is_file():
            route.fulfill(status=404)
            return
        route.fulfill(path=path, content_type=mimetypes.guess_type(path.name)[0])

    def release(self):
        self.held = False
        for route in self.waiting:
            self.serve(route)
        self.waiting.clear()


@pytest.mark.skipif(
    "{% picture" not in ARTICLE_TEMPLATE.read_text(),
    reason="templates/articles/article_detail.html does not render the lead image yet",
)
def test_article_picture_has_its_size_before_it_loads_and_never_shifts(page, login, editor):
    image = ImageFactory(
        file=SimpleUploadedFile("harbour.jpg", jpeg()),
        alt_text="Fishing boats in the harbour at dawn",
        caption="The harbour at dawn.",
        credit="Jane Doe/Agency",
    )
    article = ArticleFactory(lead_image=image)
    login(editor)
    page.add_init_script(RECORD_SHIFTS)
    media = Media(page, held=True)

    # Not waiting for "load": that waits for the pictures, which are held back.
    page.goto(reverse("articles:staff_preview", args=[article.pk]), wait_until="domcontentloaded")
    picture = page.locator("figure.picture img")
    # The page's stylesheets are in (they are not held back, but may still be on their way
    # when the document is parsed): what a reader sees while only the pictures are coming.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('figure.picture img')).maxWidth === '100%'"
    )
    expect(picture).to_have_attribute("width", "1680")
    expect(picture).to_have_attribute("height", "1120")
    expect(picture).to_have_attribute("alt", "Fishing boats in the harbour at dawn")
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 0  # not here yet
    # The space is reserved at the picture's own aspect ratio while it is on its way.
    before = picture.bounding_box()
    assert before["width"] > 200
    assert before["height"] == pytest.approx(before["width"] * 1120 / 1680, abs=1)
    credit = page.locator("figure.picture figcaption")
    expect(credit).to_contain_text("Jane Doe/Agency")
    expect(credit).to_contain_text("The harbour at dawn.")
    credit_before = credit.bounding_box()

    media.release()
    page.wait_for_function(
        "() => { const img = document.querySelector('figure.picture img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")

    assert picture.bounding_box() == before
    assert credit.bounding_box() == credit_before
    assert page.evaluate("() => window.__shifts") == []
    # The browser chose one of the WebP ladder's widths for the 42rem column.
    webp = {r.file.url for r in Rendition.objects.filter(image=image, spec="hero", format="webp")}
    assert len(webp) == 5
    assert picture.evaluate("img => new URL(img.currentSrc).pathname") in webp
    found = run_axe(page, rules=["image-alt", "color-contrast"])
    assert not found, describe(found, where="the article's picture")


def test_editor_sets_the_focal_point_by_clicking_the_subject(page, login, editor):
    buffer = io.BytesIO()
    PILImage.new("RGB", (600, 300), (40, 90, 160)).save(buffer, format="PNG")
    image = ImageFactory(file=SimpleUploadedFile("wide.png", buffer.getvalue()))
    login(editor)
    Media(page)

    page.goto(reverse("admin:articles_image_change", args=[image.pk]))
    preview = page.locator(".focal-picker img")
    expect(preview).to_be_visible()
    page.wait_for_function("() => document.querySelector('.focal-picker img').naturalWidth > 0")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.25})

    expect(page.locator("#id_focal_x")).to_have_value("0.900")
    expect(page.locator("#id_focal_y")).to_have_value("0.250")
    marker = page.locator(".focal-marker")
    assert marker.evaluate("m => m.style.left") == "90%"
    # Typing moves the marker too: the number fields stay the way without a mouse.
    page.locator("#id_focal_y").fill("0.75")
    assert marker.evaluate("m => m.style.top") == "75%"

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.9, 0.75)


def test_editor_uploads_a_lead_image_from_inside_the_article_form(page, login, editor):
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 500), (160, 40, 40)).save(buffer, format="JPEG")
    login(editor)
    page.goto(reverse("admin:articles_article_add"))

    with page.expect_popup() as popup_info:
        page.locator("#add_id_lead_image").click()
    popup = popup_info.value
    popup.locator("#id_file").set_input_files(
        files=[{"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}]
    )
    popup.get_by_label("Alt text").fill("Boats in the harbour")
    popup.get_by_label("Credit").fill("Jane Doe/Agency")
    popup.get_by_label("Source").select_option("agency")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")

    image = Image.objects.get()
    expect(page.locator("#id_lead_image")).to_have_value(str(image.pk))
    expect(page.locator("select[name='lead_image'] + .select2")).to_contain_text(
        "Boats in the harbour"
    )
    page.get_by_label("Headline").fill("Harbour reopens")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    assert Article.objects.get(headline="Harbour reopens").lead_image == image
