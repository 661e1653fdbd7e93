import hashlib
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, ImageCms, features
from PIL import Image as PILImage

from articles import renditions
from articles.images import UNSUPPORTED_MESSAGE, clean_upload, validate_image_file
from articles.models import Image, Rendition
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def raster(fmt: str, size=(40, 30), **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload(name, content))
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("photo.jpg", "JPEG"),
        ("photo.jpeg", "JPEG"),
        ("chart.png", "PNG"),
        ("a.webp", "WEBP"),
        ("still.gif", "GIF"),
        pytest.param(
            "photo.avif",
            "AVIF",
            marks=pytest.mark.skipif(not features.check("avif"), reason="no AVIF in this Pillow"),
        ),
    ],
)
def test_real_images_of_allowed_formats_are_accepted_and_measured(name, fmt):
    image = Image(file=upload(name, raster(fmt)), alt_text="A red square")
    image.full_clean()
    image.save()
    image.refresh_from_db()
    assert (image.width, image.height) == (40, 30)


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert (
        refusal("logo.svg", svg)
        == UNSUPPORTED_MESSAGE
        == (
            "This is not a JPEG, PNG, WebP, GIF or AVIF image."
            if features.check("avif")
            else "This is not a JPEG, PNG, WebP or GIF image."
        )
    )


def test_text_file_named_like_a_jpeg_is_refused():
    assert refusal("photo.jpg", b"just some text") == UNSUPPORTED_MESSAGE


def test_png_renamed_jpg_is_refused_with_the_right_name_suggested():
    message = refusal("photo.jpg", raster("PNG"))
    assert "holds a PNG image" in message
    assert ".png" in message


def test_truncated_image_is_refused():
    data = raster("JPEG", size=(400, 300), quality=95)
    assert "damaged or incomplete" in refusal("photo.jpg", data[: len(data) // 2])


def test_animated_gif_is_refused():
    buffer = io.BytesIO()
    frames = [PILImage.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert "Animated images" in refusal("anim.gif", buffer.getvalue())


def test_file_over_the_size_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1000
    assert "at most 1000" in refusal("big.png", raster("PNG", size=(400, 400))).replace("\xa0", " ")


def test_too_many_pixels_is_refused_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    message = refusal("wide.png", png_header_only(5000, 5000))
    assert "5000×5000 pixels" in message


def test_decompression_bomb_is_refused():
    message = refusal("bomb.png", png_header_only(100_000, 100_000))
    assert "pixels" in message


def test_refused_upload_stores_nothing(settings, tmp_path):
    image = Image(file=upload("photo.jpg", raster("PNG")), alt_text="x")
    with pytest.raises(ValidationError):
        image.full_clean()
    assert Image.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.*"))


def test_refused_kinds_have_their_own_messages_and_never_raise_anything_else(settings):
    # Each refusal is a ValidationError with a clear message: never a 500.
    settings.IMAGE_MAX_PIXELS = 1_000_000
    cases = {
        "bomb.png": png_header_only(100_000, 100_000),
        "wide.png": png_header_only(5000, 5000),
        "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "photo.jpg": raster("PNG"),
        "half.jpg": raster("JPEG", size=(400, 300))[:300],
        "empty.png": b"",
    }
    codes = {}
    for name, content in cases.items():
        with pytest.raises(ValidationError) as excinfo:
            validate_image_file(upload(name, content))
        codes[name] = excinfo.value.code
    assert codes == {
        "bomb.png": "too_many_pixels",
        "wide.png": "too_many_pixels",
        "logo.svg": "unsupported_format",
        "photo.jpg": "extension_mismatch",
        "half.jpg": "corrupt",
        "empty.png": "unsupported_format",
    }


def test_png_with_a_broken_compressed_stream_is_refused():
    buffer = io.BytesIO()
    PILImage.effect_noise((64, 64), 50).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    start = data.find(b"IDAT") + 40
    data[start : start + 20] = bytes(20)
    assert "damaged or incomplete" in refusal("noise.png", bytes(data))


# -- the stored copy: upright, without personal metadata ----------------------------------


def jpeg_with_metadata(size=(40, 30), orientation: int = 1) -> bytes:
    """A JPEG carrying what phones and cameras write: GPS, serial number, owner, XMP, comment."""
    picture = PILImage.new("RGB", size, (200, 30, 30))
    # The left quarter blue, so rotation can be checked on the pixels.
    picture.paste((30, 30, 200), (0, 0, size[0] // 4, size[1]))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.Artist] = "Jane Private"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Jane Private home</rdf:RDF></x:xmpmeta>'
    buffer = io.BytesIO()
    picture.save(
        buffer,
        format="JPEG",
        quality=90,
        exif=exif,
        xmp=xmp,
        comment=b"shot at 12 Private Road",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return buffer.getvalue()


def test_jpeg_with_metadata_fixture_really_carries_gps():
    with PILImage.open(io.BytesIO(jpeg_with_metadata())) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert b"Private Road" in original.info["comment"]


def test_stored_copy_has_no_gps_or_other_personal_metadata_but_keeps_its_colour_profile():
    clean = clean_upload(upload("holiday.jpg", jpeg_with_metadata()))
    data = clean.file.read()

    with PILImage.open(io.BytesIO(data)) as stored:
        exif = stored.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert len(exif) == 0
        assert "xmp" not in stored.info
        assert "comment" not in stored.info
        assert stored.info["icc_profile"]
        assert stored.size == (40, 30)
    for secret in (b"Jane Private", b"SN-123456", b"Phonemaker", b"Private Road", b"Exif\x00"):
        assert secret not in data
    assert clean.format == "JPEG"
    assert clean.sha256 == hashlib.sha256(data).hexdigest()


def test_exif_orientation_is_applied_to_the_stored_pixels():
    # Orientation 6: the camera was turned a quarter clockwise; viewers rotate to show it.
    clean = clean_upload(upload("portrait.jpg", jpeg_with_metadata(size=(40, 30), orientation=6)))
    image = Image(file=clean.file, alt_text="A portrait")
    image.full_clean()
    image.save()
    image.refresh_from_db()

    assert (image.width, image.height) == (30, 40)
    with image.file.open("rb"), PILImage.open(image.file) as stored:
        assert stored.getexif().get(ExifTags.Base.Orientation) is None
        # The blue left quarter is now the top quarter.
        r, _g, b = stored.convert("RGB").getpixel((15, 3))
        assert b > 150 and r < 100
        r, _g, b = stored.convert("RGB").getpixel((15, 36))
        assert r > 150 and b < 100


@pytest.mark.parametrize(
    ("name", "fmt", "mode"),
    [("still.gif", "GIF", "P"), ("alpha.png", "PNG", "RGBA"), ("a.webp", "WEBP", "RGB")],
)
def test_other_formats_are_stored_in_their_own_format(name, fmt, mode):
    buffer = io.BytesIO()
    if mode == "P":
        picture = PILImage.new("P", (20, 10), 0)
        picture.putpalette([255, 0, 0, 0, 255, 0])
        picture.paste(1, (0, 0, 10, 10))
        picture.save(buffer, format=fmt, transparency=1, comment=b"made by someone")
    else:
        PILImage.new("RGBA", (20, 10), (10, 200, 10, 128)).convert(mode).save(buffer, format=fmt)
    clean = clean_upload(upload(name, buffer.getvalue()))
    with PILImage.open(clean.file) as stored:
        assert stored.format == fmt
        assert stored.size == (20, 10)
        assert "comment" not in stored.info
        if mode == "P":
            assert "transparency" in stored.info
        if mode == "RGBA":
            assert stored.mode == "RGBA"


def test_clean_upload_refuses_what_validation_refuses():
    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload("photo.jpg", raster("PNG")))
    assert excinfo.value.code == "extension_mismatch"


def test_the_same_upload_twice_has_the_same_hash():
    first = clean_upload(upload("a.jpg", jpeg_with_metadata()))
    second = clean_upload(upload("b.jpg", jpeg_with_metadata()))
    assert first.sha256 == second.sha256
    other = clean_upload(upload("c.jpg", raster("JPEG")))
    assert other.sha256 != first.sha256


def test_files_that_declare_generative_ai_are_noticed():
    ai_xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        b'trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>'
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "white").save(buffer, format="JPEG", xmp=ai_xmp)
    assert clean_upload(upload("ai.jpg", buffer.getvalue())).declares_ai
    assert not clean_upload(upload("photo.jpg", jpeg_with_metadata())).declares_ai


def test_saving_records_format_size_and_hash_of_the_stored_file():
    content = raster("PNG")
    image = Image(file=upload("red.png", content), alt_text="A red square")
    image.save()
    image.refresh_from_db()
    assert image.format == "PNG"
    assert image.bytes == len(content)
    assert image.sha256 == hashlib.sha256(content).hexdigest()


def test_the_database_refuses_the_same_file_twice():
    Image.objects.create(file=upload("a.png", raster("PNG")))
    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.create(file=upload("b.png", raster("PNG")))


def test_editing_a_stored_image_does_not_decode_its_file_again(monkeypatch):
    image = Image.objects.create(file=upload("red.png", raster("PNG")), alt_text="x")
    image = Image.objects.get(pk=image.pk)
    opened = []
    monkeypatch.setattr("articles.images._open_checked", lambda *a, **kw: opened.append(a))
    image.caption = "A new caption"
    image.full_clean()
    assert opened == []


@pytest.mark.parametrize(
    ("kind", "term", "label"),
    [
        (Image.SourceKind.STAFF, "digitalCapture", ""),
        (Image.SourceKind.AGENCY, "digitalCapture", ""),
        (Image.SourceKind.HANDOUT, "digitalCapture", ""),
        (Image.SourceKind.AI_GENERATED, "trainedAlgorithmicMedia", "AI-generated image"),
    ],
)
def test_source_kind_gives_iptc_digital_source_type_and_reader_label(kind, term, label):
    image = Image(source_kind=kind)
    assert image.digital_source_type == ("http://cv.iptc.org/newscodes/digitalsourcetype/" + term)
    assert image.reader_label == label


def test_focal_point_outside_the_image_is_refused():
    image = Image(file=upload("red.png", raster("PNG")), focal_x=1.5, alt_text="x")
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert "focal_x" in excinfo.value.message_dict
    image = Image.objects.create(file=upload("red.png", raster("PNG")))
    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.filter(pk=image.pk).update(focal_y=-0.1)


# -- the admin ---------------------------------------------------------------------------


def admin_upload(client, name: str, content: bytes, **fields):
    data = {
        "file": upload(name, content),
        "alt_text": "A test picture",
        "source_kind": "staff",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }
    return client.post(reverse("admin:articles_image_add"), data)


def stored_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_admin_upload_stores_the_clean_copy_with_its_facts(editor_client):
    response = admin_upload(
        editor_client,
        "holiday.jpg",
        jpeg_with_metadata(orientation=6),
        credit="Jane Doe",
        copyright="© Newsroom Media",
        source_kind="agency",
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (30, 40)
    assert image.format == "JPEG"
    assert image.source_kind == Image.SourceKind.AGENCY
    assert image.copyright == "© Newsroom Media"
    with image.file.open("rb") as file:
        data = file.read()
    assert image.bytes == len(data)
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert b"Jane Private" not in data and b"Exif\x00" not in data


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', UNSUPPORTED_MESSAGE),
        ("photo.jpg", raster("PNG"), "holds a PNG image; rename it to end in .png"),
        ("half.jpg", raster("JPEG", size=(400, 300))[:400], "damaged or incomplete"),
        ("bomb.png", png_header_only(100_000, 100_000), "too many pixels"),
        ("empty.png", b"", "The submitted file is empty."),
    ],
)
def test_admin_refuses_each_bad_kind_with_a_form_error_and_stores_nothing(
    editor_client, settings, name, content, message
):
    response = admin_upload(editor_client, name, content)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert any(message in error for error in errors), errors
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


def test_the_same_upload_twice_is_offered_as_the_existing_image(editor_client, settings):
    content = jpeg_with_metadata()
    assert admin_upload(editor_client, "first.jpg", content).status_code == 302
    existing = Image.objects.get()

    response = admin_upload(editor_client, "again.jpg", content, caption="Same again")

    assert response.status_code == 200
    html = response.content.decode()
    link = reverse("admin:articles_image_change", args=[existing.pk])
    assert f'This image is already in the library: <a href="{link}">' in html
    assert Image.objects.count() == 1
    assert stored_files(settings) == [settings.MEDIA_ROOT / existing.file.name]


def test_replacing_an_images_file_with_its_own_content_is_not_a_duplicate(editor_client):
    content = raster("PNG")
    admin_upload(editor_client, "red.png", content)
    image = Image.objects.get()
    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {
            "file": upload("red.png", content),
            "alt_text": "Still red",
            "source_kind": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302


def test_the_editor_must_say_where_an_image_came_from(editor_client):
    response = admin_upload(editor_client, "red.png", raster("PNG"), source_kind="")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["source_kind"]
    assert Image.objects.count() == 0


def test_a_file_that_says_ai_made_it_must_be_marked_ai_generated(editor_client):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        b'trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>'
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (30, 20), "purple").save(buffer, format="JPEG", xmp=xmp)

    response = admin_upload(editor_client, "city.jpg", buffer.getvalue(), source_kind="staff")
    assert response.status_code == 200
    assert "choose “AI-generated”" in str(response.context["adminform"].form.errors)
    assert Image.objects.count() == 0

    response = admin_upload(
        editor_client, "city.jpg", buffer.getvalue(), source_kind="ai_generated"
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.reader_label == "AI-generated image"
    with image.file.open("rb") as file:
        assert b"trainedAlgorithmicMedia" not in file.read()  # its XMP was stripped too


def make_images(n: int) -> None:
    for i in range(n):
        image = ImageFactory(caption=f"Picture {i}")
        if i % 2:
            ArticleFactory(lead_image=image)


def test_image_list_shows_thumbnails_usage_and_a_constant_number_of_queries(editor_client):
    url = reverse("admin:articles_image_changelist")

    def queries() -> int:
        editor_client.get(url)  # the first view makes any missing thumbnails
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_images(5)
    few = queries()
    make_images(45)
    many = queries()
    # session, user, permissions, count (×2: filtered and total), formats for the
    # filter, the images with their usage counts, their thumbnails.
    assert many == few <= 9

    html = editor_client.get(url).content.decode()
    assert html.count('class="image-thumbnail"') == 50
    assert "/media/renditions/" in html
    assert "1 article" in html


def test_image_list_searches_caption_and_credit_and_filters_by_source(editor_client):
    ImageFactory(caption="Harbour at dawn", credit="Staff")
    ImageFactory(caption="Council vote", credit="Agence Exemple")
    ImageFactory(caption="A city", source_kind=Image.SourceKind.AI_GENERATED)
    url = reverse("admin:articles_image_changelist")

    def listed(query: str) -> set[str]:
        response = editor_client.get(url + query)
        return {str(image) for image in response.context["cl"].result_list}

    assert listed("?q=harbour") == {"Harbour at dawn"}
    assert listed("?q=exemple") == {"Council vote"}
    assert listed("?source_kind__exact=ai_generated") == {"A city"}


def test_image_change_page_has_the_focal_point_picker_and_usage(editor_client):
    image = ImageFactory(file=upload("wide.png", raster("PNG", size=(600, 300))), focal_x=0.25)
    article = ArticleFactory(lead_image=image, headline="Harbour reopens")
    response = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    html = response.content.decode()

    assert 'class="focal-picker" data-focal-x="id_focal_x" data-focal-y="id_focal_y"' in html
    assert 'style="left:25.0%;top:50.0%"' in html
    assert "articles/focal_point.js" in html
    # Without the script the numbers can still be typed.
    assert 'type="number" name="focal_x" value="0.25" step="0.001" min="0" max="1"' in html
    link = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{link}">Harbour reopens</a>' in html
    assert "600×300 pixels · PNG" in html


def test_changing_the_focal_point_in_the_admin_replaces_the_crops(
    editor_client, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=upload("wide.png", raster("PNG", size=(600, 300))))
    card = renditions.get_rendition(image, "card", "webp")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_change", args=[image.pk]),
            {"alt_text": "x", "source_kind": "staff", "focal_x": "0.9", "focal_y": "0.5"},
        )
    assert response.status_code == 302
    assert not Rendition.objects.filter(pk=card.pk).exists()
    assert not card.file.storage.exists(card.file.name)


def test_deleting_an_image_in_the_admin_deletes_its_files(
    editor_client, superuser, client, settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    renditions.picture(image, "card")
    assert stored_files(settings)
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored_files(settings) == []


def test_article_form_offers_upload_and_shows_the_current_lead_image(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    assert 'id="add_id_lead_image"' in html  # the "+" that opens the upload popup
    assert "None: choose one above, or upload one with +." in html

    image = ImageFactory(alt_text="", source_kind=Image.SourceKind.AI_GENERATED)
    article = ArticleFactory(lead_image=image)
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'class="image-thumbnail"' in html
    assert "No alt text yet: needed to publish." in html
    assert "AI-generated image" in html


def test_uploading_in_the_popup_hands_the_new_image_back_to_the_article_form(editor_client):
    response = editor_client.post(
        reverse("admin:articles_image_add") + "?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "file": upload("red.png", raster("PNG")),
            "alt_text": "A red square",
            "source_kind": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    image = Image.objects.get()
    assert response.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.content.decode()
