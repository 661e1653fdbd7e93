"""New uploads are stored under generated names; the name a file came with is kept.

Files already stored keep their names (nothing is moved or renamed); their
``original_name`` is what their stored name says, which was the uploader's, cleaned.
"""

from pathlib import PurePath

from django.db import migrations, models

import articles.images
import articles.models.media


def name_existing_images(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    for pk, name in Image.objects.exclude(file="").values_list("pk", "file").iterator():
        Image.objects.filter(pk=pk).update(original_name=PurePath(name).name[-255:])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_published_by_update_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="original_name",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="historicalimage",
            name="original_name",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AlterField(
            model_name="image",
            name="file",
            field=articles.images.CheckedImageField(
                height_field="height",
                upload_to=articles.models.media.image_upload_to,
                width_field="width",
            ),
        ),
        migrations.RunPython(name_existing_images, migrations.RunPython.noop),
    ]
