"""Settings for the backing services that change with the deployment: the public-read
database alias and the uploads' storage. Called by ``newsroom/settings.py`` with values
it read from the environment; nothing here reads the environment or Django's settings.
"""

from __future__ import annotations

SQLITE = "django.db.backends.sqlite3"


def persistent(database: dict) -> dict:
    """Keep PostgreSQL connections open between requests, checked before reuse."""
    if database["ENGINE"] != SQLITE:
        database.setdefault("CONN_MAX_AGE", 60)
        database.setdefault("CONN_HEALTH_CHECKS", True)
    return database


def public_reads(database: dict, *, statement_timeout: float) -> dict:
    """The ``replica`` alias: ``database`` with a statement timeout (PostgreSQL), mirrored
    onto ``default`` in tests. ``database`` is the replica's, or the primary's own."""
    alias = persistent({**database, "TEST": {"MIRROR": "default"}})
    if alias["ENGINE"] != SQLITE:
        alias["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "options": f"-c statement_timeout={round(statement_timeout * 1000)}",
        }
    return alias


def media_storage(bucket: str, **s3_options) -> dict:
    """STORAGES["default"]: a bucket on S3-compatible storage (django-storages, the ``s3``
    extra) when one is named, else files under MEDIA_ROOT."""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        **{name: value for name, value in s3_options.items() if value},
        "file_overwrite": False,  # a rendition's name carries a hash of what it shows
        "querystring_auth": False,  # public pictures: plain, cacheable URLs
        "object_parameters": {"CacheControl": "public, max-age=31536000"},
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origins(storage: dict) -> list[str]:
    """Where pictures come from besides this site, for the Content-Security-Policy: the
    uploads' own domain (a CDN), the S3 endpoint, or the bucket's AWS hostnames."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain'].rstrip('/')}/"]
    if options.get("endpoint_url"):
        return [options["endpoint_url"].rstrip("/") + "/"]
    if bucket := options.get("bucket_name"):
        origins = [f"https://{bucket}.s3.amazonaws.com/"]
        if region := options.get("region_name"):
            origins.append(f"https://{bucket}.s3.{region}.amazonaws.com/")
        return origins
    return []
