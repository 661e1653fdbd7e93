"""The SQL each benchmark URL runs, counted with Django's test client, outside the timed runs.

Run as its own process with a bench server's environment and the page cache off:

    python -m bench.queries URL [URL ...]     # prints {url: {"status", "queries"}} as JSON

Each URL is requested twice and the second request counted: the steady state a busy
worker is in (the first request of a process also loads what Django caches per process).
"""

import json
import sys


def setup() -> None:
    import django

    django.setup()


def capture(paths: list[str]) -> dict[str, dict]:
    """Per path: the response status and the SQL of its second request, on every
    database alias (public reads may go to a replica alias)."""
    from contextlib import ExitStack

    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for path in paths:
        client.get(path)
        with ExitStack() as stack:
            contexts = [
                stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in connections
            ]
            response = client.get(path)
        found[path] = {
            "status": response.status_code,
            "sql": [q["sql"] for c in contexts for q in c.captured_queries],
        }
    return found


def main() -> None:
    setup()
    captured = capture(sys.argv[1:])
    print(
        json.dumps(
            {p: {"status": c["status"], "queries": len(c["sql"])} for p, c in captured.items()}
        )
    )


if __name__ == "__main__":
    main()
