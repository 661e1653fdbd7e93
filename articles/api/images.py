"""Uploading pictures through the API: the same checks as the admin's image form."""

from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from articles.api.auth import CanDraft
from articles.api.serializers import ImageSerializer
from articles.media.forms import ImageForm
from articles.models import Image


class UploadedImageSerializer(ImageSerializer):
    """What the uploader gets back: the picture, and the file name it was sent with.

    Only the uploader: the name is the uploader's own (it may say who took the picture,
    or where), so readers' and partners' representations leave it out."""

    class Meta(ImageSerializer.Meta):
        fields = [*ImageSerializer.Meta.fields, "original_name"]


class ImageViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Image.objects.prefetch_related("renditions")
    serializer_class = ImageSerializer
    parser_classes = [MultiPartParser]

    def get_permissions(self):
        return [CanDraft()] if self.action == "create" else super().get_permissions()

    @extend_schema(
        summary="Upload a picture (multipart)",
        description="JPEG, PNG, WebP or still GIF within the size and pixel limits. The stored "
        "copy is upright with personal metadata (GPS…) removed. `source_kind` is required; "
        "`ai_generated` pictures are labelled “AI-generated image” everywhere. The same file "
        "twice is refused, naming the image already in the library, even when both arrive "
        "at once. The file is stored under a generated name; `original_name` in the answer is "
        "the name it was sent with. Use the returned id as a draft's `lead_image`.",
        request=inline_serializer(
            "ImageUpload",
            {
                "file": serializers.FileField(),
                "alt_text": serializers.CharField(),
                "caption": serializers.CharField(required=False),
                "credit": serializers.CharField(required=False),
                "copyright": serializers.CharField(required=False),
                "source_kind": serializers.ChoiceField(choices=Image.SourceKind.choices),
                "focal_x": serializers.FloatField(required=False),
                "focal_y": serializers.FloatField(required=False),
            },
        ),
        responses={201: UploadedImageSerializer},
    )
    def create(self, request, *args, **kwargs):
        # request.POST holds the fields only: request.data holds the file too, and copying
        # it would try to deep-copy an upload above 5 MB, which Django keeps in a temporary
        # file that cannot be copied.
        data = request.POST.copy()
        data.setdefault("focal_x", "0.5")
        data.setdefault("focal_y", "0.5")
        form = ImageForm(data=data, files=request.FILES)
        try:
            # The duplicate check and the insert in one transaction: the form holds the
            # file's hash there, so the same file sent twice at once is one 201, one 400.
            with transaction.atomic():
                image = form.save() if form.is_valid() else None
        except IntegrityError:
            # Without that lock (SQLite) the unique hash refuses the second one instead.
            duplicate = form.upload and Image.objects.filter(sha256=form.upload.sha256).first()
            if duplicate is None:
                raise
            form.add_error("file", ImageForm.duplicate_error(duplicate))
            image = None
        if image is None:
            raise ValidationError(
                {
                    field: [strip_tags(message) for message in messages]
                    for field, messages in form.errors.items()
                }
            )
        return Response(
            UploadedImageSerializer(image, context=self.get_serializer_context()).data, status=201
        )
