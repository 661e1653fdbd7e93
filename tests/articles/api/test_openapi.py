"""The OpenAPI schema and the Swagger UI, served from our own static files."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_articles_transitions_and_the_key_scheme(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Newsroom partner API"
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/articles/"])
    assert "patch" in schema["paths"]["/api/v1/articles/{id}/"]
    assert "post" in schema["paths"]["/api/v1/articles/{id}/transitions/"]
    for resource in ["authors", "sections", "tags", "sponsors", "documents", "publishers"]:
        assert f"/api/v1/{resource}/" in schema["paths"]
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"section", "tag", "sponsored", "label", "updated_since", "ordering", "cursor"} <= (
        parameters
    )
    as_json = client.get("/api/v1/schema/?format=json")
    assert as_json.json()["paths"].keys() == schema["paths"].keys()


def test_swagger_ui_is_served_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
    bundle = [a for a in assets if a.endswith("swagger-ui-bundle.js")]
    assert bundle and bundle[0].startswith("/static/drf_spectacular_sidecar/")
    assert finders.find(bundle[0].removeprefix("/static/"))
    # Nor does the inline script fetch anything from elsewhere.
    assert not re.search(r"https?://(?!127\.0\.0\.1|testserver)", html)
