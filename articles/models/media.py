"""Pictures: the image library and the renditions made from it (``articles.media``)."""

from __future__ import annotations

import hashlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import Q
from simple_history.models import HistoricalRecords

from articles import images, labels
from articles.images import CheckedImageField

IPTC_DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def image_upload_to(instance: Image, filename: str) -> str:
    """A generated name (``images.stored_name``); the uploader's is ``original_name``."""
    return images.stored_name(instance.format, filename)


class Image(models.Model):
    """A picture with the facts an editor must supply before readers see it.

    Uploads arrive through ``articles.images.clean_upload`` (checked, upright, stripped
    of personal metadata); renditions are made by ``articles.media.renditions``.
    """

    class SourceKind(models.TextChoices):
        STAFF = "staff", "Staff photo"
        AGENCY = "agency", "Agency"
        HANDOUT = "handout", "Handout / sponsor-provided"
        AI_GENERATED = "ai_generated", "AI-generated"

    file = CheckedImageField(upload_to=image_upload_to, width_field="width", height_field="height")
    # The name the file came with, for editors to recognise it; it is stored under a generated one.
    original_name = models.CharField(
        max_length=images.ORIGINAL_NAME_LENGTH, editable=False, blank=True
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    format = models.CharField(max_length=10, editable=False, blank=True)
    bytes = models.PositiveBigIntegerField("file size (bytes)", editable=False, null=True)
    # Of the stored file. NULL until hashed: NULLs never collide under UNIQUE, "" would.
    sha256 = models.CharField(  # noqa: DJ001
        "SHA-256", max_length=64, unique=True, null=True, editable=False
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Needed to publish.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True)
    copyright = models.CharField(
        "copyright / licence",
        max_length=300,
        blank=True,
        help_text="Who holds the rights and on what terms, e.g. “© Reuters” or “CC BY 4.0”.",
    )
    source_kind = models.CharField(
        "source",
        max_length=20,
        choices=SourceKind,
        default=SourceKind.STAFF,
        help_text="Where the image came from. AI-generated images are labelled so for readers.",
    )
    # Where the subject is, as fractions of width and height from the top left: crops keep it.
    focal_x = models.FloatField(
        "focal point x",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right.",
    )
    focal_y = models.FloatField(
        "focal point y",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # A lead image (its AI label, credit, alt text) is shown on many pieces: each change is
    # kept, and one to a published piece's image goes through publishing.shared_records.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="The focal point must lie inside the image (0 to 1).",
            ),
            models.CheckConstraint(
                condition=Q(source_kind__in=["staff", "agency", "handout", "ai_generated"]),
                name="image_source_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.caption[:60] or self.alt_text[:60] or self.original_name or self.file.name

    def save(self, *args, **kwargs):
        if not (self.file and not self.file._committed):
            super().save(*args, **kwargs)
            return
        # A new file: record what it is (as width_field/height_field record its size) and
        # the name it came with; it is stored under a generated name (image_upload_to).
        self.format, self.bytes, self.sha256 = images.file_facts(self.file)
        self.original_name = images.original_name(self.file.name)
        using = kwargs.get("using") or router.db_for_write(Image, instance=self)
        try:
            with transaction.atomic(using=using):
                super().save(*args, **kwargs)  # stores the file, then writes the row
        except BaseException:
            # No row points to the stored file: the same file won a race to the unique
            # hash (IntegrityError), or anything else failed. Leave no orphan behind.
            if self.file._committed and self.file.name:
                self.file.storage.delete(self.file.name)
            raise

    @property
    def is_ai_generated(self) -> bool:
        return self.source_kind == self.SourceKind.AI_GENERATED

    @property
    def digital_source_type(self) -> str:
        """The IPTC digital source type URI, written into every rendition's XMP."""
        term = "trainedAlgorithmicMedia" if self.is_ai_generated else "digitalCapture"
        return IPTC_DIGITAL_SOURCE_TYPE + term

    @property
    def reader_label(self) -> str:
        """“AI-generated image” for pictures a generative AI made; empty otherwise."""
        return labels.ai_generated_image_label() if self.is_ai_generated else ""

    @property
    def rendition_key(self) -> str:
        """Changes whenever a rendition would come out differently: pixels, crop or metadata."""
        facts = "|".join(
            str(fact)
            for fact in (
                self.sha256,
                round(self.focal_x, 4),
                round(self.focal_y, 4),
                self.digital_source_type,
                self.credit,
                self.copyright,
            )
        )
        return hashlib.sha256(facts.encode()).hexdigest()


class Rendition(models.Model):
    """A resized, cropped copy of an image for one spec, width and format.

    Made once by ``articles.media.renditions`` and reused. One made from other facts
    than the image's current ``rendition_key`` is stale: never served, deleted when
    next seen.
    """

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40)
    format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="renditions/", max_length=255)
    source_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["image", "spec", "format", "width"]
        constraints = [
            # With source_key in it, a changed image's new renditions are plain inserts
            # beside the stale ones, and two requests racing to make one collide here.
            models.UniqueConstraint(
                fields=["image", "spec", "format", "width", "source_key"],
                name="rendition_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spec} {self.width}×{self.height} {self.format}"
