"""Partners hear which claims a correction changed and how: the API's ``corrections``,
ninjs (standard descriptions and the extended profile, which validates) and the
``article.corrected`` webhook; a list costs the same for 2 and 20 corrected claims."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.publishing import claim_corrections, workflow
from sources.models import Claim
from tests.articles.api.helpers import ARTICLES, NINJS
from tests.articles.api.test_ninjs_schema import extended, official
from tests.articles.test_claim_corrections import RIGHT, WRONG, fix, story
from tests.articles.webhooks.helpers import endpoint_at

pytestmark = pytest.mark.django_db


def corrected(editor, article, pairs, *, withdraw: str = ""):
    before = claim_corrections.capture(article)
    for old, new in pairs:
        fix(article, old, new)
    claims = list(
        Claim.objects.filter(article=article, text__in=[new for _, new in pairs]).values_list(
            "pk", flat=True
        )
    )
    if withdraw:
        gone = Claim.objects.get(article=article, text=withdraw)
        article.body = article.body.replace(withdraw, "")
        article.save()
        claims.append(gone.pk)
        gone.delete()
    return workflow.add_correction(
        article,
        by=editor,
        kind="correction",
        text="The figures were wrong.",
        claims=claims,
        before=before,
    )


@pytest.fixture
def fixed(editor):
    """A piece whose wrong figure was fixed and whose other claim was withdrawn."""
    article = story(WRONG, "Analysts expect more.")
    claim = Claim.objects.get(article=article, text=WRONG)
    corrected(editor, article, [(WRONG, RIGHT)], withdraw="Analysts expect more.")
    return article, claim.pk


def test_the_api_says_which_claims_a_correction_changed_and_how(client, fixed):
    article, claim = fixed
    [correction] = client.get(f"{ARTICLES}{article.pk}/").json()["corrections"]
    changed, withdrawn = correction["claims"]
    assert changed == {
        "claim": claim,
        "previous_text": WRONG,
        "previous_citation": "Sony",
        "previous_sources": [
            {
                "document": changed["previous_sources"][0]["document"],
                "publisher": "Sony",
                "title": "Results release 0",
                "url": "https://sony.example/results/0",
                "via": None,
                "relation": "",
                "via_url": "",
            }
        ],
        "corrected_text": RIGHT,
        "corrected_citation": "Sony",
    }
    assert withdrawn["claim"] is None
    assert (withdrawn["previous_text"], withdrawn["corrected_text"]) == (
        "Analysts expect more.",
        "",
    )
    # The list says the same.
    [item] = client.get(ARTICLES).json()["results"]
    assert item["corrections"][0]["claims"] == correction["claims"]


def test_the_openapi_schema_declares_the_corrected_claims(client):
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    components = schema.json()["components"]["schemas"]
    assert "claims" in components["Correction"]["properties"]
    assert set(components["CorrectedClaim"]["properties"]) == {
        "claim",
        "previous_text",
        "previous_citation",
        "previous_sources",
        "corrected_text",
        "corrected_citation",
    }


def test_ninjs_describes_the_corrected_claims_and_the_extension_validates(client, fixed):
    article, claim = fixed
    url = f"{ARTICLES}{article.pk}/"
    plain = client.get(url, headers={"Accept": NINJS}).json()
    official(plain)
    [note] = [d["value"] for d in plain["descriptions"] if d["role"] == "correction"]
    assert f"Previously “{WRONG}” (Sony); now “{RIGHT}” (Sony)." in note
    assert "Withdrawn: “Analysts expect more.” (Sony)." in note

    item = client.get(url, headers={"Accept": f"{NINJS}; profile=newsroom"}).json()
    extended(item)
    [correction] = item["x-newsroom-corrections"]
    changed, withdrawn = correction["claims"]
    assert (changed["claim"], changed["previousText"], changed["correctedText"]) == (
        claim,
        WRONG,
        RIGHT,
    )
    assert changed["previousSources"][0]["publisher"] == "Sony"
    assert (withdrawn["claim"], withdrawn["correctedText"]) == (None, "")


def test_the_corrected_webhook_says_which_claims_changed(
    receiver, editor, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url)
    article = story(WRONG)
    with django_capture_on_commit_callbacks(execute=True):
        corrected(editor, article, [(WRONG, RIGHT)])
    assert receiver.events == ["article.corrected"]
    [correction] = receiver.payloads[0]["article"]["corrections"]
    [claim] = correction["claims"]
    assert (claim["previous_text"], claim["previous_citation"]) == (WRONG, "Sony")
    assert (claim["corrected_text"], claim["corrected_citation"]) == (RIGHT, "Sony")


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured.captured_queries)


def test_lists_and_items_cost_the_same_for_2_and_20_corrected_claims(client, editor):
    def piece(n: int):
        wrong = [f"Figure {i} rose by {i + 40}%." for i in range(n)]
        article = story(*wrong)
        right = [f"Figure {i} rose by {i + 4}%." for i in range(n)]
        corrected(editor, article, list(zip(wrong, right, strict=True)))
        return article

    small = piece(2)
    budget = (
        queries(client, ARTICLES),
        queries(client, f"{ARTICLES}{small.pk}/"),
        queries(client, ARTICLES, Accept=NINJS),
    )
    large = piece(20)
    assert queries(client, f"{ARTICLES}{large.pk}/") == budget[1]
    assert (queries(client, ARTICLES), queries(client, ARTICLES, Accept=NINJS)) == (
        budget[0],
        budget[2],
    )
    data = client.get(f"{ARTICLES}{large.pk}/").json()
    assert len(data["corrections"][0]["claims"]) == 20
