"""Public reads run with a statement timeout, so a slow query never outlives its request;
editorial work and migrations run without one. PostgreSQL only (SQLite has none)."""

import pytest
from django.db import OperationalError, connection, connections

from articles.models import Section
from newsroom import routers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def setting(alias: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_the_public_alias_has_a_timeout_and_the_primary_none():
    assert setting("replica") == "5s"
    assert setting("default") == "0"


@pytest.fixture
def short_timeout():
    """The replica alias reconnecting with a 200 ms timeout (5 s is too long to wait for)."""
    replica = connections["replica"]
    options = replica.settings_dict["OPTIONS"]
    saved = options["options"]
    replica.close()
    options["options"] = "-c statement_timeout=200"
    yield
    replica.close()
    options["options"] = saved


def test_a_slow_public_query_is_cancelled(settings, short_timeout):
    settings.PUBLIC_READS_DATABASE = "replica"
    with routers.routing(public=True):
        slow = Section.objects.raw("SELECT 1 AS id, pg_sleep(2)")
        assert slow.db == "replica"
        with pytest.raises(OperationalError, match="statement timeout"):
            list(slow)
    # The connection is usable again for the next request.
    assert setting("replica") == "200ms"


def test_editorial_work_is_never_cut_short(short_timeout):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.4)")

        assert cursor.fetchone() == ("",)
