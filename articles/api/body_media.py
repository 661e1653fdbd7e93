"""Pictures and embeds in bodies through the API: the embeds ``body_media`` lists, and
the check of a body a client sends."""

import re
from html import escape, unescape

from django.conf import settings
from rest_framework import serializers

from articles.media import embeds, renditions
from articles.media.embeds import PROVIDERS, Embed
from articles.models import Image
from articles.sanitize import sanitize_html


class BodyEmbedSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text=f"One of {PROVIDERS}.")
    kind = serializers.ChoiceField(choices=["iframe", "card"], help_text="How pages show it.")
    url = serializers.CharField(help_text="As the body's marker names it (data-embed).")
    link = serializers.CharField(help_text="Where the provider shows it.")
    author = serializers.CharField(help_text="A post's author handle; empty otherwise.")


def embeds_data(embeds: list[Embed]) -> list[dict]:
    fields = ("provider", "kind", "url", "link", "author")
    return [{name: getattr(embed, name) for name in fields} for embed in embeds]


# A marker's value in the HTML a client sends, however it is quoted.
_RAW_EMBED = re.compile(r"""data-embed\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_STORED_EMBED = re.compile(r'(<figure data-embed=")([^"]*)(")')


def checked_body(html: str) -> str:
    """A body sent to the API, its embeds named by their canonical URLs; a
    ``ValidationError`` naming an embed from a provider not on the allow-list, or a
    picture not in the library, rather than dropping it unsaid."""
    for match in _RAW_EMBED.finditer(html):
        url = unescape(match[1] or match[2] or match[3] or "")
        try:
            embeds.check(url)
        except embeds.UnknownEmbed as refused:
            raise serializers.ValidationError(str(refused)) from None
    cleaned = sanitize_html(html)
    ids, _ = embeds.markers(cleaned)
    missing = sorted(set(ids) - set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        listed = ", ".join(str(pk) for pk in missing)
        raise serializers.ValidationError(f"No picture in the image library has id {listed}.")
    return _STORED_EMBED.sub(
        lambda m: m[1] + escape(embeds.parse(unescape(m[2])).url) + m[3], cleaned
    )


def ninjs_pictures(images: list[Image]) -> list[dict]:
    """The body's pictures as ninjs ``associations`` (type picture), in body order, with
    their alt text, caption, credit, source type and made renditions."""
    return [
        {
            "name": f"bodyimage{number}",
            "rel": "body",
            "uri": f"urn:newsroom:image:{image.pk}",
            "type": "picture",
            "descriptions": [
                {"role": role, "value": value}
                for role, value in (("alt", image.alt_text), ("caption", image.caption))
                if value
            ],
            **({"by": image.credit} if image.credit else {}),
            **({"copyrightNotice": image.copyright} if image.copyright else {}),
            "digitalSourceType": {"uri": image.digital_source_type},
            "renditions": [
                {
                    "name": f"{r['spec']}-{r['width']}-{r['format']}",
                    "href": settings.SITE_URL + r["url"],
                    "contentType": r["mime_type"],
                    "width": r["width"],
                    "height": r["height"],
                }
                for r in renditions.describe(image)
            ],
        }
        for number, image in enumerate(images, start=1)
    ]
