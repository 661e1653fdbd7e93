"""Pictures and embeds in bodies through the API: ``body_media`` beside the body, ninjs
associations, and bodies filed with an embed from an unknown provider refused."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Image
from tests.articles.api.helpers import ARTICLES, BODY, NINJS, draft_payload, post
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
BLUESKY = "https://bsky.app/profile/jay.bsky.team/post/3kabcdefghijk"
NINJS_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "standards/ninjs/ninjs-schema_3.1.json").read_text()
)


def figure(image) -> str:
    return f'<figure data-image="{image.pk}"></figure>'


@pytest.fixture
def illustrated(db):
    image = ImageFactory(
        alt_text="A generated skyline",
        caption="Tomorrow's harbour, imagined.",
        source_kind=Image.SourceKind.AI_GENERATED,
    )
    body = (
        f'<p>Text.</p>{figure(image)}<figure data-embed="{YOUTUBE}"></figure>'
        f'<figure data-embed="{BLUESKY}"></figure>'
    )
    return ArticleFactory(published=True, body=body)


def test_an_article_lists_the_pictures_and_embeds_its_body_shows(client, illustrated):
    data = client.get(f"{ARTICLES}{illustrated.pk}/").json()

    [image] = data["body_media"]["images"]
    assert f'<figure data-image="{image["id"]}"></figure>' in data["body"]
    assert image["alt_text"] == "A generated skyline"
    assert image["reader_label"] == "AI-generated image"
    assert image["caption"] == "Tomorrow's harbour, imagined."
    assert all(r["url"].startswith("http") for r in image["renditions"])
    assert data["body_media"]["embeds"] == [
        {
            "provider": "YouTube",
            "kind": "iframe",
            "url": YOUTUBE,
            "link": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "author": "",
        },
        {
            "provider": "Bluesky",
            "kind": "card",
            "url": BLUESKY,
            "link": BLUESKY,
            "author": "@jay.bsky.team",
        },
    ]


def test_ninjs_associates_the_pictures_and_links_the_embeds(client, illustrated):
    item = client.get(f"{ARTICLES}{illustrated.pk}/", headers={"Accept": NINJS}).json()

    jsonschema.validate(item, NINJS_SCHEMA, format_checker=jsonschema.FormatChecker())
    [picture] = item["associations"]
    assert picture["type"] == "picture"
    assert {"role": "alt", "value": "A generated skyline"} in picture["descriptions"]
    assert picture["digitalSourceType"]["uri"].endswith("/trainedAlgorithmicMedia")
    html = item["bodies"][0]["value"]
    assert '<img src="http' in html and 'alt="A generated skyline"' in html
    assert "AI-generated image" in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in html
    assert "data-image" not in html and "<iframe" not in html


def test_a_draft_with_an_embed_from_an_unknown_provider_is_refused_by_name(
    key_client, agent_key, technology, sony_release
):
    body = BODY + '<figure data-embed="https://tracker.example/embed/1"></figure>'
    response = post(key_client(agent_key), ARTICLES, draft_payload(sony_release, body=body))

    assert response.status_code == 400
    [message] = response.json()["errors"]["body"]
    assert message.startswith("This provider is not on the allow-list: https://tracker.example/")
    assert not Article.objects.exists()


def test_a_draft_names_its_embeds_by_their_canonical_address(
    key_client, agent_key, technology, sony_release
):
    image = ImageFactory()
    body = BODY + figure(image) + ("<figure data-embed='https://youtu.be/dQw4w9WgXcQ'></figure>")
    response = post(key_client(agent_key), ARTICLES, draft_payload(sony_release, body=body))

    assert response.status_code == 201, response.content
    stored = Article.objects.get().body
    assert f'<figure data-embed="{YOUTUBE}"></figure>' in stored
    assert figure(image) in stored


def test_a_draft_showing_a_picture_not_in_the_library_is_refused(
    key_client, agent_key, technology, sony_release
):
    body = BODY + '<figure data-image="987654"></figure>'
    response = post(key_client(agent_key), ARTICLES, draft_payload(sony_release, body=body))

    assert response.status_code == 400
    assert response.json()["errors"]["body"] == ["No picture in the image library has id 987654."]


def test_expanded_list_costs_the_same_however_many_pictures_the_bodies_show(client):
    images = [ImageFactory() for _ in range(6)]
    for _ in range(3):
        ArticleFactory(published=True, body=figure(images[0]))
    url = f"{ARTICLES}?page_size=100&expand=body"

    def queries(**headers) -> int:
        client.get(url, headers=headers)  # renditions are made on first sight
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers=headers).status_code == 200
        return len(captured)

    few, few_ninjs = queries(), queries(Accept=NINJS)
    for _ in range(6):
        ArticleFactory(published=True, body="".join(figure(image) for image in images))
    # The list's own queries, then every body's pictures in one and their renditions in one.
    assert queries() == few
    assert queries(Accept=NINJS) == few_ninjs
