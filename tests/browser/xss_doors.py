"""The three doors the XSS corpus goes through (test_xss_corpus.py): the admin's forms,
an editor's API key and an AI agent's key. Each files one article per chunk of payloads,
every reader-visible field holding the chunk, and it is published through the workflow."""

from __future__ import annotations

import html
import io
import uuid
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from taggit.utils import parse_tags

from articles.models import Article, Author, Image, Section, Sponsor
from articles.publishing import workflow
from articles.sanitize import sanitize_html
from sources.models import Publisher, SourceDocument
from tests.admin_forms import change_form_data
from tests.articles.admin.sources_forms import sources_form, sources_url
from tests.factories import verify_claims

ARTICLES = "/api/v1/articles/"
# The longest chunk, joined with spaces: it fits the shortest field that holds a whole
# chunk (a credit or a publisher's name, 200) with the suffix that keeps names unique.
CHUNK_BUDGET = 190
# A section's name holds 100.
SECTION_BUDGET = 94


def swallows(payload: str) -> bool:
    """True if ``payload`` in a body would swallow what follows it (an unclosed
    <textarea>, <plaintext>, comment…): such a payload goes last in its chunk."""
    return "<hr>" not in sanitize_html(payload + "<hr>")


def chunked(payloads: list[str], budget: int = CHUNK_BUDGET) -> list[list[str]]:
    """The payloads in as few chunks of at most ``budget`` characters (joined) as first
    fit gives, each swallowing one last, so that every payload is parsed from a clean
    state."""
    chunks: list[list[str]] = []

    def place(payload: str, room=lambda chunk: True) -> None:
        for chunk in chunks:
            if room(chunk) and len(" ".join([*chunk, payload])) <= budget:
                chunk.append(payload)
                return
        chunks.append([payload])

    for payload in sorted((p for p in payloads if not swallows(p)), key=len, reverse=True):
        place(payload)
    for payload in (p for p in payloads if swallows(p)):
        place(payload, room=lambda chunk: not swallows(chunk[-1]))
    return chunks


def halves(payloads: list[str]) -> tuple[str, str]:
    """The chunk in two, as evenly as its payloads allow (each fits a name, 150)."""
    splits = [(" ".join(payloads[:i]), " ".join(payloads[i:])) for i in range(1, len(payloads))]
    if not splits:
        return payloads[0], payloads[0]
    return min(splits, key=lambda pair: max(map(len, pair)))


def png(n: int) -> SimpleUploadedFile:
    """A small PNG whose pixels (and so hash) differ for each ``n``."""
    buffer = io.BytesIO()
    colour = (n % 256, n // 256 % 256, uuid.uuid4().int % 256)
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(f"picture-{n}.png", buffer.getvalue(), "image/png")


class Chunk:
    """One chunk of payloads as one door files it: the values of each field."""

    def __init__(self, door: str, number: int, payloads: list[str]):
        self.door, self.number, self.payloads = door, number, payloads
        self.tag = f"{door}{number}"
        self.text = " ".join(payloads)
        self.unique = f"{self.text} ~{self.tag}"
        # Claims are not printed, only found in the body (and their text is read as
        # markup there): a plain sentence, which the body quotes.
        self.claim = f"Chunk {self.tag} rests on a source."
        self.body = f"<p>{html.escape(self.text)}</p><p>{self.claim}</p>" + "".join(payloads)
        self.tags = [f"{p} ~{self.tag}.{i}" for i, p in enumerate(payloads)]
        self.url = f"https://source.example/{quote(self.text, safe='')}"
        self.article: Article | None = None
        self.authors: list[Author] = []
        self.sponsor: Sponsor | None = None


# -- the admin ------------------------------------------------------------------------------


class AdminDoor:
    """Real admin add and change forms, posted by a signed-in superuser."""

    name, letter = "admin", "a"

    def __init__(self, client, user, editor):
        self.client, self.user, self.editor = client, user, editor
        self._blank: dict[str, dict] = {}

    def add(self, model: str, files: dict | None = None, **fields):
        url = reverse(f"admin:{model}_add")
        if url not in self._blank:
            self._blank[url] = change_form_data(self.client.get(url))
        response = self.client.post(url, {**self._blank[url], **fields, **(files or {})})
        assert response.status_code == 302, (model, _errors(response))

    def sections(self, payloads: list[str], description: str) -> list[Section]:
        """Sections named with the payloads, a few to a name (the nav shows them all)."""
        for i, names in enumerate(chunked(payloads, budget=SECTION_BUDGET)):
            name = " ".join(names)
            self.add(
                "articles_section", name=f"{name} ~s{i}", slug=f"xss-{i}", description=description
            )
        return list(Section.objects.filter(slug__startswith="xss-").order_by("pk"))

    def file(self, chunk: Chunk, section: Section, corpus: str) -> None:
        text, unique = chunk.text, chunk.unique
        # A name holds 150 characters: the human's name holds one half of the chunk, the
        # agent's the other, and each one's other short field the other half.
        first, second = halves(chunk.payloads)
        self.add(
            "articles_author",
            kind="human",
            name=f"{first} ~h{chunk.tag}",
            slug=f"human-{chunk.tag}",
            job_title=second,
            bio=text,
            beats=text,
        )
        self.add(
            "articles_author",
            kind="ai_agent",
            name=f"{second} ~ai{chunk.tag}",
            slug=f"agent-{chunk.tag}",
            bio=first,
            operator=text,
            system=text,
            disclosure=text,
            supervising_editor=self.editor.pk,
        )
        chunk.authors = list(Author.objects.filter(slug__endswith=f"-{chunk.tag}").order_by("kind"))
        self.add("sources_publisher", name=unique, kind="news_outlet", url="https://pub.example/")
        self.add("sources_publisher", name=f"via {unique}", kind="portal")
        via, publisher = Publisher.objects.order_by("-pk")[:2]
        self.add(
            "sources_sourcedocument",
            title=text,
            publisher=publisher.pk,
            kind="press_release",
            url=chunk.url,
        )
        self.add("articles_sponsor", name=unique, slug=f"sponsor-{chunk.tag}", description=corpus)
        chunk.sponsor = Sponsor.objects.get(slug=f"sponsor-{chunk.tag}")
        image_fields = {"alt_text": text, "caption": text, "credit": text, "copyright": text}
        self.add("articles_image", files={"file": png(chunk.number)}, source_kind="staff",
                 focal_x="0.5", focal_y="0.5", **image_fields)  # fmt: skip
        # What an editor types in the tag field: each name in quotes, as taggit's own
        # widget writes them. A name holding a double quote cannot be typed there (taggit
        # reads it as grouping): those payloads reach tags through the API's doors.
        typed = ", ".join(f'"{name}"' for name in chunk.tags if '"' not in name)
        chunk.tags = parse_tags(typed)
        fields = {
            "headline": text,
            "dek": text,
            "body": chunk.body,
            "slug": f"xss-{chunk.tag}",
            "section": section.pk,
            "tags": typed,
            "ai_involvement": "generated",
            "lead_image": Image.objects.latest("pk").pk,
            "bylines-TOTAL_FORMS": 2,
            "claims-TOTAL_FORMS": 1,
            "claims-0-text": chunk.claim,
            "sponsorship-TOTAL_FORMS": 1,
            "sponsorship-0-sponsor": chunk.sponsor.pk,
            "sponsorship-0-kind": "underwriting",
            "sponsorship-0-disclosure": text,
            "sponsorship-0-campaign_starts_on": timezone.localdate().isoformat(),
        }
        for i, author in enumerate(chunk.authors):
            fields |= {f"bylines-{i}-author": author.pk, f"bylines-{i}-position": i,
                       f"bylines-{i}-role": "by"}  # fmt: skip
        self.add("articles_article", **fields)
        article = chunk.article = Article.objects.get(slug=f"xss-{chunk.tag}")
        document = SourceDocument.objects.get(publisher=publisher)
        claim = article.claims.get()
        # The passage (third parties' words, shown to readers under "How we checked").
        source = {"document": document.pk, "via": via.pk, "relation": "carried_by", "passage": text}
        response = self.client.post(
            sources_url(claim), sources_form(claim, new=[source | {"via_url": chunk.url}])
        )
        assert response.status_code == 302, _errors(response)

    def publish(self, chunk: Chunk, by) -> None:
        article = chunk.article
        workflow.submit(article, by=self.user)
        workflow.approve(article, by=by)
        workflow.record_review(article, by=by)
        verify_claims(article, by=by)  # an AI-written piece: each claim checked by a human
        workflow.publish(article, by=by)

    def correct(self, chunk: Chunk, text: str, by) -> None:
        """A correction note on ``chunk``'s article, holding ``text`` (a note is free text:
        one holds the whole corpus)."""
        article = chunk.article
        # A correction through the article page's own inline, by the editor who
        # reviewed it (saving a published AI-written piece records a review again).
        editor = Client()
        editor.force_login(by)
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = change_form_data(editor.get(url))
        total = int(data["corrections-TOTAL_FORMS"])
        data |= {
            "corrections-TOTAL_FORMS": total + 1,
            f"corrections-{total}-kind": "correction",
            f"corrections-{total}-text": text,
            "review_change": "on",
        }
        response = editor.post(url, data)
        assert response.status_code == 302, _errors(response)


def _errors(response) -> str:
    context = response.context or {}
    errors = [str(context.get("errors", ""))]
    for inline in context.get("inline_admin_formsets", []):
        errors.append(str(inline.formset.errors) + str(inline.formset.non_form_errors()))
    return " ".join(errors) or response.content[:500].decode(errors="replace")


# -- the API ----------------------------------------------------------------------------


class APIDoor:
    """The partner API's draft endpoint, with an editor's key or an AI agent's key."""

    def __init__(self, name: str, client, agent: bool):
        self.name, self.client, self.agent = name, client, agent
        self.letter = "g" if agent else "p"

    def post(self, url: str, data: dict, **kwargs):
        return self.client.post(url, data, content_type="application/json", **kwargs)

    def file(self, chunk: Chunk, section: Section, author: Author) -> None:
        text = chunk.text
        image = self.client.post(
            "/api/v1/images/",
            {"file": png(10_000 + chunk.number + (5000 if self.agent else 0)),
             "alt_text": text, "caption": text, "credit": text, "copyright": text,
             "source_kind": "staff"},
        )  # fmt: skip
        assert image.status_code == 201, image.content
        draft = {
            "headline": text,
            "dek": text,
            "body": chunk.body,
            "section": section.slug,
            "tags": chunk.tags,
            "lead_image": image.json()["id"],
            "claims": [
                {
                    "text": chunk.claim,
                    "sources": [
                        {
                            "document": {
                                "title": text,
                                "publisher": chunk.unique,
                                "kind": "wire_report",
                                "url": chunk.url,
                            },
                            "via": f"via {chunk.unique}",
                            "relation": "carried_by",
                            "via_url": chunk.url,
                        }
                    ],
                }
            ],
        }
        if not self.agent:
            draft["bylines"] = [{"author": author.slug, "role": "by"}]
        response = self.post(ARTICLES, draft)
        assert response.status_code == 201, response.content
        chunk.article = Article.objects.get(pk=response.json()["id"])

    def publish(self, chunk: Chunk, by) -> None:
        article = chunk.article
        url = f"{ARTICLES}{article.pk}/transitions/"
        response = self.post(url, {"transition": "submit"})
        assert response.status_code == 200, response.content
        # The editors' steps through the services the API's own steps call.
        workflow.approve(article, by=by)
        if self.agent:
            workflow.record_review(article, by=by)
        verify_claims(article, by=by)
        workflow.publish(article, by=by)
