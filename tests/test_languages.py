"""Which language a page is served in: the address, the reader's choice, a first visit's browser, the admin;
and caches that never serve one language's page to the other."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PublishedClaimFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
# What a browser sends when someone opens a link from another site, or types the address.
ARRIVING = {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_SITE": "cross-site"}


def _html_lang(response) -> str:
    return response.text.split("<html lang=", 1)[1][1:].split(response.text.split("<html lang=", 1)[1][0], 1)[0]


class TestTheAddressDecides:
    def test_english_unprefixed_spanish_under_es(self, client):
        english, spanish = client.get("/claims/"), client.get("/es/claims/")
        assert (english.status_code, spanish.status_code) == (200, 200)
        assert _html_lang(english) == "en" and english["Content-Language"] == "en"
        assert _html_lang(spanish) == "es" and spanish["Content-Language"] == "es"

    def test_a_crawler_gets_the_language_of_the_url_whatever_it_accepts(self, client):
        # No Sec-Fetch headers: not a browser navigation, so no redirect, whatever Accept-Language says.
        response = client.get("/claims/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
        assert response.status_code == 200 and _html_lang(response) == "en"
        assert COOKIE not in response.cookies

    def test_unknown_language_prefix_is_not_found(self, client):
        assert client.get("/fr/claims/").status_code == 404


class TestTheReadersChoiceSticks:
    def test_the_switcher_keeps_the_page_and_remembers_the_choice(self, client):
        response = client.get("/language/es/", {"next": "/claims/?verdict=true"})
        assert response.status_code == 302 and response["Location"] == "/es/claims/?verdict=true"
        assert response.cookies[COOKIE].value == "es"
        assert "no-store" in response["Cache-Control"]
        back = client.get("/language/en/", {"next": "/es/claims/"})
        assert back["Location"] == "/claims/" and back.cookies[COOKIE].value == "en"

    @pytest.mark.parametrize(
        "target", ["//evil.example/", "https://evil.example/claims/", "claims/", "/\\evil", "/es//evil.example/"]
    )
    def test_the_switcher_never_leaves_the_site(self, client, target):
        response = client.get("/language/es/", {"next": target})
        location = response["Location"]
        assert response.status_code == 302 and location.startswith("/es/")
        assert urlsplit(location).netloc == "" and not location.startswith("//")

    def test_the_bare_prefix_is_the_home_page_not_a_loop(self, client):
        assert client.get("/language/en/", {"next": "/es"})["Location"] == "/"
        assert client.get("/language/es/", {"next": "/es"})["Location"] == "/es/"

    def test_the_switcher_keeps_the_filters_but_not_a_readers_own_parameters(self, client):
        html = client.get("/claims/?verdict=false&utm_source=someone").text
        assert "next=%2Fes%2Fclaims%2F%3Fverdict%3Dfalse" in html and "utm_source" not in html.split("<main")[0]

    def test_an_unknown_language_is_refused_and_sets_nothing(self, client):
        response = client.get("/language/fr/", {"next": "/claims/"})
        assert response.status_code == 404 and COOKIE not in response.cookies

    def test_after_choosing_spanish_an_english_link_opens_in_spanish(self, client):
        client.cookies[COOKIE] = "es"
        response = client.get("/claims/?verdict=false")
        assert response.status_code == 302 and response["Location"] == "/es/claims/?verdict=false"
        assert "private" in response["Cache-Control"]

    def test_after_choosing_english_spanish_browsers_stay_in_english(self, client):
        client.cookies[COOKIE] = "en"
        response = client.get("/claims/", HTTP_ACCEPT_LANGUAGE="es", **ARRIVING)
        assert response.status_code == 200 and _html_lang(response) == "en"

    def test_a_spanish_address_stays_spanish_for_an_english_reader(self, client):
        client.cookies[COOKIE] = "en"
        assert _html_lang(client.get("/es/claims/")) == "es"

    def test_forms_are_never_redirected(self, client):
        client.cookies[COOKIE] = "es"
        # A POST to an English address is answered there (here: no such quiz), not bounced to /es/ and lost.
        assert client.post("/quizzes/nope/start/").status_code == 404


class TestAFirstVisitMayFollowTheBrowser:
    def test_spanish_browser_arriving_is_taken_to_spanish_once(self, client):
        response = client.get("/claims/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5", **ARRIVING)
        assert response.status_code == 302 and response["Location"] == "/es/claims/"
        assert response.cookies[COOKIE].value == "es"
        # Once: from now on the cookie decides, and the reader can switch back for good.
        client.get("/language/en/", {"next": "/claims/"})
        again = client.get("/claims/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9", **ARRIVING)
        assert again.status_code == 200 and _html_lang(again) == "en"

    def test_english_first_browser_stays(self, client):
        response = client.get("/claims/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,es;q=0.8", **ARRIVING)
        assert response.status_code == 200 and COOKIE not in response.cookies

    def test_moving_around_the_site_never_redirects(self, client):
        response = client.get(
            "/claims/", HTTP_ACCEPT_LANGUAGE="es", HTTP_SEC_FETCH_MODE="navigate", HTTP_SEC_FETCH_SITE="same-origin"
        )
        assert response.status_code == 200

    def test_machine_addresses_are_never_redirected(self, client):
        client.cookies[COOKIE] = "es"
        for path in ("/robots.txt", "/sitemap.xml", "/healthz"):
            assert client.get(path).status_code == 200, path


class TestTheAdminFollowsTheEditor:
    def test_admin_in_spanish_for_an_editor_who_chose_it(self, client):
        client.cookies[COOKIE] = "es"
        response = client.get("/admin/login/")
        assert response.status_code == 200 and _html_lang(response) == "es"
        assert "Nombre de usuario" in response.text

    def test_admin_follows_the_browser_without_a_choice(self, client):
        response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es")
        assert _html_lang(response) == "es"
        assert _html_lang(Client().get("/admin/login/")) == "en"


class TestCachesAreKeyedByLanguage:
    def test_both_languages_of_the_same_page_through_the_page_cache(self, client):
        PublishedClaimFactory(statement="The wall is finished.")
        first_en, first_es = client.get("/claims/"), client.get("/es/claims/")
        again_en, again_es = client.get("/claims/"), client.get("/es/claims/")
        assert first_en.text == again_en.text and first_es.text == again_es.text  # served from the cache
        assert _html_lang(again_en) == "en" and _html_lang(again_es) == "es"
        assert again_en["ETag"] != again_es["ETag"]
        # A browser's English copy never validates the Spanish page.
        assert client.get("/es/claims/", HTTP_IF_NONE_MATCH=again_en["ETag"]).status_code == 200

    def test_the_page_key_names_the_language(self, rf):
        from django.utils import translation

        from claims.caching import _page_key

        request = rf.get("/claims/")
        with translation.override("en"):
            english = _page_key(request)
        with translation.override("es"):
            spanish = _page_key(request)
        assert english != spanish

    def test_share_cards_are_drawn_per_language(self, client):
        claim = PublishedClaimFactory()
        english = client.get(f"/claims/{claim.slug}/card.png")
        spanish = client.get(f"/es/claims/{claim.slug}/card.png")
        assert english.status_code == spanish.status_code == 200
        assert english["ETag"] != spanish["ETag"] and english.content != spanish.content

    def test_feeds_are_per_language(self, client):
        PublishedClaimFactory()
        english, spanish = client.get("/claims/feed/"), client.get("/es/claims/feed/")
        assert 'xml:lang="en"' in english.text and 'xml:lang="es"' in spanish.text


class TestNumbersAndDatesFollowTheLanguage:
    def test_counts_are_grouped_as_each_language_writes_them(self):
        from django.utils import translation

        from claims.templatetags.languages import grouped

        with translation.override("en"):
            assert (grouped(1000), grouped(172000), grouped(12)) == ("1,000", "172,000", "12")
        with translation.override("es"):
            assert (grouped(1000), grouped(172000), grouped(12)) == ("1.000", "172.000", "12")

    def test_dates_are_written_out_in_each_language(self):
        import datetime

        from django.utils import formats, translation

        day = datetime.date(2026, 11, 30)
        with translation.override("en"):
            assert formats.date_format(day) == "30 November 2026"
        with translation.override("es"):
            assert formats.date_format(day) == "30 de noviembre de 2026"


class TestEditorsChooseTheAdminsLanguage:
    def test_the_admin_offers_the_other_language_and_stays_in_the_admin(self, editor_client):
        page = editor_client.get("/admin/")
        assert page.status_code == 200 and 'href="/language/es/?next=/admin/"' in page.text
        switched = editor_client.get("/language/es/", {"next": "/admin/claims/claim/"})
        assert switched["Location"] == "/admin/claims/claim/" and switched.cookies[COOKIE].value == "es"
        spanish = editor_client.get("/admin/claims/claim/")
        assert _html_lang(spanish) == "es" and 'href="/language/en/?next=/admin/claims/claim/"' in spanish.text


def test_error_pages_lead_home_in_their_language():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("es"):
        assert 'href="/es/"' in render_to_string("500.html")
        assert 'href="/es/"' in render_to_string(
            "503.html", {"SITE_NAME": "Factcheck", "message": "", "retry_url": "/es/"}
        )
    with translation.override("en"):
        assert 'href="/"' in render_to_string("500.html")
