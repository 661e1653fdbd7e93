"""Texts with known answers for the unsourced-statement check, and the demo newsroom's
articles labelled by reading them.

A sentence is labelled an assertion (True) when it states a specific, checkable fact about
the world that a reader could want sourced: a number or amount, when something happened,
what someone said, an event or a plan. Opinion, analysis, advice, definitions, general
background and the piece's own housekeeping are not (False). A sentence a claim covers is
never an *unsourced* assertion: it is listed under ``claims`` and labelled False.
"""

# Each text: blocks of ("p" | "li" | "h2" | "blockquote", [(sentence, is_assertion), ...]),
# and the claims made on it.
OWN_TEXTS = [
    {
        "blocks": [
            ("h2", [("Budget day at the town hall", False)]),
            (
                "p",
                [
                    ("The council approved a budget of £48.5m on Tuesday.", True),
                    ("Mr. Hale, the finance chair, called it a careful plan.", True),
                    ("Council tax will rise by 4.99 per cent from April.", True),
                    ("Few residents came to watch.", False),
                ],
            ),
            (
                "p",
                [
                    (
                        '"We have protected libraries and bin collections for another '
                        'year," Mr. Hale said.',
                        True,
                    ),
                    ("Opposition councillors voted against.", True),
                    ("The debate was polite, if long.", False),
                ],
            ),
            (
                "ul",
                [
                    ("Libraries keep their opening hours", True),
                    ("Street lighting is cut after midnight", True),
                    ("Parks stay open", True),
                ],
            ),
            (
                "p",
                [
                    ("The full budget runs to three hundred pages.", True),
                    ("Readers can find it on the council's website.", False),
                ],
            ),
        ],
        "claims": [],
    },
    {
        "blocks": [
            (
                "p",
                [
                    ("Northwind Airways carried 12 million passengers last year.", False),
                    ("That was a record for the airline.", True),
                    (
                        "Its chief executive, Dr. Amara Osei, said demand had doubled since 2021.",
                        True,
                    ),
                    ("The U.S. market grew fastest.", True),
                    ("Flying is not for everyone.", False),
                ],
            ),
            (
                "p",
                [
                    ("According to the company's filing, fuel costs rose by a third.", True),
                    ("The airline expects to add 14 aircraft by 2027.", True),
                    ("Those plans could change.", False),
                    ("Airlines are notoriously cyclical businesses.", False),
                ],
            ),
            (
                "p",
                [
                    (
                        "Analysts at Brightwater Capital estimated that profits would reach €310m.",
                        True,
                    ),
                    ("The shares closed at 3.5 euros, up 2%.", True),
                    ("Investors seemed pleased.", False),
                ],
            ),
        ],
        "claims": ["Northwind Airways carried 12 million passengers last year."],
    },
    {
        "blocks": [
            (
                "p",
                [
                    ("The river burst its banks on Friday night.", False),
                    ("Firefighters rescued 23 people from their homes.", True),
                    ("It was a frightening night.", False),
                    (
                        "Police told residents of Mill Lane to stay upstairs until the "
                        "water went down.",
                        True,
                    ),
                ],
            ),
            (
                "blockquote",
                [
                    (
                        '"The water came up through the floor. Then it came through the '
                        'door," said Ruth Akers, who has lived on the lane since 1979.',
                        True,
                    ),
                ],
            ),
            (
                "p",
                [
                    ("The Environment Agency has issued three flood warnings.", True),
                    ("More rain is forecast for the weekend.", True),
                    ("Nobody knows how long the clean-up will take.", False),
                    ("Sandbags are available at the leisure centre.", True),
                    ("Keep away from flood water, which may be contaminated.", False),
                ],
            ),
        ],
        "claims": ["The river burst its banks on Friday night."],
    },
    {
        "blocks": [
            (
                "p",
                [
                    ("Good design is mostly invisible.", False),
                    ("You notice a door only when it opens the wrong way.", False),
                    ("The new station gets most things right.", False),
                    (
                        "Its platforms are wide, its signs are clear and its stairs are shallow.",
                        False,
                    ),
                ],
            ),
            (
                "p",
                [
                    ("The architects won the commission in a competition in 2019.", True),
                    ("The building cost twice its original estimate.", True),
                    ("Was it worth it?", False),
                    ("On a wet morning in rush hour, it is hard to say no.", False),
                ],
            ),
            (
                "p",
                [
                    ("Commuters will judge it over years, not weeks.", False),
                    ("The station opened to the public in September.", True),
                    ("About 40,000 people pass through it each day.", True),
                    ("It deserves them.", False),
                ],
            ),
        ],
        "claims": [],
    },
    {
        "blocks": [
            (
                "p",
                [
                    ("A heat pump moves heat rather than making it.", False),
                    (
                        "In winter it draws warmth from the outside air, even when that air is "
                        "cold.",
                        False,
                    ),
                    ("That is why it can deliver more energy than it uses.", False),
                    ("Installing one is not always simple.", False),
                ],
            ),
            (
                "p",
                [
                    (
                        "The government grant covers £7,500 of the cost of a heat pump in "
                        "England and Wales.",
                        True,
                    ),
                    ("Installers reported a backlog of several months this spring.", True),
                    ("Ask for at least three quotes.", False),
                    ("Check that the installer is certified.", False),
                ],
            ),
            (
                "p",
                [
                    ("Sales of heat pumps rose 18% in the first half of the year.", False),
                    ("Gas boilers still outsell them by a wide margin.", True),
                    ("Whether that changes depends on prices.", False),
                ],
            ),
        ],
        "claims": ["Sales of heat pumps rose 18% in the first half of the year."],
    },
    {
        "blocks": [
            (
                "p",
                [
                    ("The match was a dull affair for an hour.", False),
                    ("Then everything happened at once.", False),
                    ("Okafor scored twice in four minutes.", True),
                    (
                        'The manager called it "the best spell of football we have played all '
                        'season".',
                        True,
                    ),
                ],
            ),
            (
                "p",
                [
                    ("The club has now won six games in a row.", True),
                    ("It sits third in the table, two points behind the leaders.", True),
                    ("Fans will dare to dream.", False),
                    ("The next game is at home on Saturday.", True),
                ],
            ),
            (
                "p",
                [
                    ("Injuries remain a worry.", False),
                    ("The club confirmed that its captain will miss the rest of the season.", True),
                    ("The squad is thin at the back.", False),
                ],
            ),
        ],
        "claims": [],
    },
]


# The demo newsroom (articles/demo/content/articles): for each article, each sentence the
# check reads (matched by its start) and whether it is an unsourced factual assertion.
# Sentences covered by the article's claims are False. Unlisted sentences are False.
DEMO_LABELS = {
    "fairmarket-to-close-30-stores": [
        "Fairmarket, the region's third-largest grocery chain",
        "The closures will affect about 900 jobs",
        "The company said it would offer staff",
        "The stores that remain will be refitted",
        "Analysts said the plan resembled",
    ],
    "flood-warning-lifted-alder-river": [
        "The Coastal Rivers Agency has lifted",
        "The river peaked early on Sunday",
        "The agency said residents",
        "Volunteers from the Millbridge sailing club",
        "The agency's river level readings",
    ],
    "let-the-four-day-week-prove-itself": ["Twenty Port Alder employers"],
    "newsrooms-should-show-their-sources": [],
    "port-alder-free-wifi-on-every-tram": [
        "Every tram in Port Alder will carry",
        "Councillors voted 31 to 9",
        "The remaining lines follow",
        "Privacy campaigners had asked",
        "The operator will keep only counts",
    ],
    "port-alder-votes-to-raise-sea-wall": [
        "Port Alder will raise the sea wall",
        "Work will start at the northern end",
        "Residents of the quay had opposed",
        "The approved plan adds glass panels",
        '"We have spent two winters',
        "The city will apply for national",
    ],
    "port-authority-weighs-automated-cranes": [
        "The Port Alder port authority is considering",
        "Dockworkers' representatives say",
    ],
    "quayside-library-lends-instruments": [
        "The Quayside branch library has added",
        "Loans last four weeks",
        "The collection was built from donations",
        "Librarians say the ukuleles",
        "There is already a waiting list",
    ],
    "review-folio-3-e-reader": [
        "At 180 grams",
        "It opens books from any shop",
        "The colour version costs a third more",
    ],
    "review-the-lantern-keepers": ["The Lantern Keepers runs at the Quayside"],
    "small-lenders-winning-back-savers": [
        "Deposits at the largest banks",
        "Small lenders have passed more",
        "Deposit protection covers the same amount",
        "Their deposits are still many times larger",
    ],
    "veloxa-opens-port-alder-design-centre": [
        "Veloxa Semiconductors has opened",
        "About a quarter of the posts",
        "Veloxa designs chips",
        "The Port Alder team will work",
    ],
    "what-is-a-heat-dome": [],
    "what-our-ai-labels-mean": [],
    "delivery-robots-first-year-of-trials": [
        "Small wheeled robots have been carrying",
        "The trial's operators say",
    ],
    "cloud-gaming-home-network-ready": [
        "Most broadband lines sold today",
        "The harder question is what happens inside",
    ],
    "cloud-gaming-home-network-ready-de": [
        "Die meisten heute verkauften",
        "Schwieriger ist die Frage",
    ],
    "cloud-gaming-home-network-ready-fr": [
        "La plupart des abonnements",
        "La vraie difficulté",
    ],
}
