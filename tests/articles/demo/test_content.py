"""The demo's YAML content: a mistake in a file is reported with the file and the key it is in."""

import pytest
import yaml

from articles.demo.reader import ContentError, read_content


def newsroom() -> dict:
    return {
        "users": [
            {
                "username": "editor",
                "password": "pw",
                "role": "editor",
                "groups": ["Editor"],
                "fields": {"first_name": "Maria"},
            }
        ],
        "sections": [{"slug": "climate", "name": "Climate"}],
        "authors": [{"slug": "hannah", "name": "Hannah Lindqvist"}],
        "sponsors": [],
        "publishers": [
            {"name": "Council", "kind": "government"},
            {"name": "Portal", "kind": "portal"},
        ],
        "documents": {
            "minutes": {"title": "Minutes", "publisher": "Council", "kind": "filing", "days_ago": 2}
        },
        "attributions": {
            "minutes-via-portal": {"document": "minutes", "via": "Portal", "relation": "carried_by"}
        },
        "articles": ["sea-wall", "heat-dome"],
    }


def article(headline: str) -> dict:
    return {
        "headline": headline,
        "section": "climate",
        "type_of_work": "news",
        "status": "published",
        "hours_ago": 8,
        "created_by": "editor",
        "bylines": [{"author": "hannah", "role": "by"}],
        "tags": ["sea level"],
        "body": "<p>The council voted.</p>\n",
        "claims": [{"text": "The council voted.", "sources": ["minutes-via-portal"]}],
    }


@pytest.fixture
def content(tmp_path):
    """Valid content; change ``newsroom`` or ``articles`` in a test, then call ``read()``."""

    class Content:
        def __init__(self):
            self.newsroom = newsroom()
            self.articles = {"sea-wall": article("Sea wall"), "heat-dome": article("Heat dome")}

        def read(self):
            (tmp_path / "articles").mkdir(exist_ok=True)
            (tmp_path / "newsroom.yaml").write_text(yaml.safe_dump(self.newsroom))
            for slug, spec in self.articles.items():
                (tmp_path / "articles" / f"{slug}.yaml").write_text(yaml.safe_dump(spec))
            return read_content(tmp_path)

        def error(self) -> str:
            with pytest.raises(ContentError) as raised:
                self.read()
            return str(raised.value)

    return Content()


def test_articles_come_in_the_listed_order_with_named_sources_spelled_out(content):
    demo = content.read()

    assert [spec["slug"] for spec in demo.articles] == ["sea-wall", "heat-dome"]
    assert demo.articles[0]["claims"][0]["sources"] == [
        {"document": "minutes", "via": "Portal", "relation": "carried_by"}
    ]
    assert demo.users[0]["groups"] == ["Editor"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c.articles["sea-wall"].update(type_of_work="advertiser_content"),
            "sea-wall.yaml: type_of_work: 'advertiser_content' is not one of news, analysis, "
            "opinion, explainer, review",
        ),
        (
            lambda c: c.articles["heat-dome"]["bylines"][0].update(role="writer"),
            "heat-dome.yaml: bylines[0].role: 'writer' is not one of by, additional_reporting",
        ),
        (
            lambda c: c.newsroom["documents"]["minutes"].update(kind="memo"),
            "newsroom.yaml: documents.minutes.kind: 'memo' is not one of press_release",
        ),
        (
            lambda c: c.newsroom["attributions"]["minutes-via-portal"].update(relation="via"),
            "newsroom.yaml: attributions.minutes-via-portal.relation: 'via' is not one of",
        ),
        (
            lambda c: c.newsroom["users"][0].update(groups=["Editors"]),
            "newsroom.yaml: users[0].groups: no role group 'Editors'",
        ),
    ],
    ids=["article type", "byline role", "document kind", "attribution relation", "user group"],
)
def test_an_unknown_choice_names_its_file_and_key(content, change, expected):
    change(content)

    assert expected in content.error()


def test_a_missing_required_key_names_its_file(content, tmp_path):
    del content.articles["heat-dome"]["body"]

    error = content.error()

    assert error.startswith(str(tmp_path / "articles" / "heat-dome.yaml"))
    assert error.endswith("missing required key body")


def test_a_missing_key_in_a_nested_record_says_where(content):
    del content.newsroom["documents"]["minutes"]["days_ago"]

    assert "newsroom.yaml: documents.minutes: missing required key days_ago" in content.error()


def test_a_misspelt_key_is_refused_rather_than_ignored(content):
    content.articles["sea-wall"]["hours_agoo"] = 3

    assert "sea-wall.yaml: unknown key hours_agoo; expected headline" in content.error()


def test_a_reference_to_nothing_names_its_file(content):
    content.articles["sea-wall"]["bylines"].append({"author": "nobody", "role": "by"})

    assert "sea-wall.yaml: bylines[1].author: 'nobody' is not one of the authors" in (
        content.error()
    )


def test_an_unknown_attribution_name_names_the_article(content):
    content.articles["heat-dome"]["claims"][0]["sources"] = ["minutes-via-fax"]

    assert "heat-dome.yaml: claims[0].sources[0]: no attribution 'minutes-via-fax'" in (
        content.error()
    )


def test_an_article_file_must_be_listed_and_a_listed_article_must_have_a_file(content):
    content.articles["flood-warning"] = article("Flood warning")
    assert "newsroom.yaml: articles: articles/flood-warning.yaml is not listed" in content.error()

    content.newsroom["articles"].append("flood-warning")
    content.newsroom["articles"].append("storm")
    assert "newsroom.yaml: articles: 'storm' has no file articles/storm.yaml" in content.error()


def test_broken_yaml_names_its_file(content, tmp_path):
    content.read()
    (tmp_path / "articles" / "sea-wall.yaml").write_text("headline: [unclosed\n")

    with pytest.raises(ContentError, match=r"sea-wall\.yaml: not valid YAML"):
        read_content(tmp_path)


def test_a_translation_names_an_article_listed_before_it(content):
    content.articles["heat-dome"] |= {"language": "de", "translation_of": "sea-wall"}
    assert content.read().articles[1]["translation_of"] == "sea-wall"

    content.articles["sea-wall"] |= {"translation_of": "heat-dome"}
    assert "sea-wall.yaml: translation_of: 'heat-dome' is not an article listed before it" in (
        content.error()
    )
    content.articles["sea-wall"] |= {"translation_of": "sea-wall", "language": "xx"}
    assert "language: 'xx' is not one of" in content.error()
