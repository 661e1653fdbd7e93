"""Which connection answers: readers' and partners' reads go to the replica alias;
the admin, staff sessions, writes and reads after a write go to the primary.

"replica" mirrors "default" in tests (TEST MIRROR), so these run on SQLite and on
PostgreSQL alike; the data must be committed for the second connection to see it.
"""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from newsroom import routers
from newsroom.middleware import is_public_read
from tests.factories import ArticleFactory, BylineFactory

routed = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    """Production's routing (development reads everything from "default")."""
    settings.PUBLIC_READS_DATABASE = "replica"


def queries_on(client, url: str) -> dict[str, list[str]]:
    """The SQL each alias ran to answer ``url``."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return {
        "default": [q["sql"] for q in primary.captured_queries],
        "replica": [q["sql"] for q in replica.captured_queries],
    }


@pytest.fixture
def article(db):
    article = ArticleFactory(published=True)
    BylineFactory(article=article)
    return article


@routed
def test_an_anonymous_readers_page_is_read_from_the_replica(replica, client, article):
    counts = queries_on(client, article.get_absolute_url())

    assert counts["replica"]
    assert counts["default"] == []


@routed
def test_a_partners_api_read_is_read_from_the_replica(replica, key_client, partner_key, article):
    counts = queries_on(key_client(partner_key), "/api/v1/articles/")

    assert counts["replica"]
    # Only the key's "last used" stamp (once a minute), which nothing reads back.
    assert [sql.split(" SET ")[0] for sql in counts["default"]] == ['UPDATE "articles_partnerkey"']


@routed
def test_a_staff_session_reads_everything_from_the_primary(replica, editor_client, article):
    for url in (article.get_absolute_url(), "/admin/articles/article/"):
        counts = queries_on(editor_client, url)

        assert counts["replica"] == []
        assert counts["default"]


@routed
def test_a_write_sends_the_rest_of_the_request_to_the_primary(replica, article):
    with routers.routing(public=True):
        assert Section.objects.db == "replica"
        Section.objects.create(name="Weather", slug="weather")
        # The replica may not have the new row yet: the rest of the request must not miss it.
        assert Section.objects.db == "default"
        assert Section.objects.filter(slug="weather").exists()


@routed
def test_a_read_inside_a_transaction_on_the_primary_stays_there(replica, article):
    with routers.routing(public=True), transaction.atomic():
        assert Article.objects.db == "default"


@routed
def test_commands_and_tasks_outside_a_request_use_the_primary(replica, article):
    assert Article.objects.db == "default"
    assert Article.objects.select_for_update().db == "default"


@routed
def test_in_development_public_reads_stay_on_the_primary(settings, client, article):
    settings.PUBLIC_READS_DATABASE = "default"

    counts = queries_on(client, article.get_absolute_url())

    assert counts["replica"] == []


def test_migrations_run_only_on_the_primary():
    router = routers.PrimaryReplicaRouter()

    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


@pytest.mark.parametrize(
    ("method", "path", "headers", "public"),
    [
        ("GET", "/articles/budget/", {}, True),
        ("HEAD", "/feeds/latest.rss", {}, True),
        ("GET", "/api/v1/articles/", {"Authorization": "Api-Key abc.def"}, True),
        ("POST", "/api/v1/articles/", {"Authorization": "Api-Key abc.def"}, False),
        ("GET", "/articles/budget/", {"Cookie": "sessionid=abc"}, False),
        ("GET", "/admin/articles/article/", {}, False),
        ("GET", "/preview/some-token/", {}, False),
    ],
)
def test_which_requests_count_as_public_reads(rf, method, path, headers, public):
    request = rf.generic(method, path, headers=headers)

    assert is_public_read(request) is public
