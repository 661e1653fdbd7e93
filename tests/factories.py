"""factory-boy factories for the newsroom's models."""

import datetime as dt
import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Image,
    PartnerKey,
    Section,
    Sponsor,
    Sponsorship,
)
from sources import verification
from sources.models import Attribution, Claim, ClaimCheck, Publisher, SourceDocument


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    kind = Author.Kind.HUMAN
    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    job_title = "Reporter"
    bio = "Reports on technology and business."
    beats = "technology, business"


class AIAgentFactory(AuthorFactory):
    kind = Author.Kind.AI_AGENT
    name = factory.Sequence(lambda n: f"Agent {n}")
    job_title = ""
    bio = "An AI agent that drafts analysis of the technology industry."
    beats = "AI, machine learning, autonomous systems"
    operator = "Newsroom Media Ltd"
    system = "Newsroom Agent Platform 2"
    supervising_editor = factory.SubFactory(UserFactory, is_staff=True)
    disclosure = "This author is an AI agent. A human editor reviews every piece before it runs."


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    dek = "What happened, in one sentence."
    body = "<p>Sony said its profit rose. Analysts expect more.</p>"
    section = factory.SubFactory(SectionFactory)

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1)),
        )


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)
    role = Byline.Role.BY


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    name = factory.Sequence(lambda n: f"Sponsor {n}")
    slug = factory.Sequence(lambda n: f"sponsor-{n}")
    website = "https://sponsor.example"


class SponsorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsorship

    article = factory.SubFactory(ArticleFactory)
    sponsor = factory.SubFactory(SponsorFactory)
    kind = Sponsorship.Kind.NATIVE_ADVERTISING
    disclosure = "Paid for and commissioned by the sponsor; produced by our commercial desk."
    campaign_starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    campaign_ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory, published=True)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version misstated the quarter."


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Publisher {n}")
    kind = Publisher.Kind.NEWS_OUTLET


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    title = factory.Sequence(lambda n: f"Source document {n}")
    publisher = factory.SubFactory(PublisherFactory)
    kind = SourceDocument.Kind.NEWS_ARTICLE
    url = factory.Sequence(lambda n: f"https://source.example/doc/{n}")
    published_on = dt.date(2026, 4, 10)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    text = "Sony said its profit rose."


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    document = factory.SubFactory(SourceDocumentFactory)


def png_upload(
    name: str = "photo.png",
    size: tuple[int, int] = (8, 6),
    colour: tuple[int, int, int] = (30, 90, 200),
) -> SimpleUploadedFile:
    """A small, real PNG as the admin would receive it."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    # A different blue each time: the library refuses two images with the same content.
    file = factory.Sequence(lambda n: png_upload(colour=(n % 256, n // 256 % 256, 200)))
    alt_text = "A blue rectangle."
    credit = "Newsroom photo desk"


def make_publishable(article: Article, *, author: Author | None = None) -> Article:
    """Give ``article`` a human byline and a sourced claim from its body, so every gate passes.

    The claim quotes the ArticleFactory body; pass ``author`` to byline someone in particular.
    For an AI-written piece (an AI agent as ``author``, or AI-generated) the claim's source
    holds its passage and a fact-checker has verified it (``verify_claims``).
    """
    BylineFactory(article=article, author=author or AuthorFactory())
    claim = ClaimFactory(article=article, text="Sony said its profit rose.")
    ai_written = (author and author.is_ai_agent) or article.ai_involvement == "generated"
    passage = "Sony said on Friday that its profit rose." if ai_written else ""
    AttributionFactory(claim=claim, passage=passage)
    if ai_written:
        verify_claims(article)
    return article


def verify_claims(article: Article, *, by=None) -> list[ClaimCheck]:
    """Record each claim of ``article`` as verified, as it reads now, by ``by`` (default: a
    fact-checking editor who submitted nothing), so an AI-written piece passes that gate."""
    by = by or UserFactory(username="fact-checker", first_name="Dana", last_name="Whitfield")
    claims = Claim.objects.filter(article=article).with_citations()
    return [
        ClaimCheck.objects.create(
            claim=claim,
            verdict=ClaimCheck.Verdict.VERIFIED,
            checked_by=by,
            checked_at=timezone.now(),
            fingerprint=verification.fingerprint(claim),
        )
        for claim in claims
    ]


class PartnerKeyFactory(factory.django.DjangoModelFactory):
    """An API key made as ``create_key`` makes it (stored hashed). The secret a real owner
    sees once is kept on ``key.secret`` so tests can send it."""

    class Meta:
        model = PartnerKey

    name = factory.Sequence(lambda n: f"Partner app {n}")
    partner = "Kestrel Wire"

    class Params:
        for_agent = factory.Trait(
            partner="", agent=factory.SubFactory(AIAgentFactory), can_draft=True
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        key, secret = model_class.objects.create_key(*args, **kwargs)
        key.secret = secret
        return key


class EditingSessionFactory(factory.django.DjangoModelFactory):
    """An editor with an article's change page open, as of their last ping (just now)."""

    class Meta:
        model = "articles.EditingSession"

    article = factory.SubFactory(ArticleFactory)
    user = factory.SubFactory(UserFactory, is_staff=True)
    base_version = factory.LazyAttribute(lambda session: session.article.version)
    is_editing = False
    last_seen_at = factory.LazyFunction(timezone.now)
