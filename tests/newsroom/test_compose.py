"""docker-compose.yml starts a working stack: services wait for each other's
health, migrations run before gunicorn, data survives restarts, and the web
service is configured only through variables the settings actually read."""

import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def web(compose) -> dict:
    return compose["services"]["web"]


def web_command(web) -> str:
    command = web["command"]
    return command if isinstance(command, str) else shlex.join(command)


APP_SERVICES = ["web", "worker", "scheduler"]
COMMANDS = Path(__file__).resolve().parents[2] / "articles" / "management" / "commands"


@pytest.mark.parametrize("service", ["db", "redis", "web", "worker", "scheduler", "media", "edge"])
def test_every_service_has_a_healthcheck(compose, service):
    healthcheck = compose["services"][service]["healthcheck"]

    assert healthcheck["test"]
    assert healthcheck.get("disable") is not True


def test_web_waits_for_a_healthy_database_and_redis(web):
    assert web["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_web_runs_migrations_before_starting_gunicorn(web):
    command = web_command(web)

    assert "manage.py migrate --noinput" in command
    assert "gunicorn newsroom.wsgi" in command
    # Chained with && so a failed migration never serves requests.
    migrate, _, serve = command.partition("&&")
    assert "migrate" in migrate
    assert "gunicorn" in serve
    # The role groups exist before anyone can log in.
    assert "manage.py setup_roles" in serve.split("gunicorn")[0]


def test_database_and_media_live_on_named_volumes(compose, web):
    named_volumes = set(compose["volumes"])
    db_mounts = dict(volume.split(":", 1) for volume in compose["services"]["db"]["volumes"])
    web_mounts = dict(volume.split(":", 1) for volume in web["volumes"])

    assert db_mounts.get("pgdata") == "/var/lib/postgresql/data"
    assert "pgdata" in named_volumes
    assert web_mounts.get("media") == web["environment"]["MEDIA_ROOT"] == "/app/var/media"
    assert "media" in named_volumes


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_are_configured_only_through_variables_the_settings_read(compose, service):
    unknown = set(compose["services"][service]["environment"]) - set(settings.ENV_VARS)

    assert not unknown, f"{service} sets {sorted(unknown)}, which newsroom/settings.py never reads"


def test_web_runs_production_settings_and_needs_a_secret_key(web):
    environment = web["environment"]

    assert environment["DJANGO_ENV"] == "production"
    # `${VAR:?message}` makes compose refuse to start without it.
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    # The stack serves plain HTTP on localhost; redirecting to HTTPS would lock users out.
    assert str(environment["SECURE_SSL_REDIRECT"]).lower() == "false"


def test_database_url_points_at_the_db_service(compose, web):
    url = urlsplit(web["environment"]["DATABASE_URL"])
    db_environment = compose["services"]["db"]["environment"]

    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "db"
    assert url.username == db_environment["POSTGRES_USER"]
    assert url.password == db_environment["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == db_environment["POSTGRES_DB"]


def test_redis_url_points_at_the_redis_service(compose, web):
    url = urlsplit(web["environment"]["REDIS_URL"])

    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert "redis" in compose["services"]


def test_worker_publishes_scheduled_articles_from_the_database_queue(compose, web):
    worker = compose["services"]["worker"]
    assert "db_worker" in " ".join(worker["command"])
    assert worker["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert worker["environment"] == web["environment"]
    assert web["environment"]["TASKS_BACKEND"] == "database"


def test_gunicorn_runs_with_the_projects_config_behind_the_edge_only(compose, web):
    assert "--config gunicorn.conf.py" in web_command(web)
    # Readers reach gunicorn only through the edge cache, which publishes the port.
    assert "ports" not in web
    assert compose["services"]["edge"]["ports"] == ["127.0.0.1:8000:80"]
    assert web["environment"]["VARNISH_URL"].startswith("http://edge:")


def test_the_scheduler_runs_the_safety_nets_every_minute(compose, web):
    scheduler = compose["services"]["scheduler"]
    command = " ".join(scheduler["command"])

    for name in ("publish_due", "deliver_webhooks"):
        assert f"manage.py {name}" in command
        assert (COMMANDS / f"{name}.py").exists()
    assert "sleep 60" in command
    assert scheduler["environment"] == web["environment"]


def test_the_worker_is_healthy_only_while_it_takes_tasks(compose):
    worker = compose["services"]["worker"]

    assert worker["healthcheck"]["test"][-3:] == ["health_check", "health_tasks", "--no-http"]


def test_media_is_served_read_only_from_the_uploads_volume(compose, web):
    media = compose["services"]["media"]
    mounts = dict(volume.split(":", 1) for volume in media["volumes"])

    assert media["image"].startswith("nginx:")
    assert mounts["media"] == "/srv/media:ro"
    assert mounts["./deploy/nginx/media.conf"] == "/etc/nginx/conf.d/default.conf:ro"


def test_the_edge_cache_runs_the_apps_vcl_with_the_stacks_backends(compose):
    edge = compose["services"]["edge"]
    mounts = dict(volume.split(":", 1) for volume in edge["volumes"])

    assert edge["image"].startswith("varnish:")  # the official image ships the xkey vmod
    assert mounts["./deploy/edge/compose.vcl"] == "/etc/varnish/default.vcl:ro"
    assert mounts["./deploy/varnish/default.vcl"] == "/etc/varnish/newsroom.vcl:ro"
    assert {"web", "media"} <= set(edge["depends_on"])
