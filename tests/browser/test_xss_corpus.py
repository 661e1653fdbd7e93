"""Stored XSS, tried as an attacker would: every payload of the corpus (xss_payloads.py)
through every field readers see, by the admin's forms, an editor's API key and an AI
agent's key; the pieces published through the workflow, and the pages readers open loaded
in Chromium. Nothing may run (no dialog, no ``window.__xss``, no console or page error, no
script the CSP had to refuse), nothing executable may be left in the page, and plain-text
fields must show the payload as the literal text it was."""

import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client

from articles.sanitize import clean_text
from tests.browser.test_csp import RECORD_VIOLATIONS, Media
from tests.browser.xss_doors import AdminDoor, APIDoor, Chunk, chunked
from tests.browser.xss_payloads import MAX_LENGTH, PAYLOADS
from tests.factories import AIAgentFactory, AuthorFactory, PartnerKeyFactory, UserFactory

# Whatever the page holds that could run: handlers, script URLs, elements no field may make.
FIND_EXECUTABLE = """() => {
  const found = [];
  const scheme = /^(javascript|vbscript|data):/;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (attr.name.toLowerCase().startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      else if (attr.name !== "content" && scheme.test(value)) {
        found.push(`${el.tagName} ${attr.name}=${value}`);
      }
    }
  }
  for (const el of document.querySelectorAll("script")) {
    if (el.type !== "application/ld+json") found.push(`script ${el.outerHTML.slice(0, 80)}`);
  }
  const foreign = "main :is(style, iframe, frame, object, embed, svg, math, template, textarea, " +
    "select, video, audio, details, marquee, xmp, plaintext, noembed, noframes, noscript, " +
    "base, meta, link, title, keygen, isindex, form:not(.search-form), input:not(#q), " +
    "button:not(.search-form button), img:not(figure.picture img))";
  for (const el of document.querySelectorAll(`${foreign}, head :is(base, meta[http-equiv])`)) {
    found.push(`<${el.tagName.toLowerCase()}> ${el.outerHTML.slice(0, 80)}`);
  }
  return found;
}"""

PAGE_TEXTS = """() => {
  const all = (selector, get = (el) => el.textContent) =>
    [...document.querySelectorAll(selector)].map(get);
  const meta = (name) => all(`meta[property="${name}"], meta[name="${name}"]`, (m) => m.content);
  return {
    title: [document.title], h1: all("h1"), dek: all("header .dek"),
    first_paragraph: all(".body > p:first-child"), og_title: meta("og:title"),
    description: meta("description"), og_description: meta("og:description"),
    alt: all("figure.picture img", (img) => img.alt), caption: all(".picture-caption"),
    credit: all(".picture-credit"), tags: all('.meta a[href^="/tag/"]'),
    bylines: all('.byline a[href^="/author/"]'), section: all('header .meta a[href^="/section/"]'),
    nav: all(".site-nav a"), publishers: all(".sources li strong"),
    documents: all(".sources li > a:first-of-type"),
    intermediaries: all(".sources li > a:nth-of-type(2)"),
    corrections: all(".corrections li"), disclosure: all("header .disclosure"),
    jsonld: all('script[type="application/ld+json"]').map((text) => JSON.parse(text)),
    main: all("main"),
  };
}"""


def literal(value: str) -> str:
    """What a reader must see of ``value``: itself, less the characters XML cannot carry,
    spaces as the browser counts them."""
    return " ".join(clean_text(value).split())


def shown(texts: list[str]) -> list[str]:
    return [" ".join(text.split()) for text in texts]


class Reader:
    """One Chromium page, reused for every load, that records whatever ran."""

    def __init__(self, page, page_errors):
        self.page, self.errors = page, page_errors
        self.dialogs: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        Media(page)
        page.on("dialog", self._dialog)
        self.loads = 0

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {self.page.url}")
        dialog.dismiss()

    def load(self, url: str) -> dict:
        response = self.page.goto(url, wait_until="load")
        self.loads += 1
        assert response is not None and response.status == 200, url
        # Autofocus, ontoggle and media errors fire a moment after the load event.
        state = self.page.evaluate(
            f"""async () => {{
              await new Promise((resolve) => setTimeout(resolve, 20));
              return {{violations: window.__violations, xss: window.__xss,
                       executable: ({FIND_EXECUTABLE})(), texts: ({PAGE_TEXTS})()}};
            }}"""
        )
        assert self.dialogs == [], self.dialogs
        assert state["xss"] is None, url
        assert state["violations"] == [], (url, state["violations"])
        assert state["executable"] == [], (url, state["executable"])
        assert self.errors == [], (url, self.errors)
        return state["texts"]


# Searches whose words come back in the page (the field, the "results for" line).
REFLECTED = [
    '"><script>alert(1)</script>',
    '" autofocus onfocus="alert(1)',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
]
# Every door refuses a NUL outright (test_nul_payloads_are_refused_at_every_door).
STORED = [p for p in PAYLOADS if "\x00" not in p]
CORRECTION = "\n".join(STORED)


@pytest.fixture
def doors(client, editor, key_client):
    admin = UserFactory(username="xss-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    agent = AIAgentFactory(name="Sift", slug="sift", supervising_editor=editor)
    agent_key = PartnerKeyFactory(partner="", agent=agent, can_draft=True)
    editor_key = PartnerKeyFactory(partner="", user=editor, can_draft=True, can_transition=True)
    return [
        AdminDoor(client, admin, editor),
        APIDoor("partner", key_client(editor_key), agent=False),
        APIDoor("agent", key_client(agent_key), agent=True),
    ]


def test_the_corpus_is_large_distinct_and_fits_every_field():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert max(map(len, PAYLOADS)) <= MAX_LENGTH


def test_nul_payloads_are_refused_at_every_door(doors, client):
    _admin, partner, agent = doors
    for payload in (p for p in PAYLOADS if "\x00" in p):
        response = client.post("/admin/articles/section/add/", {"name": payload, "slug": "nul"})
        assert "Null characters are not allowed." in response.content.decode()
        for door in (partner, agent):
            response = door.post("/api/v1/articles/", {"headline": payload, "body": "<p>x</p>"})
            assert response.status_code == 400, response.content


def test_no_payload_runs_or_survives_in_any_field_by_any_door(
    page, page_errors, doors, editor, second_editor, settings
):
    # Renditions are not made (the pictures show their originals): a minute saved.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    # The payloads read as unsourced statements (quotes, figures), which would stop the
    # AI-written pieces at their gate: this test is about what a payload can do, not about
    # sourcing (tests/articles/publishing/test_unsourced_gate.py holds that rule).
    settings.UNSOURCED_STATEMENTS_BLOCK_AI = False
    started = time.monotonic()
    admin, *_apis = doors
    sections = admin.sections(STORED, description=CORRECTION)
    byline = AuthorFactory(name="Ada Lane", slug="ada")
    filed: list[Chunk] = []
    for door in doors:
        door_started = time.monotonic()
        for number, payloads_ in enumerate(chunked(STORED)):
            chunk = Chunk(door.letter, number, payloads_)
            if door is admin:
                door.file(chunk, sections[number], CORRECTION)
            else:
                door.file(chunk, sections[number], byline)
            door.publish(chunk, by=second_editor if door is admin else editor)
            filed.append(chunk)
        print(f"{door.name}: {time.monotonic() - door_started:.1f} s")
    admin.correct(filed[0], CORRECTION, by=second_editor)
    filing = time.monotonic() - started

    reader = Reader(page, page_errors)
    loading = time.monotonic()
    for chunk in filed:
        texts = reader.load(chunk.article.get_absolute_url())
        assert_shown_literally(chunk, texts, sections)
        if chunk.door == "a":
            for author in chunk.authors:
                assert_author_shown(reader.load(author.get_absolute_url()), author)
        if chunk.door == "a" and chunk.number == 0:
            # Free text holds the whole corpus: one sponsor's and one section's page show it.
            texts = reader.load(chunk.sponsor.get_absolute_url())
            assert shown(texts["h1"]) == [f"Content paid for by {literal(chunk.sponsor.name)}"]
            assert all(literal(p) in shown(texts["main"])[0] for p in STORED)
            texts = reader.load(chunk.article.section.get_absolute_url())
            assert shown(texts["h1"]) == [literal(chunk.article.section.name)]
            assert all(literal(p) in shown(texts["main"])[0] for p in STORED)
    for url in ["/", "/search/?q=alert", "/about/labels/"]:
        reader.load(url)
    for chunk in (c for c in filed if c.number == 0):  # a tag page from each door
        tag = chunk.article.tags.order_by("pk").first()
        assert shown(reader.load(f"/tag/{tag.slug}/")["h1"]) == [f"Tagged “{literal(tag.name)}”"]
    for payload in REFLECTED:  # what a link to a search puts in the page
        reader.load(f"/search/?q={quote(payload)}")
        assert reader.page.input_value("#q") == payload.strip()
    print(f"{reader.loads} loads: {time.monotonic() - loading:.1f} s")
    assert_feeds_carry_no_markup(filed)
    print(
        f"\n{len(PAYLOADS)} payloads, {len(filed)} articles, {reader.loads} page loads; "
        f"filing {filing:.1f} s, total {time.monotonic() - started:.1f} s"
    )


def assert_shown_literally(chunk: Chunk, texts: dict, sections) -> None:
    text = literal(chunk.text)
    for field in ("h1", "dek", "first_paragraph", "documents"):
        assert shown(texts[field]) == [text], (field, texts[field])
    for field in ("alt", "caption", "credit"):  # the lead picture, then related teasers'
        assert shown(texts[field])[0] == text, (field, texts[field])
    for field in ("title", "og_title", "description", "og_description"):
        assert text in shown(texts[field])[0], (field, texts[field])
    assert sorted(shown(texts["tags"])) == sorted(literal(t) for t in chunk.tags)
    assert shown(texts["publishers"]) == [literal(chunk.unique)]
    assert shown(texts["intermediaries"]) == [literal(f"via {chunk.unique}")]
    assert sorted(shown(texts["nav"])) == sorted(literal(s.name) for s in sections)
    [data] = texts["jsonld"]
    assert literal(data["headline"]) == text
    assert literal(data["description"]) == text
    assert sorted(map(literal, data["keywords"])) == sorted(literal(t) for t in chunk.tags)
    assert literal(data["citation"][0]["name"]) == text
    if chunk.door == "a":
        assert sorted(shown(texts["bylines"])) == sorted(literal(a.name) for a in chunk.authors)
        if chunk.number == 0:
            [correction] = shown(texts["corrections"])
            assert all(literal(p) in correction for p in STORED)
        assert text in shown(texts["disclosure"])[0]
        assert literal(data["sponsor"]["name"]) == literal(chunk.unique)


def assert_author_shown(texts: dict, author) -> None:
    assert shown(texts["h1"])[0].startswith(literal(author.name))
    main = shown(texts["main"])[0]
    for field in ("job_title", "bio", "beats", "system", "disclosure"):
        value = getattr(author, field)
        if value and (field != "job_title" or not author.is_ai_agent):
            assert literal(value) in main, (field, value)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("p", "strong") or attrs:
            self.found.append(f"<{tag} {attrs}>")


def assert_feeds_carry_no_markup(filed: list[Chunk]) -> None:
    """Feed readers render each item's description as HTML: it holds our markup only."""
    client = Client()
    urls = ["/feeds/latest.rss", "/feeds/latest.atom"]
    urls += [f"{c.article.section.get_absolute_url()}feed.rss" for c in filed[:3]]
    urls += [f"{a.get_absolute_url()}feed.rss" for c in filed[:3] for a in c.authors]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)  # well-formed, whatever the headlines hold
        for node in root.iter():
            if node.tag.rsplit("}", 1)[-1] in ("description", "summary") and node.text:
                parser = _Markup()
                parser.feed(node.text)
                assert parser.found == [], (url, parser.found)
