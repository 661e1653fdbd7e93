"""Related pieces an editor pinned under an article, in the editor's order.

The rest of the "Related" block is chosen automatically (``articles.site.related``);
pins come first. A pin may point at a piece that is not published yet: readers see it
once it is, and never while it is not.
"""

from django.db import models
from django.db.models import F, Q

from articles.models.article import Article


class RelatedPin(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_pins")
    related = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="pinned_under",
        verbose_name="related article",
        help_text="Shown first under this article, in this order, once it is published.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = "pinned related article"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"],
                name="related_pin_once",
                violation_error_message="This article is already pinned.",
            ),
            models.CheckConstraint(
                condition=~Q(article=F("related")),
                name="related_pin_not_self",
                violation_error_message="An article cannot be related to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.related} (under {self.article})"
