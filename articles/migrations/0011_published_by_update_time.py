"""An index in the order the API lists published articles by update time.

``ordering=updated_at`` (either way) and ``updated_since`` read published articles by
``(updated_at, id)``: from this partial index a page is read in order, and stops after
a page, instead of sorting every published article.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_public_lists_and_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["updated_at", "id"],
                name="article_updated",
            ),
        ),
    ]
