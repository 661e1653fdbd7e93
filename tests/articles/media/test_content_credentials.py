"""Content credentials (C2PA) in renditions: read back with ``c2pa-python``'s Reader from
the stored files, as any reader's tool would, they validate, name the publisher as signer
and carry the image's IPTC digital source type and credit."""

import datetime
import io
import logging

import c2pa
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.management import CommandError, call_command

from articles.media import credentials, renditions
from articles.media.pixels import FORMATS
from articles.models import Image
from tests.articles.media.helpers import halves, opened, stored

pytestmark = pytest.mark.django_db

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@pytest.fixture
def pair(tmp_path, settings):
    """A development pair made by the management command, configured as the settings say."""
    settings.C2PA_SIGNING_KEY = str(tmp_path / "c2pa" / "key.pem")
    settings.C2PA_CERTIFICATE = str(tmp_path / "c2pa" / "chain.pem")
    settings.PUBLISHER = {**settings.PUBLISHER, "legal_name": "Daily Example Ltd"}
    call_command("c2pa_dev_certificate", stdout=io.StringIO())
    return tmp_path / "c2pa"


def read(rendition, *, trusting=None) -> c2pa.Reader:
    with rendition.file.open("rb") as file:
        data = file.read()
    context = None
    if trusting:
        trust = {"trust": {"trust_anchors": trusting.read_text()}}
        context = c2pa.Context(c2pa.Settings.from_dict(trust))
    return c2pa.Reader(FORMATS[rendition.format].mime, io.BytesIO(data), context=context)


def assertion(manifest: dict, label: str) -> dict:
    return next(a["data"] for a in manifest["assertions"] if a["label"].startswith(label))


def failures(reader: c2pa.Reader) -> set[str]:
    results = reader.get_validation_results()["activeManifest"]
    return {entry["code"] for entry in results.get("failure", [])}


def test_an_ai_generated_images_renditions_say_so_and_validate(pair):
    image = stored(
        halves(),
        source_kind=Image.SourceKind.AI_GENERATED,
        credit="Illustration: Midjourney / Daily Example",
        copyright="© Daily Example",
    )

    picture = renditions.picture(image, "card")

    assert [r.format for r in picture.webp + picture.fallback] == ["webp"] * 2 + ["jpeg"] * 2
    for rendition in picture.webp + picture.fallback:
        reader = read(rendition)
        manifest = reader.get_active_manifest()
        actions = assertion(manifest, "c2pa.actions")["actions"]
        work = assertion(manifest, "stds.schema-org.CreativeWork")
        # Valid: signature and hashes check out; only the development CA is unknown.
        assert reader.get_validation_state() == "Valid"
        assert failures(reader) == {"signingCredential.untrusted"}
        assert actions[0] == {
            "action": "c2pa.created",
            "digitalSourceType": IPTC + "trainedAlgorithmicMedia",
        }
        assert [a["action"] for a in actions[1:]] == [
            "c2pa.cropped",
            "c2pa.resized",
            "c2pa.published",
        ]
        assert work["creditText"] == "Illustration: Midjourney / Daily Example"
        assert work["copyrightNotice"] == "© Daily Example"
        assert work["publisher"]["name"] == "Daily Example Ltd"
        # The signer readers show: the certificate's organisation, the publisher.
        assert manifest["signature_info"]["issuer"] == "Daily Example Ltd"
        assert manifest["signature_info"]["alg"] == "Es256"
        assert manifest["claim_generator_info"][0]["name"] == "Newsroom"


def test_a_photos_renditions_say_digital_capture_and_are_trusted_by_whoever_trusts_the_ca(
    pair, settings
):
    image = stored(halves(), "PNG", source_kind=Image.SourceKind.STAFF, credit="Jo Bloggs")

    picture = renditions.picture(image, "hero")

    for rendition in picture.webp + picture.fallback:
        reader = read(rendition, trusting=pair / credentials.DEV_CA_NAME)
        manifest = reader.get_active_manifest()
        created = assertion(manifest, "c2pa.actions")["actions"][0]
        assert reader.get_validation_state() == "Trusted"
        assert created["digitalSourceType"] == IPTC + "digitalCapture"
        # The hero keeps the whole picture: resized, never cropped.
        assert "c2pa.cropped" not in str(manifest)
        assert assertion(manifest, "stds.schema-org.CreativeWork")["creditText"] == "Jo Bloggs"
        signer = manifest["signature_info"]["common_name"]
        assert signer.startswith(f"{settings.SITE_NAME} content credentials")
    assert {r.format for r in picture.fallback} == {"png"}
    # Still a picture a browser shows, with its XMP AI-label field beside the manifest.
    assert opened(picture.img).size == (picture.img.width, picture.img.height)
    assert b"DigitalSourceType" in picture.webp[0].file.open("rb").read()


def test_a_changed_picture_no_longer_validates(pair):
    image = stored(halves())
    rendition = renditions.get_rendition(image, "thumbnail", "jpeg")
    with rendition.file.open("rb") as file:
        data = bytearray(file.read())

    data[-50] ^= 0xFF  # a pixel edit after signing
    reader = c2pa.Reader("image/jpeg", io.BytesIO(bytes(data)))

    assert reader.get_validation_state() == "Invalid"
    assert "assertion.dataHash.mismatch" in failures(reader)


def test_the_command_writes_a_pair_and_refuses_to_replace_it_without_force(pair):
    key, chain = pair / "key.pem", pair / "chain.pem"
    before = key.read_bytes()

    with pytest.raises(CommandError, match="pass --force"):
        call_command("c2pa_dev_certificate", stdout=io.StringIO())
    assert key.read_bytes() == before

    out = io.StringIO()
    call_command("c2pa_dev_certificate", force=True, stdout=out)

    assert key.read_bytes() != before
    assert key.stat().st_mode & 0o077 == 0  # the private key is the owner's alone
    assert "signed for Daily Example Ltd" in out.getvalue()
    signer = credentials.load(key.read_bytes(), chain.read_bytes())
    assert signer.algorithm == c2pa.C2paSigningAlg.ES256
    # The signer's certificate, issued by the CA beside it (which readers may trust).
    assert chain.read_text().count("BEGIN CERTIFICATE") == 1
    assert (pair / credentials.DEV_CA_NAME).read_text().count("BEGIN CERTIFICATE") == 1


def test_development_makes_a_missing_pair_on_first_use(tmp_path, settings):
    settings.PRODUCTION = False
    settings.C2PA_SIGNING_KEY = str(tmp_path / "new" / "key.pem")
    settings.C2PA_CERTIFICATE = str(tmp_path / "new" / "chain.pem")

    rendition = renditions.get_rendition(stored(halves()), "thumbnail", "webp")

    assert (tmp_path / "new" / "key.pem").exists()
    assert read(rendition).get_validation_state() == "Valid"


def test_production_without_a_key_stores_renditions_without_credentials_and_says_so_once(
    tmp_path, settings, caplog
):
    settings.PRODUCTION = True
    settings.C2PA_SIGNING_KEY = str(tmp_path / "missing" / "key.pem")
    settings.C2PA_CERTIFICATE = str(tmp_path / "missing" / "chain.pem")
    credentials._warned.clear()

    with caplog.at_level(logging.WARNING, logger="articles.media.credentials"):
        picture = renditions.picture(stored(halves()), "card")

    assert len(picture.webp) == len(picture.fallback) == 2
    assert opened(picture.img).size == (picture.img.width, picture.img.height)
    for rendition in picture.webp + picture.fallback:
        with rendition.file.open("rb") as file:
            assert c2pa.Reader.try_create(FORMATS[rendition.format].mime, file) is None
    warnings = [r for r in caplog.records if "without content credentials" in r.getMessage()]
    assert len(warnings) == 1
    assert "C2PA_SIGNING_KEY" in warnings[0].getMessage()
    assert not (tmp_path / "missing").exists()  # production never makes a pair itself


def test_a_certificate_that_is_not_the_keys_is_refused_and_renditions_still_made(
    tmp_path, settings, caplog
):
    settings.C2PA_SIGNING_KEY = str(tmp_path / "a" / "key.pem")
    settings.C2PA_CERTIFICATE = str(tmp_path / "b" / "chain.pem")
    credentials.write_development_pair(tmp_path / "a" / "key.pem", tmp_path / "a" / "chain.pem")
    credentials.write_development_pair(tmp_path / "b" / "key.pem", tmp_path / "b" / "chain.pem")
    credentials._warned.clear()

    with caplog.at_level(logging.WARNING, logger="articles.media.credentials"):
        rendition = renditions.get_rendition(stored(halves()), "thumbnail", "jpeg")

    assert opened(rendition).size == (160, 160)
    assert "not the signing key's" in caplog.text


def test_an_expired_certificate_is_not_used_and_renditions_are_still_made(pair, caplog):
    credentials._warned.clear()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3 * 365)

    with (
        time_machine.travel(later),
        caplog.at_level(logging.WARNING, logger="articles.media.credentials"),
    ):
        rendition = renditions.get_rendition(stored(halves()), "thumbnail", "webp")

    assert opened(rendition).size == (160, 160)
    assert "has expired" in caplog.text


def test_a_publishers_rsa_certificate_signs_with_ps256(tmp_path, settings):
    # A real certificate comes from a CA: here one issues an RSA certificate, as many do.
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = credentials._name("Example CA", "Example CA Ltd")
    ca = credentials._certificate(ca_name, ca_name, ca_key.public_key(), ca_key, now, ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_name = credentials._name("Daily Example", "Daily Example Ltd")
    leaf = credentials._certificate(leaf_name, ca_name, key.public_key(), ca_key, now, ca=False)
    pem = serialization.Encoding.PEM
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (tmp_path / "chain.pem").write_bytes(leaf.public_bytes(pem))
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    settings.C2PA_SIGNING_KEY = str(tmp_path / "key.pem")
    settings.C2PA_CERTIFICATE = str(tmp_path / "chain.pem")

    rendition = renditions.get_rendition(stored(halves()), "social", "jpeg")
    reader = read(rendition, trusting=tmp_path / "ca.pem")

    assert reader.get_validation_state() == "Trusted"
    assert reader.get_active_manifest()["signature_info"]["alg"] == "Ps256"
    # What readers show as the signer: the certificate's organisation, the publisher.
    assert reader.get_active_manifest()["signature_info"]["issuer"] == "Daily Example Ltd"


def test_a_development_pair_that_cannot_be_written_leaves_renditions_unsigned(
    tmp_path, settings, caplog
):
    (tmp_path / "file").write_text("not a directory")
    settings.PRODUCTION = False
    settings.C2PA_SIGNING_KEY = str(tmp_path / "file" / "key.pem")
    settings.C2PA_CERTIFICATE = str(tmp_path / "file" / "chain.pem")
    credentials._warned.clear()

    with caplog.at_level(logging.WARNING, logger="articles.media.credentials"):
        rendition = renditions.get_rendition(stored(halves()), "thumbnail", "jpeg")

    assert opened(rendition).size == (160, 160)
    assert "without content credentials" in caplog.text
