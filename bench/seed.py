"""The small, shared records the benchmark archive's articles point at, made through the ORM.

Editors, sections, 50 authors (a few AI agents with their supervising editors and
disclosures, as the database requires), 200 tags, sponsors, publishers and a handful of
lead images with their renditions. Source documents are many, so they go in by COPY
(``bench.load``); everything here is a few hundred rows.
"""

import io
import random
from dataclasses import dataclass, field

from bench.corpus import LAST, ORGS, PLACES, TOPICS, Corpus, words

SECTIONS = (
    "Local",
    "Politics",
    "Business",
    "Climate",
    "Health",
    "Education",
    "Transport",
    "Culture",
    "Science",
    "Opinion",
)
AGENTS = ("Sift", "Tally", "Ledger", "Almanac")
COMMERCIAL_WRITERS = 3
AUTHORS = 50
TAGS = 200
SPONSORS = 20
PUBLISHERS = 60
IMAGES = 8


@dataclass
class Shared:
    """Ids the article rows refer to."""

    sections: list[int]
    reporters: list[int]
    commercial: list[int]
    agents: list[int]
    reviewer_of: dict[int, tuple[int, str]]  # agent id -> (editor user id, name)
    tags: list[int]
    sponsors: list[tuple[int, str]]
    publishers: list[int]
    images: list[int]
    content_type: int
    editors: list[tuple[int, str]] = field(default_factory=list)


def seed(corpus: Corpus) -> Shared:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import slugify
    from taggit.models import Tag

    from articles.models import Article, Author, Section, Sponsor
    from sources.models import Publisher

    rng = random.Random(5)
    user_model = get_user_model()
    editors = []
    for n in range(6):
        first, last = corpus.person().split()
        user = user_model.objects.create_user(
            f"editor{n}", password=None, first_name=first, last_name=last, is_staff=True
        )
        editors.append((user.pk, f"{first} {last}"))

    sections = Section.objects.bulk_create(
        Section(name=name, slug=slugify(name), position=n, description=f"{name} coverage.")
        for n, name in enumerate(SECTIONS)
    )

    people, seen = [], set()
    while len(people) < AUTHORS - len(AGENTS):
        name = corpus.person()
        if name not in seen:
            seen.add(name)
            people.append(name)
    authors = [
        Author(
            name=name,
            slug=slugify(name),
            job_title="Commercial desk writer" if n < COMMERCIAL_WRITERS else "Reporter",
            beats=", ".join(rng.sample(TOPICS, 2)),
            bio=f"{name} reports from {rng.choice(PLACES)}.",
        )
        for n, name in enumerate(people)
    ]
    authors += [
        Author(
            kind=Author.Kind.AI_AGENT,
            name=name,
            slug=slugify(name),
            operator="Newsroom Media Ltd",
            system="Newsroom Agent Platform 2",
            supervising_editor_id=editors[n % len(editors)][0],
            disclosure=f"{name} drafts routine data stories; an editor reviews each one.",
        )
        for n, name in enumerate(AGENTS)
    ]
    authors = Author.objects.bulk_create(authors)
    humans = [a.pk for a in authors if a.kind == Author.Kind.HUMAN]
    agents = [a for a in authors if a.kind == Author.Kind.AI_AGENT]
    names = dict(editors)

    tag_names = list(TOPICS) + list(PLACES) + [o.removeprefix("the ") for o in ORGS]
    for topic in TOPICS:
        for place in PLACES:
            if len(tag_names) >= TAGS:
                break
            tag_names.append(f"{topic.removeprefix('the ')} in {place}")
    tags = Tag.objects.bulk_create(Tag(name=n, slug=slugify(n)) for n in tag_names[:TAGS])

    sponsor_names = [f"{last} {kind}" for last, kind in zip(LAST, _SPONSOR_KINDS, strict=False)]
    sponsors = Sponsor.objects.bulk_create(
        Sponsor(name=n, slug=slugify(n), website=f"https://{slugify(n)}.example/")
        for n in sponsor_names[:SPONSORS]
    )
    kinds = [k for k, _ in Publisher.Kind.choices]
    publishers = Publisher.objects.bulk_create(
        Publisher(
            name=f"{place} {what}",
            slug=slugify(f"{place} {what}"),
            kind=rng.choice(kinds),
            url=f"https://{slugify(place)}-{slugify(what)}.example/",
        )
        for place, what in _publisher_names(PUBLISHERS)
    )
    return Shared(
        sections=[s.pk for s in sections],
        reporters=humans[COMMERCIAL_WRITERS:],
        commercial=humans[:COMMERCIAL_WRITERS],
        agents=[a.pk for a in agents],
        reviewer_of={
            a.pk: (a.supervising_editor_id, names[a.supervising_editor_id]) for a in agents
        },
        tags=[t.pk for t in tags],
        sponsors=[(s.pk, s.name) for s in sponsors],
        publishers=[p.pk for p in publishers],
        images=_images(rng),
        content_type=ContentType.objects.get_for_model(Article).pk,
        editors=editors,
    )


_SPONSOR_KINDS = words(
    "Energy Logistics Bank Telecom Insurance Foods Motors Pharma Air Outdoor Homes Solar "
    "Water Travel Software Retail Shipping Health Media Farms Steel Textiles Games"
)


def _publisher_names(count: int) -> list[tuple[str, str]]:
    what = ("Gazette", "Wire", "Herald", "Statistics Office", "Council", "Review", "Data Lab")
    pairs = [(p, w) for w in what for p in PLACES]
    return pairs[:count]


def _images(rng: random.Random) -> list[int]:
    """A handful of lead images with real files, and every rendition made once now."""
    from django.core.files.base import ContentFile
    from PIL import Image as Pillow
    from PIL import ImageDraw

    from articles.models import Image

    made = []
    for n in range(IMAGES):
        picture = Pillow.new("RGB", (1800, 1200), (rng.randrange(256), 90, 140))
        draw = ImageDraw.Draw(picture)
        for _ in range(40):
            x, y = rng.randrange(1800), rng.randrange(1200)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            draw.ellipse((x, y, x + rng.randrange(40, 400), y + rng.randrange(40, 300)), colour)
        data = io.BytesIO()
        picture.save(data, format="JPEG", quality=85)
        image = Image(
            alt_text=f"A street scene in {PLACES[n]}",
            caption=f"The harbour front in {PLACES[n]}.",
            credit="Newsroom staff",
            copyright="© Newsroom Media Ltd",
        )
        image.file.save(f"bench-{n}.jpg", ContentFile(data.getvalue()), save=False)
        image.width, image.height = picture.size
        image.save()
        made.append(image.pk)
    ensure_renditions()
    return made


def ensure_renditions() -> None:
    """Every rendition of every image, made now (cheap when they exist): a reused database
    may predate a change to the specs, and no timed request should pay for making one."""
    from articles.media import renditions
    from articles.models import Image

    # Stored sizes, as every upload has them: without them Django opens and parses the
    # file each time it builds the Image (width_field/height_field), on every teaser.
    for image in Image.objects.filter(width__isnull=True):
        Image.objects.filter(pk=image.pk).update(width=image.file.width, height=image.file.height)
    for image in Image.objects.all():
        for spec in renditions.SPECS:
            renditions.picture(image, spec)
