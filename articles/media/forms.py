"""Forms shared by the admin and the API, so an upload is judged the same way by both."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file  # the stored file, unchanged
        upload = images.clean_upload(file)
        duplicate = Image.objects.filter(sha256=upload.sha256).exclude(pk=self.instance.pk).first()
        if duplicate is not None:
            raise ValidationError(
                format_html(
                    'This image is already in the library: <a href="{}">{}</a>. '
                    "Use that one instead.",
                    reverse("admin:articles_image_change", args=[duplicate.pk]),
                    duplicate,
                ),
                code="duplicate",
            )
        self.upload = upload
        return upload.file

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
