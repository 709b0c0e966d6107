import pytest
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
