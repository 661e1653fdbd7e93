"""How fast the reader site and the API answer, against a minimal Django view.

Runs in-process with Django's test client on a throwaway SQLite copy of the demo
newsroom (plus extra articles), so it needs no server and touches no network.
Figures are noisy on shared machines: read the ratios, measured in one run.

    .venv/bin/python bench/site.py [--seconds 2] [--articles 200]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0, help="time per URL")
    parser.add_argument("--articles", type=int, default=200, help="extra published articles")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    _more_articles(args.articles)

    urlpatterns = [path("minimal/", lambda request: HttpResponse("ok"))]
    module = type(sys)("bench_urls")
    from newsroom import urls as site_urls

    module.urlpatterns = urlpatterns + site_urls.urlpatterns
    sys.modules["bench_urls"] = module

    urls = [
        "/minimal/",
        "/",
        "/articles/cloud-gaming-home-network-ready/",
        "/section/technology/",
        "/search/?q=port",
        "/feeds/latest.rss",
        "/api/v1/articles/",
        "/api/v1/articles/?format=ninjs",
    ]
    client = Client()
    print(f"{'URL':45} {'cached ms':>10} {'uncached ms':>12} {'x minimal':>10}")
    with override_settings(ROOT_URLCONF="bench_urls"):
        baseline = None
        for url in urls:
            cached = _time(client, url, args.seconds)
            with override_settings(PUBLIC_CACHE_SECONDS=0):
                from django.core.cache import cache

                cache.clear()
                uncached = _time(client, url, args.seconds, clear=cache.clear)
            baseline = baseline or cached
            print(f"{url:45} {cached:10.2f} {uncached:12.2f} {uncached / baseline:10.1f}")
    del settings


def _time(client, url, seconds, clear=None) -> float:
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        if clear:
            clear()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def _more_articles(n: int) -> None:
    from django.utils import timezone

    from articles.models import Article, Author, Byline, Section

    section = Section.objects.get(slug="technology")
    author = Author.objects.filter(kind="human").first()
    now = timezone.now()
    for i in range(n):
        article = Article.objects.create(
            headline=f"Benchmark story {i}",
            dek="A story to fill the lists.",
            body=f"<p>Port story number {i}, with a few words of body text.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(hours=i + 30),
        )
        Byline.objects.create(article=article, author=author)


if __name__ == "__main__":
    main()
