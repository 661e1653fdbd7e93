"""Personas and shared fixtures."""

import os
import uuid
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import cache, caches

from articles.publishing import roles
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files from one test never reach another, nor the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test signs provenance records with its own fresh key, never the developer's.
    settings.PROVENANCE_SIGNING_KEY = tmp_path / "keys" / "ed25519.pem"
    # Real password hashing costs ~0.3 s a user; tests need correctness, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Cached public pages must not outlive the test (and its database) that made them.
    cache.clear()


@pytest.fixture
def signing_key(settings):
    """Where this test's provenance signing key lives (made on first use)."""
    return settings.PROVENANCE_SIGNING_KEY


@pytest.fixture(autouse=True)
def _login_with_a_request(monkeypatch):
    """django-axes counts sign-ins per client address, so its backend refuses an
    authenticate() without a request, which Client.login() never passes: give it one,
    from the test client's address (as django-axes' documentation suggests)."""
    from django.http import HttpRequest
    from django.test import Client

    login = Client.login

    def login_with_a_request(self, **credentials):
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        return login(self, request=request, **credentials)

    monkeypatch.setattr(Client, "login", login_with_a_request)


@pytest.fixture
def role_groups(db):
    roles.sync_roles()


def _member(username: str, group: str, **fields):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reporter(role_groups):
    return _member("reporter", roles.REPORTER, first_name="Priya", last_name="Raman")


@pytest.fixture
def other_reporter(role_groups):
    return _member("reporter2", roles.REPORTER, first_name="Tom", last_name="Hale")


@pytest.fixture
def editor(role_groups):
    return _member("editor", roles.EDITOR, first_name="Maria", last_name="Okafor")


@pytest.fixture
def second_editor(role_groups):
    return _member("editor2", roles.EDITOR, first_name="Sam", last_name="Ng")


@pytest.fixture
def commercial(role_groups):
    return _member("commercial", roles.COMMERCIAL_EDITOR, first_name="Lena", last_name="Park")


@pytest.fixture
def second_commercial(role_groups):
    return _member("commercial2", roles.COMMERCIAL_EDITOR, first_name="Omar", last_name="Sayed")


@pytest.fixture
def standards(role_groups):
    return _member("standards", roles.STANDARDS_EDITOR, first_name="Ines", last_name="Duarte")


@pytest.fixture
def administrator(role_groups):
    return _member("administrator", roles.ADMINISTRATOR, first_name="Ada", last_name="Admin")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def receiver():
    """A webhook receiver listening on 127.0.0.1 (tests.articles.webhooks.helpers.Receiver)."""
    from tests.articles.webhooks.helpers import Receiver

    with Receiver() as receiver:
        yield receiver


# -- the partner API's callers -----------------------------------------------------------


@pytest.fixture
def key_client():
    """A client that sends ``Authorization: Api-Key <secret>`` with every request."""
    from django.test import Client

    def make(key) -> Client:
        return Client(headers={"Authorization": f"Api-Key {key.secret}"})

    return make


@pytest.fixture
def partner_key(db):
    """A partner's read-only key."""
    from tests.factories import PartnerKeyFactory

    return PartnerKeyFactory(partner="Kestrel Wire")


@pytest.fixture
def agent(editor):
    """Sift, an AI agent supervised by the editor."""
    from tests.factories import AIAgentFactory

    return AIAgentFactory(name="Sift", slug="sift", supervising_editor=editor)


@pytest.fixture
def agent_key(agent):
    """Sift's drafting key: files, edits and submits its own drafts."""
    from tests.factories import PartnerKeyFactory

    return PartnerKeyFactory(name="Sift drafts", partner="", agent=agent, can_draft=True)


@pytest.fixture
def editor_key(editor):
    """The editor's key: acts with the editor's permissions, workflow steps included."""
    from tests.factories import PartnerKeyFactory

    return PartnerKeyFactory(
        name="Desk tool", partner="", user=editor, can_draft=True, can_transition=True
    )


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def real_redis():
    """A running Redis (``TEST_REDIS_URL``; ``make services`` starts one) and a key prefix
    of this test's own, whose keys are deleted afterwards. ``cache_settings(backend)``
    gives the CACHES setting of a cache kept there."""
    raw = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis at TEST_REDIS_URL={TEST_REDIS_URL} is unreachable ({exc}). "
            "Start it with `make services`, or point TEST_REDIS_URL at a running Redis."
        )
    prefix = f"newsroom-test-{uuid.uuid4().hex}"

    def cache_settings(backend: str = "newsroom.cache.RedisCache") -> dict:
        return {"default": {"BACKEND": backend, "LOCATION": TEST_REDIS_URL, "KEY_PREFIX": prefix}}

    yield SimpleNamespace(client=raw, url=TEST_REDIS_URL, prefix=prefix, settings=cache_settings)
    for stored in raw.scan_iter(f"{prefix}:*"):
        raw.delete(stored)
    caches["default"].close()
    raw.close()
