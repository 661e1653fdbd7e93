"""The pixels of a rendition: crops, colour, decoding, orientation, metadata and XMP."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from articles.images import clean_upload
from articles.media import renditions
from articles.models import Image
from tests.articles.media.helpers import encoded, halves, mean_rgb, opened, stored

pytestmark = pytest.mark.django_db


# -- what is made ---------------------------------------------------------------------


@pytest.mark.parametrize(("focal_x", "colour"), [(0.9, "red"), (0.1, "blue")])
def test_crops_keep_the_focal_point_in_frame(focal_x, colour):
    image = stored(halves((400, 200)), fmt="PNG", focal_x=focal_x)
    square = opened(renditions.get_rendition(image, "thumbnail", "png"))
    red, _green, blue = mean_rgb(square)
    if colour == "red":
        assert red > 240 and blue < 15
    else:
        assert blue > 240 and red < 15


def test_focal_point_near_the_edge_crops_at_the_edge():
    # A 16:9 crop of a tall image around y=0.0 starts at the top, never above it.
    box = renditions.crop_box((900, 1600), (16, 9), (0.5, 0.0))
    assert box == (0, 0, 900, 506.25)
    box = renditions.crop_box((900, 1600), (16, 9), (0.5, 1.0))
    assert box == (0, 1600 - 506.25, 900, 1600)


def test_transparent_png_gets_a_png_fallback_that_keeps_its_transparency():
    logo = PILImage.new("RGBA", (300, 300), (0, 0, 0, 0))
    logo.paste((255, 0, 0, 255), (100, 100, 200, 200))
    picture = renditions.picture(stored(logo, fmt="PNG"), "thumbnail")
    fallback = opened(picture.img)
    assert fallback.format == "PNG"
    assert fallback.mode == "RGBA"
    assert fallback.getpixel((0, 0))[3] == 0
    assert opened(picture.webp[0]).mode == "RGBA"


def test_palette_gif_and_cmyk_jpeg_sources_make_rgb_renditions():
    gif = stored(halves((300, 300)).convert("P"), fmt="GIF")
    cmyk = stored(halves((300, 300)).convert("CMYK"), fmt="JPEG")
    assert opened(renditions.get_rendition(gif, "thumbnail", "png")).mode == "RGB"
    thumbnail = opened(renditions.get_rendition(cmyk, "thumbnail", "jpeg"))
    assert thumbnail.mode == "RGB"


def test_big_jpegs_are_decoded_at_a_reduced_scale(monkeypatch):
    image = stored(halves((4000, 3000)))
    asked = []
    real_draft = PILImage.Image.draft

    def draft(self, mode, size):
        asked.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr("PIL.JpegImagePlugin.JpegImageFile.draft", draft)
    thumbnail = opened(renditions.get_rendition(image, "thumbnail", "jpeg"))

    # Twice the 160 px crop side is all the decoder is asked for, not 4000×3000.
    assert asked == [(427, 320)]
    assert thumbnail.size == (160, 160)
    assert mean_rgb(thumbnail)[0] > 100 and mean_rgb(thumbnail)[2] > 100  # both halves


# -- metadata ----------------------------------------------------------------------


def gps_jpeg(orientation: int = 1) -> bytes:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Artist] = "Jane Private"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    return encoded(halves((400, 200)), "JPEG", exif=exif, comment=b"12 Private Road")


def test_renditions_carry_no_personal_metadata_even_from_an_unclean_original():
    image = Image.objects.create(file=SimpleUploadedFile("raw.jpg", gps_jpeg()), alt_text="x")
    for fmt in ("jpeg", "webp"):
        rendition = renditions.get_rendition(image, "card", fmt)
        with rendition.file.open("rb") as file:
            data = file.read()
        picture = opened(rendition)
        assert picture.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert b"Jane Private" not in data
        assert b"Private Road" not in data
        assert "comment" not in picture.info


def test_renditions_of_an_unclean_original_apply_its_orientation():
    # Orientation 6 turns 400×200 into 200×400 with the blue half on top.
    image = Image.objects.create(file=SimpleUploadedFile("raw.jpg", gps_jpeg(6)), alt_text="x")
    image.width, image.height = 200, 400  # as shown upright (the editor's view)
    hero = opened(renditions.get_rendition(image, "hero", "png"))
    assert hero.size == (200, 400)
    assert mean_rgb(hero.crop((0, 0, 200, 150)))[2] > 200
    assert mean_rgb(hero.crop((0, 250, 200, 400)))[0] > 200


@pytest.mark.parametrize("fmt", ["webp", "jpeg", "png"])
def test_ai_generated_images_carry_the_iptc_digital_source_type_in_every_rendition(fmt):
    image = stored(
        halves(),
        source_kind=Image.SourceKind.AI_GENERATED,
        credit="Generated with ImageModel 3",
        copyright="© Newsroom Media",
    )
    picture = opened(renditions.get_rendition(image, "card", fmt))
    xmp = picture.info.get("xmp") or picture.info.get("XML:com.adobe.xmp")
    xmp = xmp.decode() if isinstance(xmp, bytes) else xmp
    assert (
        'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        'trainedAlgorithmicMedia"' in xmp
    )
    assert 'photoshop:Credit="Generated with ImageModel 3"' in xmp
    assert "© Newsroom Media" in xmp


def test_photos_carry_digital_capture():
    picture = opened(renditions.get_rendition(stored(halves()), "card", "webp"))
    assert b"digitalsourcetype/digitalCapture" in picture.info["xmp"]


def test_clean_upload_and_renditions_together_keep_a_portrait_upright():
    clean = clean_upload(SimpleUploadedFile("portrait.jpg", gps_jpeg(orientation=6)))
    image = Image.objects.create(file=clean.file, alt_text="x")
    assert (image.width, image.height) == (200, 400)
    hero = opened(renditions.get_rendition(image, "hero", "webp"))
    assert hero.size == (200, 400)
    assert mean_rgb(hero.crop((0, 0, 200, 150)))[2] > 200
