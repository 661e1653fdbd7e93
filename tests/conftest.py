"""Personas and shared fixtures."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files from one test never reach another, nor the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real password hashing costs ~0.3 s a user; tests need correctness, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    """A staff editor with every permission on the newsroom's own apps."""
    user = UserFactory(username="editor", first_name="Maria", last_name="Okafor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "sources", "taggit"])
    )
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
