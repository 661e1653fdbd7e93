"""Invented newsroom text for the benchmark archive: names, headlines, bodies and claims.

Everything is assembled from small word lists and sentence templates written for this
file, so a million bodies differ from one another without copying any real text. The
text holds no tabs, newlines, backslashes, ampersands, quotes or angle brackets: it
goes into PostgreSQL's COPY text format as it is, and a claim's words read the same
before and after the body's HTML is folded to plain text (``sources.text``).
"""

import random


def words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FIRST = words(
    "Amara Ada Bruno Carmen Dmitri Elif Farah Goran Hana Ines Jonas Kemal Lena Mateo Nadia "
    "Oren Priya Quinn Rafael Sana Tomas Uma Viktor Wen Yara Zofia Anouk Bilal Chiara Dario"
)
LAST = words(
    "Okafor Lindqvist Moreau Haddad Novak Petrov Castillo Brennan Sato Mensah Kowalski "
    "Duarte Ibrahim Laurent Fischer Oyelaran Varga Nakamura Quispe Rahman Svensson "
    "Teixeira Abara"
)
PLACES = words(
    "Harbourside Northgate Ellery Marrow Valley Coldwater Brisk Point Ashford Lenning "
    "Tarrow Dunmore Kelby Orchard Bay Fennick Westmere Carrow Hollin Stenby Marlow Quay "
    "Redfern"
)
ORGS = words(
    "the city council,the port authority,the regional water board,the transit agency,"
    "the national statistics office,the hospital trust,the teachers union,"
    "the chamber of commerce,the energy regulator,the housing association,the university,"
    "the farmers cooperative,the fire service,the planning committee,"
    "the environment agency,the central bank,the ministry of health,the rail operator,"
    "the airport operator,the fisheries council",
    ",",
)
TOPICS = words(
    "flood defences,bus fares,school meals,rent controls,wind farms,the harbour dredging,"
    "hospital waiting lists,broadband coverage,the new library,cycle lanes,water quality,"
    "the night market,battery storage,the tram extension,heat pumps,coastal erosion,"
    "the budget deficit,youth employment,the recycling scheme,air pollution,grain prices,"
    "the ferry timetable,wildfire risk,the pension reform,housing permits,"
    "the election count",
    ",",
)
VERBS = words(
    "approved delayed rejected expanded reviewed funded cut defended questioned paused "
    "announced revised extended postponed welcomed criticised"
)
ADJECTIVES = words(
    "sharp modest steady unexpected gradual record slight marked temporary lasting uneven"
)
UNITS = words(
    "households,passengers,applications,complaints,jobs,hectares,beds,homes,visitors,"
    "businesses,pupils,vehicles,permits,tonnes of waste,megawatts,kilometres of track",
    ",",
)
PERIODS = words(
    "the first quarter,the second quarter,the third quarter,the last quarter,the past year,"
    "the previous twelve months,the winter,the summer season,the last financial year",
    ",",
)
MONTHS = words(
    "January February March April May June July August September October November December"
)
DAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

SENTENCES = (
    "{Org} {verb} plans for {topic} on {day}, after months of debate in {place}.",
    "Residents of {place} said the changes to {topic} had come {adj}ly but were overdue.",
    "Officials expect the cost of {topic} to rise again before {month}.",
    "Critics argue that {org} has not explained how {topic} will be paid for.",
    "A spokesperson for {org} said the figures would be published in {month}.",
    "The debate over {topic} has divided opinion in {place} for more than a decade.",
    "{First} {Last}, who has lived in {place} for {small} years, said little had changed.",
    "Campaigners in {place} plan to present a petition on {topic} to {org} in {month}.",
    "The proposal still needs the approval of {org} before work can begin.",
    "Similar schemes in {place} and {place2} were {verb} last year.",
    "Neither {org} nor {org2} responded to requests for comment by {day} evening.",
    "Local businesses said {topic} mattered more to them than any other issue this year.",
    "The {adj} change surprised analysts who had expected {topic} to stay off the agenda.",
    "In {place}, volunteers have run a weekly meeting on {topic} since {year}.",
    "{First} {Last}, an adviser to {org}, said the plan was a first step and not a solution.",
    "The council meeting on {topic} ran for almost {small} hours on {day}.",
    "Documents seen by this newsroom show that {org} discussed {topic} as early as {year}.",
    "Supporters say {topic} will pay for itself within {small} years.",
    "Opponents in {place2} have asked for an independent review of {topic}.",
    "The decision leaves open what happens to {topic} after {month}.",
)
HEADINGS = (
    "What happens next",
    "How we got here",
    "Who pays",
    "The view from {place}",
    "What the figures show",
    "Questions remain",
)
CLAIMS = (
    "{Org} recorded {n} {unit} in {period}, up {pct} percent on a year earlier.",
    "{Org} said it spent {money} million on {topic} in {year}.",
    "According to {org}, {pct} percent of {unit} in {place} were affected in {period}.",
    "{Org} reported {n} {unit} across {place} and {place2} during {period}.",
    "The number of {unit} in {place} fell by {pct} percent between {year} and {year2}.",
    "{Org} set aside {money} million for {topic} over {small} years.",
    "Figures from {org} show {n} {unit} waiting at the end of {month} {year}.",
)
HEADLINES = (
    "{Org} {verb} {topic} in {place}",
    "{Place} faces a {adj} shift on {topic}",
    "Why {topic} divides {place}",
    "{Topic}: what {org} {verb} and why",
    "{Place} residents push back on {topic}",
    "A {adj} year for {topic} in {place}",
    "Inside the fight over {topic} in {place}",
)
DEKS = (
    "The decision on {topic} affects thousands of {unit} and has been years in the making.",
    "After a {adj} year, {org} says {topic} is now its first priority.",
    "What the plans for {topic} mean for {place}, and who will pay for them.",
)


def _fill(template: str, rng: random.Random) -> str:
    # rng.random() indexing: a tenth of the cost of choice()/sample(), a million times over.
    r = rng.random
    org, org2 = ORGS[int(r() * len(ORGS))], ORGS[int(r() * len(ORGS))]
    place, place2 = PLACES[int(r() * len(PLACES))], PLACES[int(r() * len(PLACES))]
    topic = TOPICS[int(r() * len(TOPICS))]
    year = 2012 + int(r() * 14)
    return template.format(
        org=org,
        Org=org[0].upper() + org[1:],
        org2=org2 if org2 != org else ORGS[ORGS.index(org) - 1],
        place=place,
        Place=place,
        place2=place2 if place2 != place else PLACES[PLACES.index(place) - 1],
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        verb=VERBS[int(r() * len(VERBS))],
        adj=ADJECTIVES[int(r() * len(ADJECTIVES))],
        day=DAYS[int(r() * 7)],
        month=MONTHS[int(r() * 12)],
        year=year,
        year2=year + 1 + int(r() * 3),
        small=2 + int(r() * 38),
        First=FIRST[int(r() * len(FIRST))],
        Last=LAST[int(r() * len(LAST))],
        n=f"{120 + int(r() * 97880):,}",
        pct=2 + int(r() * 58),
        money=2 + int(r() * 898),
        unit=UNITS[int(r() * len(UNITS))],
        period=PERIODS[int(r() * len(PERIODS))],
    )


class Corpus:
    """Pools of sentences and paragraphs made once; every article draws its own mix."""

    def __init__(self, seed: int = 11, sentences: int = 12000, paragraphs: int = 6000) -> None:
        self.rng = rng = random.Random(seed)
        pool = [_fill(rng.choice(SENTENCES), rng) for _ in range(sentences)]
        self.paragraphs = []  # (text, html) of 3–5 sentences
        for _ in range(paragraphs):
            text = " ".join(rng.choices(pool, k=rng.randrange(3, 6)))
            self.paragraphs.append((text, f"<p>{text}</p>"))
        self.headings = [_fill(rng.choice(HEADINGS), rng) for _ in range(200)]

    def headline(self) -> str:
        return _fill(self.rng.choice(HEADLINES), self.rng)

    def dek(self) -> str:
        return _fill(self.rng.choice(DEKS), self.rng)

    def claims(self, count: int) -> list[str]:
        found: list[str] = []
        while len(found) < count:
            claim = _fill(CLAIMS[int(self.rng.random() * len(CLAIMS))], self.rng)
            if claim not in found:
                found.append(claim)
        return found

    def body(self, claims: list[str], size: int = 5000) -> tuple[str, list[int]]:
        """About ``size`` characters of HTML holding every claim, and where each claim
        starts in the body's plain text (its ``position``)."""
        r = self.rng.random
        paragraphs, headings = self.paragraphs, self.headings
        html: list[str] = []
        positions: list[int] = []
        pending = list(claims)
        length = plain = count = 0
        while length < size or pending:
            if count and count % 4 == 0:
                heading = headings[int(r() * len(headings))]
                html.append(f"<h2>{heading}</h2>")
                length += len(heading) + 9
                plain += len(heading) + 1
            text, paragraph = paragraphs[int(r() * len(paragraphs))]
            # Claims open the paragraphs they are in, each a sentence of its own.
            if pending and (r() < 0.6 or length > size * 0.7):
                claim = pending.pop(0)
                positions.append(plain)
                text = f"{claim} {text}"
                paragraph = f"<p>{text}</p>"
            html.append(paragraph)
            length += len(text) + 7
            plain += len(text) + 1
            count += 1
        return "".join(html), positions

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
