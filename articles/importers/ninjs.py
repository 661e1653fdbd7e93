"""Agency copy in IPTC ninjs (1.x/2.x ``headline``, ``body_html``…; 3.x ``headlines``,
``bodies``…) as pieces to import: a file holding one item or an array of items, or a
directory of ``*.json`` files.

Agency copy is not our staff's work, and readers must be able to tell. So the agency is
both the byline (“By Reuters”: an author row for the agency, described as a news
agency, never a person we invent) and the source: the agency is a wire-service
``Publisher``, the item a ``SourceDocument`` (a wire report with its link and date), and
the lead paragraph a claim citing it — the one way a piece names its sources here
(claims and attributions), so the site, feeds, JSON-LD and ninjs output all credit the
agency, and the publish gates keep that citation as long as the lead stays. The
agency's own byline text (a reporter's name) goes into the revision note.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from articles.importers.common import (
    Entry,
    ImportFileError,
    Person,
    Piece,
    Source,
    plain,
    shorten,
    text_to_html,
)
from articles.sanitize import sanitize_html
from sources.text import normalise_text

WITHDRAWN = {"canceled", "cancelled", "withheld"}
IPTC_AI = {
    "compositeWithTrainedAlgorithmicMedia": "assisted",
    "trainedAlgorithmicMedia": "generated",
}
CLAIM_LENGTH = 1000  # Claim.text's max_length
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def read(path: Path, *, agency: str = "") -> list[Entry]:
    """Every item in the file or directory; ImportFileError if it cannot be read at all."""
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise ImportFileError(f"{path} holds no .json files.")
        entries = []
        for file in files:
            try:
                entries += _items(file, agency=agency)
            except ImportFileError as exc:
                entries.append(Entry(file.name, error=str(exc)))
        return entries
    if not path.exists():
        raise ImportFileError(f"{path} does not exist.")
    return _items(path, agency=agency)


def _items(path: Path, *, agency: str) -> list[Entry]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path.name} is not UTF-8 text: {exc.reason}.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path.name} is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from exc
    if isinstance(data, list):
        return [_entry(item, f"{path.name} item {n}", agency) for n, item in enumerate(data, 1)]
    if isinstance(data, dict):
        return [_entry(data, path.name, agency)]
    raise ImportFileError(f"{path.name} holds neither a ninjs item (an object) nor a list of them.")


class _Refused(Exception):
    pass


def _entry(data: object, label: str, agency: str) -> Entry:
    if not isinstance(data, dict):
        return Entry(label, error="it is not a ninjs item (a JSON object)")
    uri = data.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        return Entry(label, error="it has no “uri”, so it cannot be recognised again")
    label = f"{label} ({shorten(uri.strip(), 80)[0]})"
    try:
        return _checked(data, label, uri.strip(), agency)
    except _Refused as exc:
        return Entry(label, error=str(exc))


def _text(data: dict, *names: str) -> str:
    """The first of ``names`` present, which must be text."""
    for name in names:
        if data.get(name) is not None:
            if not isinstance(data[name], str):
                raise _Refused(f"“{name}” must be text")
            return data[name]
    return ""


def _listed(data: dict, name: str, *, role: str = "", content_type: str = "") -> str:
    """A ninjs 3 list's value (``headlines``, ``bodies``, ``descriptions``), by role and type."""
    values = data.get(name)
    if values is None:
        return ""
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise _Refused(f"“{name}” must be a list of objects")
    matching = [
        v
        for v in values
        if (not role or v.get("role", role) == role)
        and (not content_type or v.get("contentType", content_type) == content_type)
    ]
    value = (matching or [{}])[0].get("value", "")
    if not isinstance(value, str):
        raise _Refused(f"“{name}” values must be text")
    return value


def _checked(data: dict, label: str, uri: str, agency: str) -> Entry:
    if len(uri) > 500:
        raise _Refused("its “uri” is longer than 500 characters")
    kind = _text(data, "type") or "text"
    if kind != "text":
        return Entry(label, skipped=f"not imported: a {kind} item, not text")
    status = _text(data, "pubstatus", "pubStatus")
    if status in WITHDRAWN:
        return Entry(label, skipped=f"not imported: the agency withdrew it (status “{status}”)")
    headline = plain(_text(data, "headline") or _listed(data, "headlines", role="main"))
    if not headline:
        raise _Refused("it has no “headline”")
    body = _text(data, "body_html") or _listed(data, "bodies", content_type="text/html")
    if not body.strip():
        body = text_to_html(_text(data, "body_text") or _listed(data, "bodies"))
    if not plain(body):
        raise _Refused("it has no body (“body_html” or “body_text”)")
    agency = agency or _agency(data)
    if not agency:
        raise _Refused(
            "it does not name its agency (“copyrightholder”, “copyrightHolder” or "
            "“infoSources”); give one with --agency"
        )
    version = _text(data, "versioncreated", "versionCreated", "firstcreated", "firstCreated")
    try:
        when = parse_datetime(version) if version else None
    except ValueError:  # well formed, but no such time ("2026-02-30T10:00:00Z")
        when = None
    if version and when is None:
        raise _Refused(f"“versioncreated” is not a date and time: “{version}”")
    entry = Entry(label)
    dek, cut = shorten(
        plain(
            _text(data, "description_text")
            or _listed(data, "descriptions", content_type="text/plain")
            or _listed(data, "headlines", role="sub")
        ),
        400,
    )
    if cut:
        entry.notes.append("the description was shortened to 400 characters")
    byline = plain(_text(data, "byline", "by"))
    note = f"{agency} item {uri}" + (f" of {version}" if version else "")
    entry.piece = Piece(
        source=f"ninjs:{slugify(agency) or agency}"[:200],
        external_id=uri,
        headline=headline,
        body=body,
        dek=dek,
        language=_language(data),
        tags=_subjects(data),
        authors=[Person(name=agency, slug=slugify(agency), job_title="News agency")],
        document=Source(
            publisher=agency,
            title=shorten(headline, 500)[0],
            url=_link(uri),
            published_on=when.date().isoformat() if when else "",
            claim=_lead(body),
        ),
        ai_involvement=_ai_involvement(data),
        note=note + (f", agency byline “{byline}”" if byline else ""),
    )
    return entry


def _agency(data: dict) -> str:
    holder = data.get("copyrightholder") or data.get("copyrightHolder") or ""
    if isinstance(holder, dict):
        holder = holder.get("name", "")
    if not holder and isinstance(
        sources := data.get("infoSources") or data.get("infosource"), list
    ):
        holder = next((s.get("name", "") for s in sources if isinstance(s, dict)), "")
    return plain(holder) if isinstance(holder, str) else ""


def _language(data: dict) -> str:
    language = _text(data, "language").strip()
    if not language:
        return ""
    known = {code for code, _ in settings.ARTICLE_LANGUAGES}
    for candidate in (language, language.split("-")[0].lower()):
        if candidate in known:
            return candidate
    raise _Refused(
        f"its language “{language}” is not one the site publishes in ({', '.join(sorted(known))})"
    )


def _subjects(data: dict) -> list[str]:
    subjects = data.get("subject", data.get("subjects")) or []
    if not isinstance(subjects, list):
        raise _Refused("“subject” must be a list")
    names = [s.get("name", "") if isinstance(s, dict) else s for s in subjects]
    return list(dict.fromkeys(plain(n)[:100] for n in names if isinstance(n, str) and plain(n)))


def _ai_involvement(data: dict) -> str:
    source_type = data.get("digitalsourcetype") or data.get("digitalSourceType") or {}
    uri = source_type.get("uri", "") if isinstance(source_type, dict) else str(source_type)
    return IPTC_AI.get(uri.rstrip("/").rsplit("/", 1)[-1], "none")


def _link(uri: str) -> str:
    """The item's ``uri`` as the document's link when it is a web address."""
    if len(uri) > 1000:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(uri)
    except ValidationError:
        return ""
    return uri


def _lead(body: str) -> str:
    """The first paragraph's text as stored (sanitised), within a claim's length: the
    text the agency's report stands behind."""
    clean = sanitize_html(body)
    paragraphs = [plain(p) for p in _PARAGRAPH.findall(clean)] or [plain(clean)]
    lead = next((p for p in paragraphs if p), "")
    if normalise_text(lead) not in normalise_text(clean):
        lead = normalise_text(next(iter(_PARAGRAPH.findall(clean)), clean))
    if len(lead) > CLAIM_LENGTH:
        head = lead[:CLAIM_LENGTH]
        end = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
        lead = head[: end + 1] if end > 0 else head.rsplit(" ", 1)[0]
    return lead.strip()
