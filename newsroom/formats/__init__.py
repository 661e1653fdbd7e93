"""How readers' dates read in each language (settings.FORMAT_MODULE_PATH).

Each language's module adds the reader formats below to Django's own for that locale;
templates ask for them by name (``{{ when|date:"READER_DATE" }}``) and Python through
``articles.labels.reader_date``. A language without a module here would print the
format's name, so tests/newsroom/test_formats.py checks every site language has one.

- ``READER_DATE``: a day in running text and on pages ("3 December 2026").
- ``READER_DATETIME``: a day and time ("3 December 2026, 14:05").
- ``READER_SHORT_DATE``: a day on cards ("3 Dec 2026").
- ``CITATION_DAY``: a source's day in a citation, this year ("April 10").
- ``CITATION_DAY_YEAR``: the same in another year ("April 10, 2025").
"""
