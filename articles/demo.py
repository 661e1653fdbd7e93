"""An invented newsroom to try Newsroom with: people, sections, sponsors, sources, articles.

Everything here is fiction written for the demo. Port Alder, its council and
companies, the sponsors and the journalists do not exist. Sony, Reuters, Yahoo
Finance and Bloomberg appear only as the publishers of *invented* source
documents, so that the four citation shapes readers meet every day can be
shown; none of those documents, statements or links (all on example.com and
example.org) is real.

``load_demo()`` is idempotent. Every row is found by its natural key (username,
slug, name, a document's title and publisher, a claim's text within its
article…) and created only when missing; nothing that exists is overwritten,
so a second run creates nothing and changes nothing, and a demo someone has
been editing keeps their edits. The one exception is a demo user's password:
it is set back to the one listed here when it no longer matches, so the
log-ins the command prints always work.

Times are relative to when the demo is loaded (“published 26 hours ago”), so
a fresh demo always looks current.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from articles import roles
from articles.models import (
    AIInvolvement,
    Article,
    Author,
    Byline,
    Correction,
    HumanReview,
    Section,
    Sponsor,
    Sponsorship,
    WorkType,
)
from sources.models import Attribution, Claim, Publisher, SourceDocument

# Staff accounts with public, development-only passwords, each in its role group
# (articles.roles), so the demo shows the desk firewall as real users meet it.
USERS = [
    {
        "username": "admin",
        "password": "newsroom-admin",
        "role": "superuser",
        "groups": [],
        "fields": {"first_name": "Sam", "last_name": "Hale", "is_superuser": True},
    },
    {
        "username": "editor",
        "password": "newsroom-editor",
        "role": "managing editor; supervises the AI agent Sift",
        "groups": [roles.EDITOR],
        "fields": {"first_name": "Maria", "last_name": "Okafor"},
    },
    {
        "username": "reporter",
        "password": "newsroom-reporter",
        "role": "technology reporter; the author Tomás Reyes",
        "groups": [roles.REPORTER],
        "fields": {"first_name": "Tomás", "last_name": "Reyes"},
    },
    {
        "username": "commercial",
        "password": "newsroom-commercial",
        "role": "commercial desk editor; makes and reviews sponsored content",
        "groups": [roles.COMMERCIAL_EDITOR],
        "fields": {"first_name": "Priya", "last_name": "Nair"},
    },
]

SECTIONS = [
    {
        "slug": "technology",
        "name": "Technology",
        "position": 0,
        "description": "Devices, networks, chips and the companies that make them.",
    },
    {
        "slug": "business",
        "name": "Business",
        "position": 1,
        "description": "Companies, money and work in Port Alder and beyond.",
    },
    {
        "slug": "climate",
        "name": "Climate",
        "position": 2,
        "description": "Weather, energy and how a harbour city adapts to rising seas.",
    },
    {
        "slug": "culture",
        "name": "Culture",
        "position": 3,
        "description": "Theatre, books, music and the places that host them.",
    },
    {
        "slug": "opinion",
        "name": "Opinion",
        "position": 4,
        "description": "Argument and comment, clearly labelled and signed.",
    },
]

AUTHORS = [
    {
        "slug": "tomas-reyes",
        "name": "Tomás Reyes",
        "user": "reporter",
        "job_title": "Technology reporter",
        "beats": "consumer technology, semiconductors, digital rights",
        "email": "tomas.reyes@example.com",
        "bio": (
            "Tomás Reyes has covered technology for Newsroom since 2021, from the chip "
            "designers moving into Port Alder to the rules on what apps may do with your "
            "data. Before that he wrote software for a logistics firm."
        ),
    },
    {
        "slug": "hannah-lindqvist",
        "name": "Hannah Lindqvist",
        "job_title": "Climate correspondent",
        "beats": "climate, energy, coastal cities",
        "email": "hannah.lindqvist@example.com",
        "bio": (
            "Hannah Lindqvist reports on climate and energy, with a focus on how coastal "
            "cities prepare for higher seas. She trained as a hydrologist."
        ),
    },
    {
        "slug": "kwame-mensah",
        "name": "Kwame Mensah",
        "job_title": "Business editor",
        "beats": "retail, banking, work",
        "email": "kwame.mensah@example.com",
        "bio": (
            "Kwame Mensah edits the business section and writes about shops, banks and the "
            "way people work. He spent ten years at a regional business weekly."
        ),
    },
    {
        "slug": "iris-calloway",
        "name": "Iris Calloway",
        "job_title": "Culture critic and columnist",
        "beats": "theatre, books, media",
        "email": "iris.calloway@example.com",
        "bio": (
            "Iris Calloway reviews theatre and books and writes a weekly column about the "
            "media. She has never given a standing ovation she did not mean."
        ),
    },
    {
        "slug": "sift",
        "name": "Sift",
        "kind": Author.Kind.AI_AGENT,
        "job_title": "",
        "beats": "AI, machine learning, autonomous systems",
        "operator": "Newsroom Media Ltd",
        "operator_url": "https://www.example.com/about/ai-agents",
        "system": "Newsroom Agent Platform 2",
        "supervising_editor": "editor",
        "bio": (
            "Sift is an AI agent, not a person. It drafts analysis about artificial "
            "intelligence, machine learning and autonomous systems from published sources, "
            "and every piece it drafts is reviewed by a human editor before it appears."
        ),
        "disclosure": (
            "Sift is an AI agent: software operated by Newsroom Media Ltd and running on "
            "Newsroom Agent Platform 2. It does not interview people or witness events; it "
            "works only from published sources and cites each factual claim to the document "
            "it came from. A human editor reviews and approves every piece before "
            "publication, and Maria Okafor, our managing editor, supervises the agent and "
            "answers for its work. Mistakes are corrected under our usual corrections policy."
        ),
    },
]

SPONSORS = [
    {
        "slug": "kestrel-networks",
        "name": "Kestrel Networks",
        "website": "https://kestrel.example.com",
        "description": "Kestrel Networks makes mesh Wi-Fi systems for homes and small offices.",
    },
    {
        "slug": "tidewater-foundation",
        "name": "Tidewater Foundation",
        "website": "https://tidewater.example.org",
        "description": (
            "The Tidewater Foundation is a charitable trust that funds public-interest "
            "reporting on coasts and climate."
        ),
    },
]

PUBLISHERS = [
    {"name": "Sony", "kind": Publisher.Kind.COMPANY, "url": "https://sony.example.com"},
    {"name": "Reuters", "kind": Publisher.Kind.WIRE, "url": "https://reuters.example.com"},
    {
        "name": "Yahoo Finance",
        "kind": Publisher.Kind.PORTAL,
        "url": "https://yahoo-finance.example.com",
    },
    {
        "name": "Bloomberg",
        "kind": Publisher.Kind.NEWS_OUTLET,
        "url": "https://bloomberg.example.com",
    },
    {
        "name": "Port Alder City Council",
        "kind": Publisher.Kind.GOVERNMENT,
        "url": "https://council.example.org",
    },
    {
        "name": "Port Alder Transit",
        "kind": Publisher.Kind.COMPANY,
        "url": "https://transit.example.org",
    },
    {
        "name": "Veloxa Semiconductors",
        "kind": Publisher.Kind.COMPANY,
        "url": "https://veloxa.example.com",
    },
    {
        "name": "Fairmarket Group",
        "kind": Publisher.Kind.COMPANY,
        "url": "https://fairmarket.example.com",
    },
    {
        "name": "Alder Valley Statistics Office",
        "kind": Publisher.Kind.GOVERNMENT,
        "url": "https://statistics.example.org",
    },
    {
        "name": "Greyline Research",
        "kind": Publisher.Kind.RESEARCH,
        "url": "https://greyline.example.com",
    },
]

# Source documents, keyed for the claims below. ``days_ago`` dates them
# relative to the day the demo is loaded.
DOCUMENTS = {
    "sony-streaming-release": {
        "title": "Sony outlines the next stage of its cloud streaming service",
        "publisher": "Sony",
        "kind": SourceDocument.Kind.PRESS_RELEASE,
        "url": "https://sony.example.com/news/cloud-streaming-next-stage",
        "days_ago": 5,
    },
    "reuters-streaming-report": {
        "title": "Game streaming puts home networks to the test",
        "publisher": "Reuters",
        "kind": SourceDocument.Kind.WIRE_REPORT,
        "url": "https://reuters.example.com/technology/game-streaming-home-networks",
        "days_ago": 4,
    },
    "bloomberg-latency-interview": {
        "title": "Why game streaming lives or dies on latency",
        "publisher": "Bloomberg",
        "kind": SourceDocument.Kind.INTERVIEW,
        "url": "https://bloomberg.example.com/news/game-streaming-latency-interview",
        "days_ago": 3,
    },
    "council-wifi-release": {
        "title": "Council approves free Wi-Fi on every tram",
        "publisher": "Port Alder City Council",
        "kind": SourceDocument.Kind.PRESS_RELEASE,
        "url": "https://council.example.org/news/free-wifi-on-every-tram",
        "days_ago": 1,
    },
    "transit-wifi-timetable": {
        "title": "Tram Wi-Fi: when the first lines will be connected",
        "publisher": "Port Alder Transit",
        "kind": SourceDocument.Kind.PRESS_RELEASE,
        "url": "https://transit.example.org/news/tram-wifi-first-lines",
        "days_ago": 1,
    },
    "veloxa-centre-release": {
        "title": "Veloxa opens a design centre in Port Alder",
        "publisher": "Veloxa Semiconductors",
        "kind": SourceDocument.Kind.PRESS_RELEASE,
        "url": "https://veloxa.example.com/press/port-alder-design-centre",
        "days_ago": 2,
    },
    "reuters-chip-hubs-report": {
        "title": "Chip designers look beyond the big hubs for engineers",
        "publisher": "Reuters",
        "kind": SourceDocument.Kind.WIRE_REPORT,
        "url": "https://reuters.example.com/technology/chip-designers-new-hubs",
        "days_ago": 6,
    },
    "fairmarket-annual-report": {
        "title": "Fairmarket Group annual report and store review",
        "publisher": "Fairmarket Group",
        "kind": SourceDocument.Kind.FILING,
        "url": "https://fairmarket.example.com/investors/annual-report",
        "days_ago": 3,
    },
    "savings-survey": {
        "title": "Household savings survey, third quarter",
        "publisher": "Alder Valley Statistics Office",
        "kind": SourceDocument.Kind.DATASET,
        "url": "https://statistics.example.org/household-savings/q3",
        "days_ago": 9,
    },
    "council-sea-wall-minutes": {
        "title": "Minutes of the special council meeting on coastal defences",
        "publisher": "Port Alder City Council",
        "kind": SourceDocument.Kind.FILING,
        "url": "https://council.example.org/minutes/coastal-defences",
        "days_ago": 2,
    },
}

# How a claim reaches a document: first-hand, or through an intermediary.
SONY_RELEASE = {"document": "sony-streaming-release"}
REUTERS_VIA_YAHOO = {
    "document": "reuters-streaming-report",
    "via": "Yahoo Finance",
    "relation": Attribution.Relation.CARRIED_BY,
    "via_url": "https://yahoo-finance.example.com/news/game-streaming-home-networks",
}
BLOOMBERG_QUOTED_BY_YAHOO = {
    "document": "bloomberg-latency-interview",
    "via": "Yahoo Finance",
    "relation": Attribution.Relation.QUOTED_BY,
    "via_url": "https://yahoo-finance.example.com/news/analyst-lag-is-what-players-notice",
}

PUBLISHED = Article.Status.PUBLISHED
DRAFT = Article.Status.DRAFT
BY = Byline.Role.BY

# Article bodies are wrapped to fit this file; the loader joins each into one
# line, as the editor would save it. Claims must appear verbatim in the body.
ARTICLES = [
    {
        "slug": "cloud-gaming-home-network-ready",
        "headline": "Cloud gaming is moving into the living room. Is your home network ready?",
        "dek": (
            "As console makers stream more of their games from data centres, the weak link "
            "is often the Wi-Fi, not the broadband line."
        ),
        "section": "technology",
        "type_of_work": WorkType.ANALYSIS,
        "ai_involvement": AIInvolvement.GENERATED,
        "status": PUBLISHED,
        "hours_ago": 26,
        "desk": Article.Desk.COMMERCIAL,
        "created_by": "commercial",
        # An AI agent wrote it, so a human review of this version is on record.
        "review": {
            "reviewer": "commercial",
            "hours_before_publication": 2,
            "note": "Checked each claim against its source and the advice against the brief.",
        },
        "bylines": [("sift", BY)],
        "tags": ["cloud gaming", "home networks", "Wi-Fi"],
        "sponsorship": {
            "sponsor": "kestrel-networks",
            "kind": Sponsorship.Kind.NATIVE_ADVERTISING,
            "disclosure": (
                "This article was paid for by Kestrel Networks, which chose its subject. It "
                "was drafted for our commercial desk by Sift, an AI agent, and reviewed by an "
                "editor on that desk. Newsroom's journalists were not involved in it."
            ),
            "campaign_days": (-3, 27),
        },
        "body": """
            <p>For most of the last decade, what a games console could do was decided by the
            box under the television. As more games are streamed from data centres instead
            of running at home, that limit is moving to the router in the hallway.</p>
            <p>Sony said it will bring its cloud streaming service to more countries next
            year. Sony plans to let subscribers stream a larger part of its catalogue from
            the cloud. Both moves put more of the work of playing a game onto the connection
            between a player's home and the nearest data centre.</p>
            <h2>Bandwidth is the easy part</h2>
            <p>Most broadband lines sold today are fast enough for high-definition streaming.
            The harder question is what happens inside the home, where one router often
            serves a dozen devices through walls and floors. Shipments of Wi-Fi 7 routers
            more than doubled in the first quarter, as households replaced equipment bought
            before streamed games existed.</p>
            <p>Speed is not the only measure that matters. “Players forgive a blurry frame;
            they do not forgive lag,” Dana Whitfield, an analyst at Greyline Research, told
            Bloomberg. Lag, or latency, is the delay between pressing a button and seeing
            the result, and it grows quickly when a signal has to fight its way through a
            crowded home network.</p>
            <h2>What to check at home</h2>
            <ul>
            <li><p>Connect the console by cable where you can; a wired link removes most of
            the variation.</p></li>
            <li><p>If a cable is impractical, put the router or a mesh point in the same room
            as the screen.</p></li>
            <li><p>Run a latency test, not only a speed test.</p></li>
            <li><p>Schedule large downloads and backups for when nobody is playing.</p></li>
            </ul>
            <p>Kestrel Networks, which paid for this article, makes mesh Wi-Fi systems. The
            advice above applies whichever brand of equipment you use.</p>
        """,
        "claims": [
            {
                "text": "Sony said it will bring its cloud streaming service to more countries "
                "next year.",
                "sources": [SONY_RELEASE],
            },
            {
                "text": "Sony plans to let subscribers stream a larger part of its catalogue "
                "from the cloud.",
                "sources": [SONY_RELEASE, REUTERS_VIA_YAHOO],
            },
            {
                "text": "Shipments of Wi-Fi 7 routers more than doubled in the first quarter",
                "sources": [REUTERS_VIA_YAHOO],
            },
            {
                "text": "“Players forgive a blurry frame; they do not forgive lag,” Dana "
                "Whitfield, an analyst at Greyline Research, told Bloomberg.",
                "sources": [BLOOMBERG_QUOTED_BY_YAHOO],
            },
        ],
    },
    {
        "slug": "port-alder-free-wifi-on-every-tram",
        "headline": "Port Alder to put free Wi-Fi on every tram by next summer",
        "dek": (
            "The city council approved the plan this week; the transit operator says the "
            "first two lines will be connected in the spring."
        ),
        "section": "technology",
        "type_of_work": WorkType.NEWS,
        "status": PUBLISHED,
        "hours_ago": 3,
        "created_by": "reporter",
        "bylines": [("tomas-reyes", BY)],
        "tags": ["Port Alder", "public transport", "Wi-Fi"],
        "body": """
            <p>Every tram in Port Alder will carry free Wi-Fi by next summer under a plan the
            city council approved this week, after a debate that turned mostly on whether
            the money would be better spent on more frequent services.</p>
            <p>The council will spend €4.2 million on the network over three years,
            including the cost of equipping 86 trams. Councillors voted 31 to 9 in favour.</p>
            <p>Port Alder Transit said the Harbour Loop and the University line would be the
            first to be connected, in the spring. The remaining lines follow in order of
            passenger numbers.</p>
            <h2>No sign-up required</h2>
            <p>Privacy campaigners had asked for the network to work without accounts, and
            the council agreed. Passengers will not have to register or give an e-mail
            address to connect. The operator will keep only counts of connected devices per
            tram, which it says it needs to plan capacity.</p>
            <p>The full plan is published on the
            <a href="https://council.example.org/news/free-wifi-on-every-tram">council's
            website</a>.</p>
        """,
        "claims": [
            {
                "text": "The council will spend €4.2 million on the network over three years, "
                "including the cost of equipping 86 trams.",
                "sources": [{"document": "council-wifi-release"}],
            },
            {
                "text": "Port Alder Transit said the Harbour Loop and the University line would "
                "be the first to be connected, in the spring.",
                "sources": [{"document": "transit-wifi-timetable"}],
            },
            {
                "text": "Passengers will not have to register or give an e-mail address to "
                "connect.",
                "sources": [{"document": "council-wifi-release"}],
            },
        ],
    },
    {
        "slug": "veloxa-opens-port-alder-design-centre",
        "headline": "Chip designer Veloxa opens a Port Alder centre and will hire 400 engineers",
        "dek": (
            "The company will design low-power chips for sensors and cars in the former "
            "customs house; the university will train engineers with it."
        ),
        "section": "technology",
        "type_of_work": WorkType.NEWS,
        "ai_involvement": AIInvolvement.ASSISTED,
        "status": PUBLISHED,
        "hours_ago": 20,
        "created_by": "reporter",
        "bylines": [("tomas-reyes", BY), ("sift", Byline.Role.RESEARCH)],
        "review": {
            "reviewer": "editor",
            "hours_before_publication": 1,
            "note": "Checked the agent's research notes against the filings it cited.",
        },
        "tags": ["Veloxa", "semiconductors", "jobs"],
        "body": """
            <p>Veloxa Semiconductors has opened a chip design centre in Port Alder's former
            customs house, its first outside the capital.</p>
            <p>Veloxa Semiconductors said it will hire 400 engineers at the centre over the
            next three years. About a quarter of the posts will go to graduates of a
            training programme the company is setting up with Port Alder University.</p>
            <p>The move follows a wider pattern. Chip design companies have opened more
            offices outside the traditional hubs as competition for engineers has grown, and
            cities with a university and cheaper rents have been the main beneficiaries.</p>
            <h2>What the centre will make</h2>
            <p>Veloxa designs chips but does not manufacture them. The Port Alder team will
            work on low-power processors for sensors, such as those that monitor bridges and
            harbour cranes, and on chips for car dashboards.</p>
            <p><em>Sift, an AI agent operated by Newsroom Media Ltd, helped research this
            article by finding and summarising the company's filings; Tomás Reyes checked
            every fact it found against the documents.</em></p>
        """,
        "claims": [
            {
                "text": "Veloxa Semiconductors said it will hire 400 engineers at the centre "
                "over the next three years.",
                "sources": [{"document": "veloxa-centre-release"}],
            },
            {
                "text": "Chip design companies have opened more offices outside the traditional "
                "hubs as competition for engineers has grown",
                "sources": [{"document": "reuters-chip-hubs-report"}],
            },
        ],
    },
    {
        "slug": "fairmarket-to-close-30-stores",
        "headline": "Grocer Fairmarket to close 30 stores after a year of falling sales",
        "dek": "The chain says the closures will affect about 900 jobs, most of them part-time.",
        "section": "business",
        "type_of_work": WorkType.NEWS,
        "status": PUBLISHED,
        "hours_ago": 30,
        "created_by": "editor",
        "bylines": [("kwame-mensah", BY)],
        "tags": ["Fairmarket", "retail", "jobs"],
        "body": """
            <p>Fairmarket, the region's third-largest grocery chain, is to close stores after
            a year in which shoppers moved to discounters and online deliveries.</p>
            <p>Fairmarket Group said it will close 30 of its 212 stores by the end of March.
            Like-for-like sales fell 6 per cent in the year to August, the company's annual
            report shows.</p>
            <p>The closures will affect about 900 jobs, most of them part-time. The company
            said it would offer staff places in nearby stores where it could.</p>
            <h2>Smaller shops, longer hours</h2>
            <p>The stores that remain will be refitted with fewer aisles and more space for
            prepared food, and some will open later into the evening. Analysts said the plan
            resembled those of rivals that had already shrunk their larger stores.</p>
        """,
        "claims": [
            {
                "text": "Fairmarket Group said it will close 30 of its 212 stores by the end of "
                "March.",
                "sources": [{"document": "fairmarket-annual-report"}],
            },
            {
                "text": "Like-for-like sales fell 6 per cent in the year to August",
                "sources": [{"document": "fairmarket-annual-report"}],
            },
        ],
        "corrections": [
            {
                "kind": Correction.Kind.CORRECTION,
                "hours_after": 5,
                "text": (
                    "An earlier version of this article said Fairmarket would close 40 stores. "
                    "The company's annual report says 30 stores will close; 40 is the number "
                    "of stores it reviewed."
                ),
            },
        ],
    },
    {
        "slug": "small-lenders-winning-back-savers",
        "headline": "Why small lenders are quietly winning back savers",
        "dek": (
            "Building societies and credit unions are paying more and asking less. The big "
            "banks have noticed."
        ),
        "section": "business",
        "type_of_work": WorkType.ANALYSIS,
        "status": PUBLISHED,
        "hours_ago": 50,
        "created_by": "editor",
        "bylines": [("kwame-mensah", BY)],
        "tags": ["banking", "savings", "interest rates"],
        "body": """
            <p>For years the advice to savers was simple: leave it with the bank you already
            use, because moving is a chore and the difference is small. That advice is
            ageing badly.</p>
            <p>Households put 14 per cent more into savings accounts at building societies
            and credit unions in the third quarter than a year earlier. Deposits at the
            largest banks barely moved over the same period.</p>
            <h2>Three reasons for the shift</h2>
            <ul>
            <li><p>Small lenders have passed more of the rise in interest rates on to
            savers.</p></li>
            <li><p>Switching accounts now takes minutes, not an afternoon at a branch.</p></li>
            <li><p>Deposit protection covers the same amount at a credit union as at a large
            bank, which removes much of the perceived risk.</p></li>
            </ul>
            <p>None of this means the large banks are in trouble. Their deposits are still
            many times larger. But the gap in what they pay has become visible, and savers
            are acting on it.</p>
        """,
        "claims": [
            {
                "text": "Households put 14 per cent more into savings accounts at building "
                "societies and credit unions in the third quarter than a year earlier.",
                "sources": [
                    {
                        "document": "savings-survey",
                        "via": "Greyline Research",
                        "relation": Attribution.Relation.DATA_FROM,
                    }
                ],
            },
        ],
    },
    {
        "slug": "port-alder-votes-to-raise-sea-wall",
        "headline": "Port Alder votes to raise its sea wall by a metre",
        "dek": (
            "Part of our Rising Tides series: the city will rebuild the Eastern Quay defences "
            "before the end of the decade."
        ),
        "section": "climate",
        "type_of_work": WorkType.NEWS,
        "status": PUBLISHED,
        "hours_ago": 8,
        # Every sponsored piece, underwritten ones too, sits on the commercial desk.
        "desk": Article.Desk.COMMERCIAL,
        "created_by": "commercial",
        "bylines": [("hannah-lindqvist", BY)],
        "tags": ["Rising Tides", "sea level", "Port Alder"],
        "sponsorship": {
            "sponsor": "tidewater-foundation",
            "kind": Sponsorship.Kind.UNDERWRITING,
            "disclosure": (
                "Rising Tides is supported by a grant from the Tidewater Foundation. The "
                "foundation had no role in choosing, reporting, writing or editing it."
            ),
            "campaign_days": (-30, 60),
        },
        "body": """
            <p>Port Alder will raise the sea wall along its oldest waterfront after a
            council vote that ended two years of argument over cost and views of the
            harbour.</p>
            <p>The council voted to raise the wall along the Eastern Quay by one metre by
            2031. Work will start at the northern end, where the wall was overtopped twice
            last winter.</p>
            <p>Residents of the quay had opposed an earlier design that would have blocked
            the view from ground-floor windows. The approved plan adds glass panels along
            the top of the wall, which engineers say can be replaced by solid gates when a
            storm is forecast.</p>
            <blockquote><p>“We have spent two winters pumping out basements. This is the
            first plan that treats the next thirty years as real,” said one quay resident at
            the meeting.</p></blockquote>
            <p>The city will apply for national flood-defence funding to cover about half of
            the cost.</p>
        """,
        "claims": [
            {
                "text": "The council voted to raise the wall along the Eastern Quay by one metre "
                "by 2031.",
                "sources": [{"document": "council-sea-wall-minutes"}],
            },
        ],
    },
    {
        "slug": "what-is-a-heat-dome",
        "headline": "What is a heat dome, and why do they seem to last longer?",
        "dek": "A high-pressure system can trap hot air over a region for days. Here is how.",
        "section": "climate",
        "type_of_work": WorkType.EXPLAINER,
        "status": PUBLISHED,
        "hours_ago": 72,
        "created_by": "editor",
        "bylines": [("hannah-lindqvist", BY)],
        "tags": ["heatwaves", "weather", "explainer"],
        "body": """
            <p>When forecasters talk about a heat dome, they mean a large area of high
            pressure that sits over a region and acts like a lid.</p>
            <h2>How the lid works</h2>
            <p>Air under high pressure sinks. As it sinks it is compressed and warms, and the
            sinking air also keeps clouds from forming, so the sun heats the ground without
            interruption. Day after day, the heat builds.</p>
            <h2>Why it stays put</h2>
            <p>Weather systems are normally moved along by the jet stream, the band of fast
            winds high above us. When the jet stream slows and bends into large loops, a
            high-pressure system can be left behind, and the heat dome stays for a week or
            more.</p>
            <h2>What to do during one</h2>
            <ul>
            <li><p>Keep curtains closed on the sunny side of the house during the day.</p></li>
            <li><p>Check on neighbours who live alone, especially older people.</p></li>
            <li><p>Drink water regularly, before you feel thirsty.</p></li>
            </ul>
        """,
    },
    {
        "slug": "flood-warning-lifted-alder-river",
        "headline": "Flood warning lifted as the Alder river falls",
        "dek": "Residents of the lower valley can return home, the rivers agency says.",
        "section": "climate",
        "type_of_work": WorkType.NEWS,
        "status": PUBLISHED,
        "hours_ago": 45,
        "created_by": "editor",
        "bylines": [("hannah-lindqvist", BY)],
        "tags": ["flooding", "Alder river", "weather"],
        "body": """
            <p>The Coastal Rivers Agency has lifted its flood warning for the Alder river
            after three days in which water reached the doorsteps of more than a hundred
            homes in the lower valley.</p>
            <p>The river peaked early on Sunday and has fallen steadily since. The agency
            said residents who left their homes could return, but asked them not to switch
            on electrics that had been under water until an electrician had checked them.</p>
            <p>Volunteers from the Millbridge sailing club ferried people and pets across the
            flooded market square on Saturday night.</p>
            <p>The agency's <a href="https://rivers.example.org/alder/levels">river level
            readings</a> are updated every fifteen minutes.</p>
        """,
        "corrections": [
            {
                "kind": Correction.Kind.UPDATE,
                "hours_after": 4,
                "text": (
                    "This article was updated after the Coastal Rivers Agency also lifted its "
                    "last remaining flood alert for the lower valley."
                ),
            },
        ],
    },
    {
        "slug": "review-the-lantern-keepers",
        "headline": "Review: ‘The Lantern Keepers’ turns a lighthouse into a whole world",
        "dek": "A three-hander at the Quayside Theatre that earns every one of its silences.",
        "section": "culture",
        "type_of_work": WorkType.REVIEW,
        "status": PUBLISHED,
        "hours_ago": 96,
        "created_by": "editor",
        "bylines": [("iris-calloway", BY)],
        "tags": ["theatre", "Quayside Theatre", "reviews"],
        "body": """
            <p>Three keepers, one lighthouse, one winter. That is all ‘The Lantern Keepers’
            needs, and in the Quayside Theatre's small upstairs room it is more than
            enough.</p>
            <p>The play follows an old keeper, his estranged daughter and a young relief man
            through the last season before the light is automated. Nobody says much. The
            lamp turns, the radio crackles, and the silences fill with everything the three
            cannot say to each other.</p>
            <h2>A set that breathes</h2>
            <p>The designer has built the lamp room at full scale, and its slow sweep of light
            across the audience becomes a clock: each pass a little more of the season gone.
            By the final scene you notice its absence before the characters do.</p>
            <p>It is not perfect. A subplot about a shipwreck is resolved too neatly, and the
            second act runs ten minutes long. But this is the most affecting new play the
            Quayside has staged in years.</p>
            <p><strong>The Lantern Keepers</strong> runs at the Quayside Theatre until the end
            of next month.</p>
        """,
    },
    {
        "slug": "review-folio-3-e-reader",
        "headline": "Review: the Folio 3 is the e-reader to beat, if you can do without colour",
        "dek": "Light, fast and with a battery that lasts weeks; the colour model is not worth it.",
        "section": "technology",
        "type_of_work": WorkType.REVIEW,
        "status": PUBLISHED,
        "hours_ago": 120,
        "created_by": "reporter",
        "bylines": [("tomas-reyes", BY)],
        "tags": ["e-readers", "reviews", "gadgets"],
        "body": """
            <p>The Folio 3 does one thing and does it very well: it shows you the page of a
            book, evenly lit, for weeks on a single charge.</p>
            <h2>What is good</h2>
            <ul>
            <li><p>At 180 grams it is light enough to hold in one hand for a whole chapter.</p></li>
            <li><p>Pages turn without the flash and lag of older e-readers.</p></li>
            <li><p>It opens books from any shop and from the public library, not only its own
            store.</p></li>
            </ul>
            <h2>What is not</h2>
            <p>The colour version costs a third more and makes the page noticeably darker.
            Unless you read comics, buy the black-and-white one.</p>
            <p>We bought the review unit ourselves; the manufacturer had no say in this
            review.</p>
        """,
    },
    {
        "slug": "newsrooms-should-show-their-sources",
        "headline": "Newsrooms should show their sources. All of them.",
        "dek": "Readers are asked to trust us. The least we can do is show our working.",
        "section": "opinion",
        "type_of_work": WorkType.OPINION,
        "status": PUBLISHED,
        "hours_ago": 28,
        "created_by": "editor",
        "bylines": [("iris-calloway", BY)],
        "tags": ["media", "trust", "journalism"],
        "body": """
            <p>Every news story rests on other people's words: a press release, a court
            filing, a wire report, an interview. Most of the time, readers are not told
            which.</p>
            <p>That made sense when a newspaper had a fixed number of column inches and a
            footnote was a luxury. It makes no sense online, where a link costs nothing and
            a reader can check a claim in seconds.</p>
            <h2>Say how you know</h2>
            <p>There is a difference between a fact a reporter saw for herself, one a company
            announced, and one a wire service reported and a portal repeated. Readers deserve
            to know which is which. “According to Bloomberg as quoted by Yahoo Finance” is
            clumsy, but it is honest, and honesty is the product we sell.</p>
            <blockquote><p>If we would not accept an unsourced claim from a politician, we
            should not ask readers to accept one from us.</p></blockquote>
            <p>This newspaper now shows the sources behind the claims in its stories. Other
            newsrooms should do the same.</p>
        """,
    },
    {
        "slug": "let-the-four-day-week-prove-itself",
        "headline": "Let the four-day week prove itself before we argue about it",
        "dek": "Port Alder's trial is small and imperfect. It is also the best evidence we have.",
        "section": "opinion",
        "type_of_work": WorkType.OPINION,
        "status": PUBLISHED,
        "hours_ago": 100,
        "created_by": "editor",
        "bylines": [("kwame-mensah", BY)],
        "tags": ["work", "four-day week", "Port Alder"],
        "body": """
            <p>Few ideas divide a dinner table faster than the four-day week. Its fans
            promise happier staff and no loss of output; its critics see a luxury for office
            workers that nurses and bus drivers will never share.</p>
            <p>Both sides are arguing ahead of the evidence. Twenty Port Alder employers,
            from a bakery to a software firm, have agreed to try it for a year and publish
            what happens to their output, sick days and staff turnover.</p>
            <p>That is a small sample, and the firms volunteered, which tilts the result.
            But it is real data from real workplaces in this city, and it will tell us more
            than another round of opinion columns, this one included.</p>
            <p>Let the trial run. Then argue.</p>
        """,
    },
    {
        "slug": "what-our-ai-labels-mean",
        "headline": "What our AI labels mean, and what they don't",
        "dek": "‘AI-generated’ and ‘AI-assisted’ are not the same thing. Here is how we use them.",
        "section": "technology",
        "type_of_work": WorkType.EXPLAINER,
        "status": PUBLISHED,
        "hours_ago": 150,
        "created_by": "reporter",
        "bylines": [("tomas-reyes", BY)],
        "tags": ["AI", "transparency", "explainer"],
        "body": """
            <p>Some articles on this site carry a label about artificial intelligence. This
            is what each one means.</p>
            <h2>AI-generated</h2>
            <p>An AI agent wrote the text. The agent is named in the byline, with the
            organisation that operates it, and a human editor reviewed the piece before it
            was published. Our agent, Sift, never appears as a person: its byline always
            says that it is an AI agent.</p>
            <h2>AI-assisted</h2>
            <p>A journalist wrote the piece and an AI tool helped, for example by finding
            documents or summarising a long filing. The journalist checked everything the
            tool produced and is responsible for the result.</p>
            <h2>No label</h2>
            <p>No AI system was involved in writing or researching the piece.</p>
            <p>Read more about <a href="https://www.example.com/about/ai-agents">how we use AI
            agents</a>.</p>
        """,
    },
    {
        "slug": "quayside-library-lends-instruments",
        "headline": "Quayside library starts lending violins, keyboards and ukuleles",
        "dek": "Anyone with a library card can take an instrument home for four weeks.",
        "section": "culture",
        "type_of_work": WorkType.NEWS,
        "status": PUBLISHED,
        "hours_ago": 52,
        "created_by": "editor",
        "bylines": [("iris-calloway", BY)],
        "tags": ["libraries", "music", "Port Alder"],
        "body": """
            <p>The Quayside branch library has added something unusual to its shelves: sixty
            musical instruments, from violins to a drum kit, that anyone with a library card
            can borrow.</p>
            <p>Loans last four weeks and can be renewed once. The collection was built from
            donations after a local music shop closed, and a retired music teacher tunes and
            repairs the instruments every Saturday morning.</p>
            <p>Librarians say the ukuleles went first. There is already a waiting list for
            the cello.</p>
        """,
    },
    {
        "slug": "port-authority-weighs-automated-cranes",
        "headline": "Port authority weighs automated cranes for the container terminal",
        "dek": "Draft: waiting for the port authority's response on job numbers.",
        "section": "business",
        "type_of_work": WorkType.NEWS,
        "status": DRAFT,
        "created_by": "editor",
        "bylines": [("kwame-mensah", BY)],
        "tags": ["port", "automation", "jobs"],
        "body": """
            <p>The Port Alder port authority is considering replacing the container
            terminal's six ship-to-shore cranes with remotely operated ones.</p>
            <p>Dockworkers' representatives say they have not been consulted. The authority
            has been asked how many jobs would change or go.</p>
        """,
    },
    {
        "slug": "delivery-robots-first-year-of-trials",
        "headline": "Delivery robots on the pavement: what a year of trials has shown",
        "dek": "Draft from Sift, awaiting review by the supervising editor.",
        "section": "technology",
        "type_of_work": WorkType.ANALYSIS,
        "ai_involvement": AIInvolvement.GENERATED,
        "status": DRAFT,
        "created_by": "editor",
        "bylines": [("sift", BY)],
        "tags": ["autonomous systems", "robots", "deliveries"],
        "body": """
            <p>Small wheeled robots have been carrying groceries along pavements in two Port
            Alder neighbourhoods for a year. The trial's operators say most deliveries
            arrived on time; residents' complaints were mostly about robots blocking narrow
            pavements.</p>
            <p>This draft needs sourcing for every figure before review.</p>
        """,
    },
]


class _Loader:
    """Creates what is missing, remembering rows by natural key so later data can refer to them."""

    def __init__(self, now: datetime):
        self.now = now
        self.today = timezone.localdate(now)
        self.counts: dict[str, list[int]] = {}
        # The data names related rows by natural key (a username, a slug, a publisher's
        # name, a document's key); each referring field maps to the rows it can name.
        users: dict[str, models.Model] = {}
        publishers: dict[str, models.Model] = {}
        self.refs: dict[str, dict[str, models.Model]] = {
            "user": users,
            "supervising_editor": users,
            "created_by": users,
            "reviewer": users,
            "section": {},
            "author": {},
            "sponsor": {},
            "publisher": publishers,
            "via": publishers,
            "document": {},
        }

    def ensure(self, model: type[models.Model], key: tuple[str, ...], **values) -> models.Model:
        """The row whose ``key`` fields match ``values``; created from ``values`` if missing."""
        values = {
            name: self.refs[name][value] if name in self.refs and isinstance(value, str) else value
            for name, value in values.items()
        }
        obj = model._default_manager.filter(**{name: values[name] for name in key}).first()
        created = obj is None
        if created:
            obj = model(**values)
            obj.full_clean()  # the demo data obeys the same rules as an editor's input
            obj.save()
        label = str(model._meta.verbose_name_plural).capitalize()
        self.counts.setdefault(label, [0, 0])[0 if created else 1] += 1
        return obj

    def ensure_all(self, ref: str, model: type[models.Model], specs: list[dict], key: str):
        for spec in specs:
            self.refs[ref][spec[key]] = self.ensure(model, (key,), **spec)

    def load(self) -> dict[str, tuple[int, int]]:
        self.load_users()
        self.ensure_all("section", Section, SECTIONS, "slug")
        self.ensure_all("author", Author, AUTHORS, "slug")
        self.ensure_all("sponsor", Sponsor, SPONSORS, "slug")
        self.ensure_all("publisher", Publisher, PUBLISHERS, "name")
        for ref, spec in DOCUMENTS.items():
            published_on = self.today - timedelta(days=spec["days_ago"])
            fields = {name: value for name, value in spec.items() if name != "days_ago"}
            self.refs["document"][ref] = self.ensure(
                SourceDocument, ("title", "publisher"), published_on=published_on, **fields
            )
        for spec in ARTICLES:
            self.load_article(**spec)
        return {label: (created, existing) for label, (created, existing) in self.counts.items()}

    def load_users(self) -> None:
        roles.sync_roles()
        for spec in USERS:
            username, password = spec["username"], spec["password"]
            user = self.ensure(
                get_user_model(),
                ("username",),
                username=username,
                email=f"{username}@example.com",
                is_staff=True,
                password=make_password(None),
                **spec["fields"],
            )
            # Reset only when it no longer matches, so the printed log-ins always work
            # and an unchanged demo is left untouched.
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            # Only the missing groups: add() would otherwise re-insert (and ignore) rows.
            user.groups.add(*Group.objects.filter(name__in=spec["groups"]).exclude(user=user))
            self.refs["user"][username] = user

    def load_article(
        self,
        *,
        body: str,
        bylines: list[tuple[str, str]],
        tags: list[str],
        hours_ago: int | None = None,
        sponsorship: dict | None = None,
        review: dict | None = None,
        corrections: tuple[dict, ...] = (),
        claims: tuple[dict, ...] = (),
        **fields,
    ) -> None:
        published_at = None if hours_ago is None else self.now - timedelta(hours=hours_ago)
        article = self.ensure(
            Article, ("slug",), body=" ".join(body.split()), published_at=published_at, **fields
        )
        article.tags.add(*tags)
        for position, (author, role) in enumerate(bylines):
            self.ensure(
                Byline,
                ("article", "author", "role"),
                article=article,
                author=author,
                role=role,
                position=position,
            )
        if sponsorship:
            starts, ends = sponsorship["campaign_days"]
            self.ensure(
                Sponsorship,
                ("article",),
                article=article,
                sponsor=sponsorship["sponsor"],
                kind=sponsorship["kind"],
                disclosure=sponsorship["disclosure"],
                campaign_starts_on=self.today + timedelta(days=starts),
                campaign_ends_on=self.today + timedelta(days=ends),
            )
        if review:
            reviewer = self.refs["reviewer"][review["reviewer"]]
            hours = review["hours_before_publication"]
            self.ensure(
                HumanReview,
                # Not keyed on version: a later edit must never gain a review by re-running.
                ("article", "reviewer"),
                article=article,
                reviewer=reviewer,
                reviewer_name=reviewer.get_full_name(),
                version=article.version,
                note=review["note"],
                reviewed_at=article.published_at - timedelta(hours=hours),
            )
        for note in corrections:
            self.ensure(
                Correction,
                ("article", "kind", "text"),
                article=article,
                kind=note["kind"],
                text=note["text"],
                created_at=article.published_at + timedelta(hours=note["hours_after"]),
                created_by="editor",
            )
        for claim_spec in claims:
            claim = self.ensure(
                Claim, ("article", "text"), article=article, text=claim_spec["text"]
            )
            for position, source in enumerate(claim_spec["sources"]):
                self.ensure(
                    Attribution, ("claim", "document"), claim=claim, position=position, **source
                )
        article.reorder_claims()
        if article.published_at:
            # Loaded just now, but as readers see it, unchanged since it was published.
            Article.objects.filter(pk=article.pk, updated_at__gt=article.published_at).update(
                updated_at=article.published_at
            )


def load_demo(*, now: datetime | None = None) -> dict[str, tuple[int, int]]:
    """Create whatever part of the demo newsroom is missing; ``(created, existing)`` per model."""
    with transaction.atomic():
        return _Loader(now or timezone.now()).load()
