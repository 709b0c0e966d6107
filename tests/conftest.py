import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import StaffFactory


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
