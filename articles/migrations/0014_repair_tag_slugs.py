"""Tags stored before ``CleanTagManager`` gave every new tag an ASCII slug: a name with no
letter or digit ("'", "<>") got an empty slug and one with non-ASCII letters ("café")
kept them, and no URL to the tag's page could be made, so every page showing such a tag
answered 500. Each such tag gets the slug a new tag would get now. No row is removed;
going back leaves the repaired slugs (they are valid either way)."""

import hashlib
import re

from django.db import migrations
from django.utils.text import slugify

URL_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def repair(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        if URL_SLUG.fullmatch(tag.slug):
            continue
        # As articles.sanitize._tag_slug: the name's words, or those and a digest of it.
        slug = slugify(tag.name)[:80]
        if not slug or slug in taken:
            digest = hashlib.sha256(tag.name.encode()).hexdigest()[:12]
            slug = f"{slug}-{digest}" if slug else f"tag-{digest}"
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_redirects"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
