"""The API's documentation page (/api/docs/) in a real browser, under the site's own CSP.

Swagger UI is served from our static files (django-ninja's copy) and started by static/js/api-docs.js; the
harness fails the test on any CSP violation, console error or missing static file. The page is a third-party
interface, so axe-core is not run on it (our own pages are checked in test_reader_pages.py).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PublishedClaimFactory


@pytest.fixture
def published(transactional_db):
    return PublishedClaimFactory(statement="A statement for the API docs.")


def test_the_docs_list_every_endpoint_and_try_one(page: Page, published):
    page.goto("/api/docs/")
    for path in ("/api/claims/", "/api/claims/{slug}/", "/api/quizzes/{slug}/", "/api/corrections/"):
        expect(page.locator(".opblock-summary-path", has_text=re.compile(f"^{re.escape(path)}$"))).to_be_visible()
    page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/claims/$")).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    body = page.locator(".responses-wrapper .live-responses-table .response .microlight").first
    expect(body).to_contain_text("A statement for the API docs.")
    assert json.loads(body.inner_text())["items"][0]["slug"] == published.slug
