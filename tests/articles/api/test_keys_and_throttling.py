"""API keys (read-only partner keys, 401s, revocation, expiry, hashed storage,
manage.py create_api_key) and per-key rate limits, counted in Redis when it is the cache."""

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from articles.models import Article, PartnerKey
from tests.articles.api.helpers import ARTICLES, patch, post, transition
from tests.articles.api.problem_helpers import assert_problem
from tests.factories import ArticleFactory, AuthorFactory, PartnerKeyFactory, UserFactory

pytestmark = pytest.mark.django_db


# -- keys --------------------------------------------------------------------------------------


def test_partner_keys_are_read_only(key_client, partner_key, technology):
    partner = key_client(partner_key)
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    assert partner.get(url).status_code == 200
    assert post(partner, ARTICLES, {"headline": "H", "body": "<p>B</p>"}).status_code == 403
    response = patch(partner, url, {"headline": "H"}, **{"If-Match": partner.get(url)["ETag"]})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "This key may not file or edit drafts (it lacks the draft scope)."
    )
    assert transition(partner, article, "unpublish", note="x").status_code == 403
    assert not Article.objects.exclude(pk=article.pk).exists()


def test_without_a_key_writes_are_401(client):
    response = post(client, ARTICLES, {"headline": "H", "body": "<p>B</p>"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_refused_at_once(key_client, partner_key):
    partner = key_client(partner_key)
    assert partner.get(ARTICLES).status_code == 200
    PartnerKey.objects.filter(pk=partner_key.pk).update(revoked=True)
    response = partner.get(ARTICLES)
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key is not valid or was revoked."


@pytest.mark.parametrize(
    "header",
    ["Api-Key nonsense", "Api-Key ", "Api-Key abc.def", "Api-Key {prefix}.wrong-secret"],
)
def test_a_wrong_key_is_401(client, partner_key, header):
    prefix = partner_key.secret.split(".")[0]
    response = client.get(ARTICLES, headers={"Authorization": header.format(prefix=prefix)})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_an_expired_key_is_401(key_client):
    key = PartnerKeyFactory(expiry_date=timezone.now() - dt.timedelta(minutes=1))
    assert key_client(key).get(ARTICLES).json()["detail"] == "This API key has expired."


def test_keys_are_stored_hashed(partner_key):
    row = PartnerKey.objects.filter(pk=partner_key.pk).values().get()
    prefix, secret_part = partner_key.secret.split(".")
    stored = " ".join(str(value) for value in row.values())
    assert partner_key.secret not in stored
    assert secret_part not in stored
    assert row["prefix"] == prefix
    assert row["hashed_key"] != partner_key.secret


def test_a_key_records_when_it_was_last_used(key_client, partner_key):
    assert partner_key.last_used_at is None
    key_client(partner_key).get(ARTICLES)
    partner_key.refresh_from_db()
    assert partner_key.last_used_at is not None


# -- manage.py create_api_key ----------------------------------------------------------------


def create_api_key(*args) -> list[str]:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().splitlines()


def test_create_api_key_prints_the_key_once_and_it_works(client):
    lines = create_api_key("Kestrel app", "--partner", "Kestrel Wire")
    assert lines[0] == "Created API key “Kestrel app” for Kestrel Wire."
    secret = lines[-1]
    assert sum(secret in line for line in lines) == 1
    key = PartnerKey.objects.get()
    assert (key.partner, key.can_draft, key.can_transition) == ("Kestrel Wire", False, False)
    assert secret not in str(PartnerKey.objects.values().get())
    response = client.get(ARTICLES, headers={"Authorization": f"Api-Key {secret}"})
    assert response.status_code == 200


def test_create_api_key_for_an_agent_and_an_editor(agent, editor):
    create_api_key("Sift drafts", "--agent", "sift")
    create_api_key("Desk tool", "--user", "editor", "--transitions")
    agent_key, editor_key = PartnerKey.objects.get(agent=agent), PartnerKey.objects.get(user=editor)
    assert (agent_key.agent, agent_key.can_draft, agent_key.can_transition) == (agent, True, False)
    assert (editor_key.user, editor_key.can_draft, editor_key.can_transition) == (
        editor,
        True,
        True,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agent", "nobody"], "No AI-agent author with slug “nobody”."),
        (["--agent", "ada-human"], "No AI-agent author with slug “ada-human”."),
        (["--user", "reader"], "No staff user “reader”."),
        (["--user", "ghost"], "No staff user “ghost”."),
        (["--partner", "Kestrel", "--transitions"], "Only an editor's key (--user) may take"),
        (["--agent", "sift"], None),  # the control: this one works
    ],
)
def test_create_api_key_refuses_bad_owners(agent, args, message):
    AuthorFactory(slug="ada-human")
    UserFactory(username="reader", is_staff=False)
    if message is None:
        create_api_key("Key", *args)
        return
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create_api_key("Key", *args)
    assert not PartnerKey.objects.exists()


def test_create_api_key_needs_exactly_one_owner(agent):
    with pytest.raises(CommandError):
        create_api_key("Key")
    with pytest.raises(CommandError):
        create_api_key("Key", "--partner", "Kestrel", "--agent", "sift")
    assert not PartnerKey.objects.exists()


# -- rate limits ------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """Three anonymous requests and five per key a minute. DRF reads the rates once, into
    a class attribute, so that is what is patched; the counts start from nothing."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anonymous": "3/minute", "key": "5/minute"}
    )
    cache.clear()


def test_anonymous_clients_are_limited_with_ratelimit_headers(client, low_rates):
    remaining = []
    for _ in range(3):
        response = client.get(ARTICLES)
        assert response.status_code == 200
        assert response["RateLimit-Limit"] == "3"
        assert 0 < int(response["RateLimit-Reset"]) <= 60
        remaining.append(response["RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]

    refused = client.get(ARTICLES)
    problem = assert_problem(refused, 429)
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Remaining"] == "0"
    assert "throttled" in problem["type"]


def test_each_key_has_its_own_budget(client, key_client, low_rates):
    first, second = key_client(PartnerKeyFactory()), key_client(PartnerKeyFactory())
    for expected in ["4", "3", "2", "1", "0"]:
        response = first.get("/api/v1/sections/")
        assert response["RateLimit-Limit"] == "5"
        assert response["RateLimit-Remaining"] == expected
    assert first.get("/api/v1/sections/").status_code == 429
    # Every endpoint draws on the same budget…
    assert first.get("/api/v1/publishers/").status_code == 429
    # … but other keys, and clients without one, have their own.
    assert second.get("/api/v1/sections/")["RateLimit-Remaining"] == "4"
    assert second.get("/api/v1/publishers/")["RateLimit-Remaining"] == "3"
    assert second.get("/api/v1/documents/")["RateLimit-Remaining"] == "2"
    assert client.get("/api/v1/sections/")["RateLimit-Remaining"] == "2"


def test_throttle_counts_live_in_redis_when_the_cache_is_redis(
    client, key_client, settings, real_redis
):
    settings.CACHES = real_redis.settings("django.core.cache.backends.redis.RedisCache")
    key = PartnerKeyFactory()
    for _ in range(3):
        assert key_client(key).get("/api/v1/sections/").status_code == 200
    client.get("/api/v1/sections/")

    redis_cache, raw = caches["default"], real_redis.client
    key_count = redis_cache.make_and_validate_key(f"throttle_key_key:{key.prefix}")
    anonymous_count = redis_cache.make_and_validate_key("throttle_anonymous_127.0.0.1")
    assert raw.exists(key_count) == 1
    assert raw.exists(anonymous_count) == 1
    assert len(redis_cache.get(f"throttle_key_key:{key.prefix}")) == 3
    assert 0 < raw.ttl(key_count) <= 60


def test_the_agent_and_the_editor_are_throttled_per_key_too(key_client, low_rates, editor_key):
    agent_key = PartnerKeyFactory(for_agent=True)
    for key in (agent_key, editor_key):
        caller = key_client(key)
        for _ in range(5):
            assert caller.get(ARTICLES).status_code == 200
        assert_problem(caller.get(ARTICLES), 429)
