"""Who owns and funds us (/about/funding/, /es/about/funding/): a page editors keep, written only through the
editorial write path (page_save: chief editors, a revision per save), linked from every page and the sitemap."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from claims import editorial
from claims.demo.loader import load_demo, read_content, read_spanish
from claims.editorial import DEMO_REVIEWER
from claims.models import Page, PageKind, Revision
from claims.revisions import revisions_of
from tests.factories import ChiefEditorFactory, EditorFactory

pytestmark = pytest.mark.django_db


def _page(language: str = "en", **words) -> Page:
    page = Page(kind=PageKind.FUNDING, language=language, title="Who funds us", body="Nobody.\n\nSee https://x.example")
    for name, value in words.items():
        setattr(page, name, value)
    return editorial.page_save(page=page, by=DEMO_REVIEWER)


def test_the_demo_says_plainly_that_no_one_funds_it_in_both_languages(client):
    load_demo()
    english = client.get("/about/funding/")
    assert english.status_code == 200
    assert "No organisation owns it and no one funds it" in english.text
    assert read_content()["pages"]["funding"]["title"] in english.text
    spanish = client.get("/es/about/funding/")
    assert spanish.status_code == 200
    assert "Ninguna organización es su dueña y nadie lo financia" in spanish.text
    assert read_spanish()["pages"]["funding"]["title"] in spanish.text
    load_demo()  # again: nothing changed, nothing recorded
    assert Page.objects.count() == 2
    assert Revision.objects.filter(content_type__model="page").count() == 2


def test_the_text_is_the_editors_plain_text_made_safe(client):
    _page(body="Owned by its staff.\n\nAccounts: https://accounts.example/2026 <script>alert(1)</script>")
    html = client.get("/about/funding/").text
    assert "<p>Owned by its staff.</p>" in html
    assert '<a href="https://accounts.example/2026"' in html
    assert "<script>alert(1)" not in html


def test_before_anyone_writes_it_the_page_says_so(client):
    response = client.get("/about/funding/")
    assert response.status_code == 200
    assert "has not yet published who owns and funds it." in response.text
    assert "Propiedad y financiamiento" in client.get("/es/about/funding/").text


def test_a_spanish_reader_gets_the_english_text_marked_until_it_is_translated(client):
    _page(body="Owned by its staff.")
    html = client.get("/es/about/funding/").text
    assert '<article lang="en">' in html and "Owned by its staff." in html
    _page("es", title="Quién nos financia", body="Es propiedad de su personal.")
    html = client.get("/es/about/funding/").text
    assert "Es propiedad de su personal." in html and "Owned by its staff." not in html


def test_an_edit_shows_at_once_and_is_kept_as_a_revision(client):
    page = _page(body="First version.")
    assert "First version." in client.get("/about/funding/").text  # now cached
    page.body = "Second version."
    editorial.page_save(page=page, by=ChiefEditorFactory())
    assert "Second version." in client.get("/about/funding/").text
    assert [r.data["body"] for r in revisions_of(page)] == ["Second version.", "First version."]


def test_only_a_chief_editor_may_write_it():
    with pytest.raises(PermissionDenied):
        _page_by(EditorFactory())
    with pytest.raises(PermissionDenied):
        _page_by(None)
    assert not Page.objects.exists()
    _page_by(ChiefEditorFactory())
    assert Page.objects.count() == 1


def _page_by(user) -> Page:
    return editorial.page_save(page=Page(kind=PageKind.FUNDING, title="T", body="B"), by=user)


def test_one_text_per_language():
    _page()
    with pytest.raises(ValidationError):
        _page()
    assert Page.objects.count() == 1


def test_linked_from_every_page_and_listed_in_the_sitemap(client):
    assert 'href="/about/funding/"' in client.get("/").text
    assert 'href="/es/about/funding/"' in client.get("/es/").text
    sitemap = client.get("/sitemap.xml").text
    assert "/about/funding/</loc>" in sitemap and "/es/about/funding/</loc>" in sitemap


class TestAdmin:
    def test_a_chief_editor_writes_it_in_the_admin_with_its_revisions(self):
        chief = ChiefEditorFactory()
        client = Client()
        client.force_login(chief)
        data = {"kind": "funding", "language": "es", "title": "Financiamiento", "body": "Nadie nos financia."}
        response = client.post(reverse("admin:claims_page_add"), data)
        assert response.status_code == 302
        page = Page.objects.get()
        assert (page.language, page.body) == ("es", "Nadie nos financia.")
        [revision] = revisions_of(page)
        assert revision.by == chief
        change = reverse("admin:claims_page_change", args=[page.pk])
        # Its kind and language are its address: fixed once it exists, whatever is posted.
        data |= {"language": "en", "body": "Nadie nos financia todavía."}
        assert client.post(change, data).status_code == 302
        page.refresh_from_db()
        assert (page.language, page.body) == ("es", "Nadie nos financia todavía.")
        assert client.get(reverse("admin:claims_page_revisions", args=[page.pk])).status_code == 200
        assert "Nadie nos financia todavía." in client.get("/es/about/funding/").text
        # Rewritten, never deleted.
        assert client.get(reverse("admin:claims_page_delete", args=[page.pk])).status_code == 403

    def test_an_editor_reads_it_but_cannot_change_it(self):
        page = _page()
        client = Client()
        client.force_login(EditorFactory())
        change = reverse("admin:claims_page_change", args=[page.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {"title": "Mine", "body": "Changed."}).status_code == 403
        assert client.get(reverse("admin:claims_page_add")).status_code == 403
        assert Page.objects.get().body == page.body
