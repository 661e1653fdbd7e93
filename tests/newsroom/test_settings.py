"""The environment-driven settings: production refuses a weak SECRET_KEY and
passes ``check --deploy``; REDIS_URL switches the cache to Redis; with no
environment at all the database is SQLite under ``var/``.

Settings are read once per process, so each case runs Django in a subprocess
with an environment built here, never the one the test run inherited (CI sets
DATABASE_URL for its PostgreSQL run, for instance).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from newsroom.cache import RedisCache

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python <args>`` in the project root with only ``env`` configuring Django."""
    clean_env = {
        name: value
        for name, value in os.environ.items()
        if name not in settings.ENV_VARS and name != "DJANGO_SETTINGS_MODULE"
    }
    clean_env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    return subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def read_settings(expression: str, **env: str):
    """Evaluate ``expression`` (over ``settings``) in a fresh process and return it."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({expression}, default=str))"
    )
    result = run_django(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def deploy_check(**env: str) -> subprocess.CompletedProcess[str]:
    return run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


def test_production_with_a_real_secret_key_passes_the_deploy_check():
    result = deploy_check(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="newsroom.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param(secrets.token_urlsafe(24), id="short"),
        pytest.param("django-insecure-" + secrets.token_urlsafe(48), id="django-insecure"),
        pytest.param("ab" * 40, id="too-few-distinct-characters"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    env = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "newsroom.example"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = deploy_check(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_development_runs_with_no_environment_at_all():
    result = run_django(["manage.py", "check"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_redis_url_switches_the_cache_to_redis():
    cache = read_settings('settings.CACHES["default"]', REDIS_URL="redis://cache.internal:6379/2")

    assert cache["BACKEND"] == "newsroom.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"


def test_without_redis_url_the_cache_is_local_memory():
    cache = read_settings('settings.CACHES["default"]')

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_without_database_url_the_database_is_sqlite_under_var():
    database = read_settings('settings.DATABASES["default"]')

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]).parent == PROJECT_ROOT / "var"


def test_database_url_selects_postgresql():
    database = read_settings(
        'settings.DATABASES["default"]',
        DATABASE_URL="postgres://newsroom:secret@db.internal:5432/newsroom",
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.internal", "newsroom")


def test_redis_cache_round_trips_through_a_real_redis(real_redis):
    raw = real_redis.client
    cache = RedisCache(real_redis.url, {"KEY_PREFIX": real_redis.prefix, "TIMEOUT": 60})
    try:
        cache.set("headline", {"title": "Council approves budget", "words": 420})

        assert cache.get("headline") == {"title": "Council approves budget", "words": 420}
        # The value really lives in Redis, under Django's versioned, prefixed key.
        assert raw.exists(cache.make_and_validate_key("headline")) == 1

        assert cache.delete("headline") is True
        assert cache.get("headline") is None
        assert raw.exists(cache.make_and_validate_key("headline")) == 0
        # Every operation went through one client (building one per call cost more
        # than the GET itself), and it still answers after the others.
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
        assert cache.get_many(["headline", "standfirst"]) == {}
    finally:
        cache.delete("headline")
        cache.close()
