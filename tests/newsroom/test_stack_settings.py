"""The production stack's settings: the public-read alias and its statement timeout, a
read replica, uploads on S3, JSON logs and Sentry, each switched on by the environment
alone (and each run in a fresh process, as in test_settings)."""

import secrets

from tests.newsroom.test_settings import deploy_check, read_settings

PRIMARY = "postgres://newsroom:secret@db.internal:5432/newsroom"
REPLICA = "postgres://reader:secret@replica.internal:5432/newsroom"
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "newsroom.example",
}


def test_a_read_replica_gets_the_public_reads_with_a_statement_timeout():
    databases, reads = read_settings(
        "[settings.DATABASES, settings.PUBLIC_READS_DATABASE]",
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URL=REPLICA,
    )

    replica = databases["replica"]
    assert (replica["HOST"], replica["USER"]) == ("replica.internal", "reader")
    assert replica["OPTIONS"]["options"] == "-c statement_timeout=5000"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["CONN_MAX_AGE"] == 60 and replica["CONN_HEALTH_CHECKS"] is True
    assert reads == "replica"
    # Editorial work, tasks and migrations: no timeout.
    assert "options" not in databases["default"].get("OPTIONS", {})


def test_in_production_without_a_replica_public_reads_still_time_out_on_the_primary():
    databases, reads = read_settings(
        "[settings.DATABASES, settings.PUBLIC_READS_DATABASE]",
        DATABASE_URL=PRIMARY,
        PUBLIC_STATEMENT_TIMEOUT="2.5",
        **PRODUCTION,
    )

    assert databases["replica"]["HOST"] == "db.internal"
    assert databases["replica"]["OPTIONS"]["options"] == "-c statement_timeout=2500"
    assert reads == "replica"


def test_development_reads_everything_from_the_one_database():
    databases, reads = read_settings("[settings.DATABASES, settings.PUBLIC_READS_DATABASE]")

    assert databases["replica"]["NAME"] == databases["default"]["NAME"]
    assert reads == "default"


def test_a_bucket_name_moves_uploads_to_s3_compatible_storage():
    storage = read_settings(
        'settings.STORAGES["default"]',
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://s3.eu-central-1.example.com",
        AWS_S3_CUSTOM_DOMAIN="media.newsroom.example",
    )

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["endpoint_url"] == "https://s3.eu-central-1.example.com"
    assert options["custom_domain"] == "media.newsroom.example"
    assert "region_name" not in options  # unset: boto3's own default
    assert options["querystring_auth"] is False and options["file_overwrite"] is False


def test_without_a_bucket_uploads_stay_on_the_file_system():
    storage = read_settings('settings.STORAGES["default"]')

    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_logs_are_json_in_production_and_plain_in_development():
    production = read_settings('settings.LOGGING["handlers"]["console"]', **PRODUCTION)
    development = read_settings('settings.LOGGING["handlers"]["console"]')

    assert production["formatter"] == "json"
    assert development["formatter"] == "plain"
    assert production["filters"] == development["filters"] == ["request_id"]


def test_without_a_dsn_sentry_is_never_imported():
    imported = read_settings(
        '[settings.SENTRY_DSN, "sentry_sdk" in __import__("sys").modules]', **PRODUCTION
    )

    assert imported == ["", False]


def test_with_a_dsn_sentry_reports_without_personal_data():
    dsn = "https://public@sentry.newsroom.example/7"
    client = read_settings(
        '[__import__("django").setup(), __import__("sentry_sdk").get_client().options][1]',
        SENTRY_DSN=dsn,
        **PRODUCTION,
    )

    assert client["dsn"] == dsn
    assert client["environment"] == "production"
    assert client["send_default_pii"] is False


def test_the_whole_stack_passes_the_deploy_check():
    result = deploy_check(
        DATABASE_REPLICA_URL="sqlite:///:memory:",
        SENTRY_DSN="https://public@sentry.newsroom.example/7",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
