from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import StaffFactory

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def real_password_hashers() -> Iterator[list[str]]:
    """Tests hash passwords with MD5: the deployment's PBKDF2 costs most of a second per user or login, and
    the suite creates and logs in many. Yields the settings' own hashers, which tests/production/ puts back (and
    tests/production/test_production_settings.py checks, with the real settings, are strong)."""
    real = list(settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield real


@pytest.fixture
def editor(db):
    return StaffFactory(username="test-editor")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages and rate limits must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never the repository's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
