import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.publishing import provenance, signing

KEYS_PATH = "/.well-known/newsroom-provenance-keys.json"
MAX_BYTES = 5 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Verify a signed provenance record: a saved file, or an article's provenance.json "
        "URL. Keys come from the URL's site (/.well-known/newsroom-provenance-keys.json), "
        "or for a file this installation's own key, unless --key names a PEM file, a JWK "
        "(Set) file or URL. Exits 0 when valid, 1 (saying why) when not."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="URL_OR_FILE")
        parser.add_argument("--key", metavar="PATH_OR_URL", help="The public key(s) to trust.")
        parser.add_argument(
            "--check-live",
            action="store_true",
            help="Also compare the body hash with the live article's current record.",
        )
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per request.")

    def handle(self, *args, source, key, check_live, timeout, **options):
        self.timeout = timeout
        is_url = _is_url(source)
        data = self._parse(self._fetch(source) if is_url else self._read(source), source)
        if key:
            keys = self._keys_from(key)
        elif is_url:
            keys = self._keys_from(_origin(source) + KEYS_PATH)
        else:
            keys = self._local_keys()
        record = self._check(data, keys, source)
        self.stdout.write(
            f"Valid: version {record.get('version')} of “{record.get('headline')}” "
            f"({record.get('url')}), signed with key {record.get('key_id')} "
            f"at {record.get('issued_at')}."
        )
        if check_live:
            self._check_live(record, keys if key else None)

    # -- reading -----------------------------------------------------------------------

    def _fail(self, message: str):
        raise CommandError(f"Invalid: {message}", returncode=1)

    def _fetch(self, url: str) -> bytes:
        request = urllib.request.Request(  # noqa: S310 -- http(s) only (_is_url)
            url, headers={"Accept": "application/json", "User-Agent": "newsroom-verify"}
        )
        try:
            # Only http(s) URLs reach here (_is_url).
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 # nosec B310
                return response.read(MAX_BYTES + 1)[: MAX_BYTES + 1]
        except urllib.error.HTTPError as exc:
            if exc.code == 410:
                self._fail(f"{url} answers 410 Gone: the article has been withdrawn")
            self._fail(f"could not fetch {url}: HTTP {exc.code}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            self._fail(f"could not fetch {url}: {getattr(exc, 'reason', exc)}")

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            self._fail(f"cannot read {path}: {exc.strerror or exc}")

    def _parse(self, raw: bytes, where: str):
        if len(raw) > MAX_BYTES:
            self._fail(f"{where} is too large to be a provenance record")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail(f"malformed JSON in {where}: {exc}")

    # -- keys --------------------------------------------------------------------------

    def _keys_from(self, where: str) -> dict:
        raw = self._fetch(where) if _is_url(where) else self._read(where)
        try:
            if raw.lstrip().startswith(b"{"):
                data = json.loads(raw.decode("utf-8"))
                jwks = data.get("keys", [data]) if isinstance(data, dict) else []
                keys = [signing.public_key_from_jwk(jwk) for jwk in jwks]
            else:
                keys = [signing.public_key_from_pem(raw)]
        except (UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
            self._fail(f"no usable Ed25519 key in {where}: {exc}")
        if not keys:
            self._fail(f"no keys in {where}")
        return {signing.key_id(key): key for key in keys}

    def _local_keys(self) -> dict:
        try:
            key = signing.private_key(create=False).public_key()
        except signing.KeyProblem as exc:
            self._fail(f"{exc} Or pass --key with the publisher's public key.")
        return {signing.key_id(key): key}

    def _check(self, data, keys: dict, where: str) -> dict:
        try:
            return provenance.check(data, keys)
        except provenance.Invalid as exc:
            self._fail(f"{exc} ({where})")

    # -- the live article --------------------------------------------------------------

    def _check_live(self, record: dict, keys: dict | None) -> None:
        url = record.get("url")
        if not isinstance(url, str) or not _is_url(url):
            self._fail("the record names no http(s) address to check against")
        live_url = url.rstrip("/") + "/provenance.json"
        live = self._check(
            self._parse(self._fetch(live_url), live_url),
            keys or self._keys_from(_origin(url) + KEYS_PATH),
            live_url,
        )
        if live.get("article_id") != record.get("article_id"):
            self._fail(f"{live_url} is the record of another article")
        if live.get("body_sha256") != record.get("body_sha256"):
            self._fail(
                f"the body hash differs from the live article's: it has changed since "
                f"version {record.get('version')} (now version {live.get('version')})"
            )
        self.stdout.write(
            f"The live article's body matches (its current record is version "
            f"{live.get('version')})."
        )


def _is_url(value: str) -> bool:
    return urllib.parse.urlsplit(value).scheme in ("http", "https")


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
