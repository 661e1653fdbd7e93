"""Forms shared by the admin and the API, so an upload is judged the same way by both."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, router
from django.urls import reverse
from django.utils.html import format_html

from articles import images
from articles.media import renditions
from articles.models import Image


class ImageForm(forms.ModelForm):
    """A new file goes through images.clean_upload: checked, upright, no personal metadata."""

    # No default: an editor says where each picture came from (AI-generated ones are labelled).
    source_kind = forms.ChoiceField(
        label="Source",
        choices=[("", "— where did it come from? —"), *Image.SourceKind.choices],
        help_text=Image._meta.get_field("source_kind").help_text,
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "alt_text",
            "caption",
            "credit",
            "copyright",
            "source_kind",
            "focal_x",
            "focal_y",
        ]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
        }

    upload: images.CleanUpload | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.original_name and "file" in self.fields:
            # Stored under a generated name: the one it came with is how editors know it.
            self.fields["file"].help_text = format_html(
                "Uploaded as “{}”.", self.instance.original_name
            )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file  # the stored file, unchanged
        upload = images.clean_upload(file)
        if (duplicate := self.duplicate_of(upload.sha256)) is not None:
            raise self.duplicate_error(duplicate)
        self.upload = upload
        return upload.file

    def duplicate_of(self, sha256: str) -> Image | None:
        """The library's image with this content, if another one has it."""
        _wait_for_same_file(sha256)
        return Image.objects.filter(sha256=sha256).exclude(pk=self.instance.pk).first()

    @staticmethod
    def duplicate_error(duplicate: Image) -> ValidationError:
        """Refusal of a file the library already holds, naming (and linking) that image."""
        return ValidationError(
            format_html(
                'This image is already in the library: <a href="{}">{}</a> (id {}). '
                "Use that one instead.",
                reverse("admin:articles_image_change", args=[duplicate.pk]),
                duplicate,
                duplicate.pk,
            ),
            code="duplicate",
        )

    def save(self, commit=True):
        image = super().save(commit)
        # Made by the worker, not in this request (a 24 MP upload took seconds).
        renditions.queue(image)
        return image

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("source_kind")
        if self.upload and self.upload.declares_ai and kind != Image.SourceKind.AI_GENERATED:
            self.add_error(
                "source_kind",
                "This file's own metadata says generative AI made it: choose “AI-generated”.",
            )
        return cleaned


# pg_advisory_xact_lock(key1, key2): key1 says which kind of lock this is.
_SAME_FILE_LOCK = 0x1A6E


def _wait_for_same_file(sha256: str) -> None:
    """Until this transaction ends, make other uploads of the same file wait here.

    The admin and the API check for a duplicate and insert in one transaction, so with
    this lock the second of two identical uploads sent at once finds the first and is
    refused as a duplicate, instead of losing a race to the unique hash. Elsewhere (no
    transaction, or SQLite: one writer at a time) the unique constraint still refuses
    it, and ``Image.save`` deletes the file it stored.
    """
    connection = connections[router.db_for_write(Image)]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        # Two different files sharing the key only wait for each other, never refused.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [_SAME_FILE_LOCK, int(sha256[:7], 16)]
        )
