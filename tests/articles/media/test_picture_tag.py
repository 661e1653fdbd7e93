"""The {% picture %} template tag."""

import logging

import pytest
from django.template import Context, Template, TemplateSyntaxError

from articles.media import renditions
from articles.models import Image
from tests.articles.media.helpers import halves, stored

pytestmark = pytest.mark.django_db


def render(template: str, **context) -> str:
    return Template("{% load images %}" + template).render(Context(context))


def test_picture_tag_renders_a_responsive_picture_with_its_size_and_credit():
    image = stored(
        halves((2000, 1000)),
        alt_text="Two halves, blue and red",
        caption="The flag of nowhere.",
        credit="Jane Doe/Agency",
    )
    html = render(
        '{% picture image "hero" sizes="(min-width: 48rem) 42rem, 100vw" loading="eager" %}',
        image=image,
    )
    picture = renditions.picture(image, "hero")
    webp = ", ".join(f"{r.file.url} {r.width}w" for r in picture.webp)
    assert '<source type="image/webp"' in html
    assert f'srcset="{webp}"' in html
    assert 'sizes="(min-width: 48rem) 42rem, 100vw"' in html
    assert [r.width for r in picture.webp] == [480, 768, 1024, 1360, 1680]
    assert f'src="{picture.img.file.url}"' in html
    assert 'width="1680" height="840"' in html
    assert 'alt="Two halves, blue and red"' in html
    assert 'loading="eager"' in html and 'fetchpriority="high"' in html
    assert '<span class="picture-caption">The flag of nowhere.</span>' in html
    assert '<span class="picture-credit">Jane Doe/Agency</span>' in html
    assert "AI-generated image" not in html


def test_picture_tag_is_lazy_by_default():
    html = render('{% picture image "card" %}', image=stored(halves()))
    assert 'loading="lazy"' in html
    assert "fetchpriority" not in html
    assert 'sizes="100vw"' in html


def test_ai_generated_picture_is_labelled_even_without_its_caption():
    image = stored(
        halves(),
        source_kind=Image.SourceKind.AI_GENERATED,
        caption="A city that does not exist.",
        credit="Illustration made with ImageModel 3",
    )
    html = render('{% picture image "card" caption=False %}', image=image)
    assert '<figcaption><strong class="picture-label">AI-generated image</strong>' in html
    assert "A city that does not exist." not in html
    html = render('{% picture image "card" %}', image=image)
    assert "AI-generated image" in html
    assert "A city that does not exist." in html


def test_picture_tag_escapes_what_editors_typed():
    image = stored(halves(), alt_text='"><script>x</script>', credit="<b>Agency</b>")
    html = render('{% picture image "thumbnail" %}', image=image)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;Agency&lt;/b&gt;" in html


def test_picture_tag_renders_nothing_for_no_image_or_an_unreadable_file(caplog):
    assert render('{% picture image "card" %}', image=None).strip() == ""
    image = stored(halves())
    image.file.storage.delete(image.file.name)
    with caplog.at_level(logging.ERROR, logger="newsroom.images"):
        assert render('{% picture image "card" %}', image=image).strip() == ""
    assert "Could not make the card renditions" in caplog.text


def test_picture_tag_refuses_unknown_specs_and_loading_values():
    image = stored(halves())
    with pytest.raises(TemplateSyntaxError, match="Unknown picture spec"):
        render('{% picture image "poster" %}', image=image)
    with pytest.raises(TemplateSyntaxError, match="loading"):
        render('{% picture image "card" loading="soon" %}', image=image)
