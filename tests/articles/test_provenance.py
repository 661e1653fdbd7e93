"""Signed provenance records: issued when a piece is published and each time what it says
changes, signed with Ed25519, and checked by ``manage.py verify_provenance``."""

import base64
import copy
import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ProvenanceRecord
from articles.publishing import provenance, signing, workflow
from articles.sanitize import sanitize_html
from tests.articles.publishing.helpers import commercial_article, newsroom_article
from tests.factories import AIAgentFactory, BylineFactory, verify_claims

pytestmark = pytest.mark.django_db
S = Article.Status


def publish(article, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, by=editor)


def records_of(article) -> list[int]:
    return list(
        ProvenanceRecord.objects.filter(article=article)
        .order_by("version")
        .values_list("version", flat=True)
    )


def current_key() -> dict:
    key = signing.private_key().public_key()
    return {signing.key_id(key): key}


def test_publishing_issues_a_signed_record_of_what_readers_are_told(
    editor, second_editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(
        reporter, S.APPROVED, headline="Port strike ends", ai_involvement="assisted"
    )
    BylineFactory(article=article, author=AIAgentFactory(name="Scribe"), role="research")
    [check] = verify_claims(article)  # an AI agent helped: each claim checked by a human
    review = workflow.record_review(article, by=second_editor)
    publish(article, editor, django_capture_on_commit_callbacks)

    record = ProvenanceRecord.objects.get(article=article)
    payload = record.payload
    article.refresh_from_db()
    assert record.version == payload["version"] == 1
    assert payload["headline"] == "Port strike ends"
    assert payload["url"].endswith(f"/articles/{article.slug}/")
    assert payload["published_at"].endswith("Z")
    body = sanitize_html(article.body).encode()
    assert payload["body_sha256"] == hashlib.sha256(body).hexdigest()
    assert payload["label"] is None and payload["sponsor"] is None
    assert {(b["name"], b["kind"], b["role"]) for b in payload["bylines"]} == {
        ("Priya Raman", "human", "by"),
        ("Scribe", "ai_agent", "research"),
    }
    [claim] = payload["claims"]
    assert claim["text"] == "Sony said its profit rose."
    assert claim["verified_by"] == "Dana Whitfield"
    assert claim["verified_at"] == check.checked_at.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    [source] = claim["sources"]
    assert source["url"].startswith("https://source.example/doc/")
    assert source["published_on"] == "2026-04-10"
    assert source["intermediary"] is None
    assert payload["review"] == {
        "reviewer": "Sam Ng",
        "reviewed_at": review.reviewed_at.astimezone(dt.UTC).isoformat(timespec="seconds")[:-6]
        + "Z",
        "reviewed_version": review.version,
    }
    assert payload["ai_involvement"] == "assisted"
    # Signed with the newsroom's key, over the canonical form.
    assert record.key_id == payload["key_id"] == signing.key_id(signing.private_key().public_key())
    assert len(record.key_id) == 16
    assert provenance.check(provenance.envelope(record), current_key()) == payload


def test_a_sponsored_piece_names_its_label_and_sponsor(
    editor, commercial, django_capture_on_commit_callbacks
):
    article = commercial_article(commercial, S.APPROVED)
    publish(article, commercial, django_capture_on_commit_callbacks)
    payload = ProvenanceRecord.objects.get(article=article).payload
    assert payload["sponsor"] == article.sponsorship.sponsor.name
    assert payload["label"] == str(article.sponsorship.label)
    assert payload["type_of_work"] == "advertiser_content"


def test_the_canonical_form_is_sorted_compact_utf8():
    assert signing.canonical({"b": "é", "a": [1, None]}) == '{"a":[1,null],"b":"é"}'.encode()


def test_publishing_twice_issues_no_second_record(
    editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    publish(article, editor, django_capture_on_commit_callbacks)
    first = ProvenanceRecord.objects.get(article=article)
    assert provenance.ensure_record(article) == first
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(article, by=editor, kind="update", text="Added a quote.")
    assert records_of(article) == [1]


def test_an_edit_to_a_live_piece_issues_a_new_version_and_keeps_the_old(
    editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    publish(article, editor, django_capture_on_commit_callbacks)
    article.refresh_from_db()
    article.headline = "Sony's profit rose, it said"
    article.body += "<p>Shares rose too.</p>"
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(article, by=editor, note="Added the shares.")
    assert records_of(article) == [1, 2]
    old, new = (ProvenanceRecord.objects.get(article=article, version=v) for v in (1, 2))
    assert new.payload["headline"] == "Sony's profit rose, it said"
    assert new.payload["body_sha256"] != old.payload["body_sha256"]
    assert new.payload["article_version"] > old.payload["article_version"]
    for record in (old, new):
        provenance.check(provenance.envelope(record), current_key())


def test_a_changed_source_on_a_live_piece_issues_a_new_version(
    editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    publish(article, editor, django_capture_on_commit_callbacks)
    document = article.claims.get().attributions.get().document
    document.title = "Quarterly results, revised"
    document.save()
    record = provenance.ensure_record(article)
    assert record.version == 2
    assert record.payload["claims"][0]["sources"][0]["title"] == "Quarterly results, revised"


def test_drafts_get_no_record(editor, reporter, django_capture_on_commit_callbacks):
    article = newsroom_article(reporter, S.DRAFT)
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(article, by=reporter)
    assert records_of(article) == []


def _tampered(payload: dict, path: tuple) -> dict:
    changed = copy.deepcopy(payload)
    target = changed
    for step in path[:-1]:
        target = target[step]
    value = target[path[-1]]
    target[path[-1]] = (value + "x") if isinstance(value, str) else "tampered"
    return changed


TAMPERED_FIELDS = [
    ("headline",),
    ("body_sha256",),
    ("url",),
    ("published_at",),
    ("version",),
    ("label",),
    ("sponsor",),
    ("bylines", 0, "kind"),
    ("bylines", 0, "name"),
    ("claims", 0, "text"),
    ("claims", 0, "sources", 0, "publisher"),
    ("claims", 0, "sources", 0, "url"),
    ("claims", 0, "verified_by"),
    ("review",),
]


@pytest.mark.parametrize("path", TAMPERED_FIELDS, ids=lambda p: ".".join(map(str, p)))
def test_tampering_with_any_field_fails_verification(
    path, editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    publish(article, editor, django_capture_on_commit_callbacks)
    data = provenance.envelope(ProvenanceRecord.objects.get(article=article))
    data["record"] = _tampered(data["record"], path)
    with pytest.raises(provenance.Invalid, match="signature mismatch"):
        provenance.check(data, current_key())


def test_a_record_signed_by_another_key_is_refused(
    editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    publish(article, editor, django_capture_on_commit_callbacks)
    data = provenance.envelope(ProvenanceRecord.objects.get(article=article))
    other = signing.write_key_file(signing.key_path().with_name("other.pem")).public_key()
    with pytest.raises(provenance.Invalid, match="unknown key"):
        provenance.check(data, {signing.key_id(other): other})
    # Even under the right key id, another key's signature does not pass.
    with pytest.raises(provenance.Invalid, match="signature mismatch"):
        provenance.check(data, {data["key_id"]: other})


# -- the command ---------------------------------------------------------------------


@pytest.fixture
def saved_record(editor, reporter, tmp_path, django_capture_on_commit_callbacks):
    article = newsroom_article(reporter, S.APPROVED, headline="Dockers vote")
    publish(article, editor, django_capture_on_commit_callbacks)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(provenance.envelope(ProvenanceRecord.objects.get(article=article))))
    return path


def run(*args) -> tuple[int, str]:
    """The command's exit code and what it said (stdout, or the error as printed)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_provenance", *map(str, args), stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_the_command_accepts_a_good_record(saved_record):
    code, said = run(saved_record)
    assert code == 0
    assert "Valid: version 1 of “Dockers vote”" in said


def test_the_command_rejects_a_tampered_record_saying_why(saved_record):
    data = json.loads(saved_record.read_text())
    data["record"]["headline"] = "Dockers vote to strike"
    saved_record.write_text(json.dumps(data))
    code, said = run(saved_record)
    assert code == 1
    assert "signature mismatch" in said


def test_the_command_rejects_malformed_json_and_unknown_keys(saved_record, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"record": ')
    assert run(broken)[0] == 1
    assert "malformed JSON" in run(broken)[1]
    other = signing.write_key_file(tmp_path / "other.pem")
    public = tmp_path / "other.jwk.json"
    public.write_text(json.dumps(signing.jwk(other.public_key())))
    code, said = run(saved_record, "--key", public)
    assert code == 1
    assert "unknown key" in said
    assert run(tmp_path / "missing.json")[0] == 1


def test_the_command_takes_the_key_as_pem_or_jwk_set(saved_record, tmp_path, signing_key):
    assert run(saved_record, "--key", signing_key)[0] == 0
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"keys": [signing.jwk(signing.private_key().public_key())]}))
    assert run(saved_record, "--key", keys)[0] == 0


def test_the_public_key_verifies_with_any_ed25519_library(saved_record):
    """What a partner does without our command: rebuild the canonical bytes, check them."""
    data = json.loads(saved_record.read_text())
    jwk = signing.jwk(signing.private_key().public_key())
    raw = base64.urlsafe_b64decode(jwk["x"] + "=")
    message = json.dumps(
        data["record"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(data["signature"]), message)


# -- keys -----------------------------------------------------------------------------


def test_provenance_keys_makes_a_pair_and_refuses_to_overwrite(tmp_path):
    from io import StringIO

    path = tmp_path / "made.pem"
    out = StringIO()
    call_command("provenance_keys", "--path", str(path), stdout=out)
    assert "Key id:" in out.getvalue()
    before = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("provenance_keys", "--path", str(path))
    assert path.read_bytes() == before
    call_command("provenance_keys", "--path", str(path), "--force", stdout=StringIO())
    assert path.read_bytes() != before


def test_a_missing_key_is_made_in_development_and_refused_in_production(
    settings, signing_key, caplog
):
    settings.PRODUCTION = True
    with pytest.raises(signing.KeyProblem, match="provenance_keys"):
        signing.private_key()
    assert not signing_key.exists()
    settings.PRODUCTION = False
    key = signing.private_key()
    assert signing_key.exists()
    assert "making a development key" in caplog.text
    assert signing.key_id(signing.private_key().public_key()) == signing.key_id(key.public_key())


def test_a_publication_without_a_key_in_production_still_publishes(
    settings, editor, reporter, django_capture_on_commit_callbacks, caplog
):
    settings.PRODUCTION = True
    article = newsroom_article(reporter, S.APPROVED)
    publish(article, editor, django_capture_on_commit_callbacks)
    assert Article.objects.get(pk=article.pk).status == S.PUBLISHED
    assert records_of(article) == []
    assert "Could not issue the provenance record" in caplog.text


def test_an_unusable_key_file_is_a_clear_error(signing_key):
    signing_key.parent.mkdir(parents=True)
    signing_key.write_text("not a key")
    with pytest.raises(signing.KeyProblem, match="Cannot read"):
        signing.private_key()


def test_the_public_key_reads_back_from_its_jwk_and_its_pem(signing_key):
    key = signing.private_key()
    public = key.public_key()
    assert signing.key_id(signing.public_key_from_jwk(signing.jwk(public))) == signing.key_id(
        public
    )
    assert signing.key_id(signing.public_key_from_pem(signing_key.read_bytes())) == signing.key_id(
        public
    )
