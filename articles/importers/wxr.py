"""Reading a WordPress export (WXR, RSS 2.0 with WordPress's namespaces) safely.

The standard library's expat, driven directly rather than through ``ElementTree.parse``,
so that the document type declaration can be refused outright: a WordPress export never
has one, and without it there are no entity declarations, hence no entity expansion
("billion laughs") and no external entities (XXE). The tree is built with ElementTree's
``TreeBuilder``; elements are named ``prefix:local`` (``wp:post_id``, ``content:encoded``)
whatever version of WordPress's namespace the file uses, and each ``<item>``'s line is
kept so that problems can be reported by line.
"""

from __future__ import annotations

from typing import BinaryIO

# ElementTree only builds the tree here; expat, hardened in parse(), reads the file.
from xml.etree.ElementTree import Element, TreeBuilder  # nosec B405
from xml.parsers import expat

PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
WORDPRESS = "http://wordpress.org/export/"  # then the WXR version: 1.0/, 1.1/, 1.2/


class XMLFileError(Exception):
    """The file is not well-formed XML, or declares what we refuse; names where."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(f"{message} (line {line}, column {column})")
        self.line, self.column = line, column


class _Refused(Exception):
    pass


def _name(raw: str) -> str:
    """``uri local`` (expat's form with our separator) as ``prefix:local``."""
    uri, _, local = raw.rpartition(" ")
    if not uri:
        return local
    if uri.startswith(WORDPRESS):
        prefix = "excerpt" if uri.rstrip("/").endswith("/excerpt") else "wp"
    else:
        prefix = PREFIXES.get(uri, uri)
    return f"{prefix}:{local}"


def parse(stream: BinaryIO) -> tuple[Element, dict[Element, int]]:
    """The document's root element, and the line each ``<item>`` starts on."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    item_lines: dict[Element, int] = {}

    def start(name: str, attrs: dict) -> None:
        tag = _name(name)
        element = builder.start(tag, {_name(key): value for key, value in attrs.items()})
        if tag == "item":
            item_lines[element] = parser.CurrentLineNumber

    def end(name: str) -> None:
        builder.end(_name(name))

    def refuse_doctype(*args) -> None:
        raise _Refused(
            "The file declares a document type (<!DOCTYPE …>), which a WordPress export "
            "never does; it is refused so that no entity can be expanded"
        )

    def refuse_entity(*args) -> None:
        raise _Refused("The file declares or refers to an entity; it is refused")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as exc:
        raise XMLFileError(
            f"Not well-formed XML: {expat.ErrorString(exc.code)}", exc.lineno, exc.offset + 1
        ) from exc
    except _Refused as exc:
        raise XMLFileError(
            str(exc), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        ) from exc
    return builder.close(), item_lines


def child(element: Element, name: str) -> Element | None:
    """The first child called ``name`` (``wp:post_id``), or None."""
    return next((c for c in element if c.tag == name), None)


def text(element: Element, name: str) -> str:
    """The text of the first child called ``name``, stripped; empty when there is none."""
    found = child(element, name)
    return (found.text or "").strip() if found is not None else ""


def children(element: Element, name: str) -> list[Element]:
    return [c for c in element if c.tag == name]
