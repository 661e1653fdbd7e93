"""OpenAPI descriptions drf-spectacular cannot infer on its own."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "articles.api.auth.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: Api-Key <key>`. Create keys in the admin or with "
            "`manage.py create_api_key`; the key is shown once and stored hashed. Without a key "
            "you read published content at the anonymous rate.",
        }


# The article endpoints' parameters and ninjs item, shared by their list and detail.
NINJS_ITEM = {
    "type": "object",
    "description": "IPTC ninjs 3.1 (https://iptc.org/std/ninjs/), valid against the official "
    "schema: labels, sponsor, AI involvement, reviewer, corrections and sources in standard "
    "fields. With profile=newsroom, also the x-newsroom-* properties of our extension "
    "schema (/api/v1/ninjs/newsroom-extension.json).",
    "required": ["uri", "standard", "headlines"],
    "additionalProperties": True,
}
ARTICLE_PARAMETERS = [
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "ninjs"],
        description="ninjs returns IPTC ninjs 3.1 (same as Accept: application/ninjs+json).",
    ),
    OpenApiParameter(
        "profile",
        OpenApiTypes.STR,
        enum=["newsroom"],
        description="With ninjs: our extended profile, ninjs plus x-newsroom-* properties "
        "(also as the media type's parameter: application/ninjs+json; profile=newsroom).",
    ),
]
EXPAND = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    enum=["body"],
    description="body: give each item its sanitised body too (ninjs: a full representation). "
    "Lists leave bodies out by default; fetch an article for its body.",
)
