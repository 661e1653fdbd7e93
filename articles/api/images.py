"""Uploading pictures through the API: the same checks as the admin's image form."""

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
        "twice is refused, naming the image already in the library. Use the returned id as "
        "a draft's `lead_image`.",
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
        responses={201: ImageSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = request.data.copy()
        data.setdefault("focal_x", "0.5")
        data.setdefault("focal_y", "0.5")
        form = ImageForm(data=data, files=request.FILES)
        if not form.is_valid():
            raise ValidationError(
                {
                    field: [strip_tags(message) for message in messages]
                    for field, messages in form.errors.items()
                }
            )
        image = form.save()
        return Response(self.get_serializer(image).data, status=201)
