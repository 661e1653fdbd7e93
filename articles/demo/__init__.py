"""An invented newsroom to try Newsroom with: people, sections, sponsors, sources, articles.

Everything in it is fiction written for the demo. Port Alder, its council and
companies, the sponsors and the journalists do not exist. Sony, Reuters, Yahoo
Finance and Bloomberg appear only as the publishers of *invented* source
documents, so that the four citation shapes readers meet every day can be
shown; none of those documents, statements or links (all on example.com and
example.org) is real.

The content is YAML under ``content/`` (see ``reader``); ``loader`` puts it in
the database. ``load_demo()`` is idempotent. Every row is found by its natural
key (username, slug, name, a document's title and publisher, a claim's text
within its article…) and created only when missing; nothing that exists is
overwritten, so a second run creates nothing and changes nothing, and a demo
someone has been editing keeps their edits. The one exception is a demo user's
password: it is set back to the listed one when it no longer matches, so the
log-ins ``seed_demo`` prints always work.

Times are relative to when the demo is loaded (“published 26 hours ago”), so
a fresh demo always looks current.
"""

from articles.demo.loader import load_demo
from articles.demo.reader import demo_content

# The staff log-ins, each with its public, development-only password.
USERS = demo_content().users

__all__ = ["USERS", "load_demo"]
