"""The tip line for readers (/tips/): search first, then "Send it to us"; the form's abuse rules; what readers
typed stays text everywhere it is shown; the thanks and privacy pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from claims.models import OutboxEmail, Tip, TipGroup
from tests.factories import PublishedClaimFactory
from tests.helpers.tips import tip_data, token_from

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><a href="https://evil.example/">click</a> & <b>bold</b>'


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.TIP_RATE = "100/3600"


def nothing_stored() -> bool:
    return not (Tip.objects.exists() or TipGroup.objects.exists() or OutboxEmail.objects.exists())


class TestSearchFirst:
    def test_the_page_starts_with_the_search_and_always_offers_the_form(self, client):
        response = client.get("/tips/")
        assert response.status_code == 200
        html = response.text
        assert html.index("Has this been checked?") < html.index('name="q"') < html.index('id="send"')
        assert 'href="#send"' in html and 'name="statement"' in html
        assert 'href="/privacy/"' in html
        # The honeypot: hidden with our stylesheet's class, out of the tab order, labelled.
        assert '<div class="visually-hidden">' in html
        assert 'name="website"' in html and 'tabindex="-1"' in html and "Leave this empty" in html
        # It holds a CSRF token: never page-cached.
        assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]

    def test_a_query_that_matches_shows_the_fact_check(self, client):
        claim = PublishedClaimFactory(statement="Crime doubled in the city last year.")
        html = client.get("/tips/", {"q": "crime doubled"}).text
        assert f'href="{claim.get_absolute_url()}"' in html
        assert "<mark>" in html
        assert "We have not found" not in html

    def test_a_query_with_no_match_says_so_and_fills_in_the_form(self, client):
        PublishedClaimFactory(statement="Crime doubled in the city last year.")
        html = client.get("/tips/", {"q": "The moon is made of cheese"}).text
        assert "We have not found a fact-check of “The moon is made of cheese”." in html
        assert ">\nThe moon is made of cheese</textarea>" in html

    def test_an_unpublished_claim_is_not_found(self, client):
        PublishedClaimFactory(statement="Crime doubled in the city last year.", status="draft", published_at=None)
        assert "We have not found" in client.get("/tips/", {"q": "crime doubled"}).text

    def test_htmx_gets_only_the_results(self, client):
        response = client.get("/tips/", {"q": "cheese"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert response.text.lstrip().startswith('<div id="results"')
        assert "<html" not in response.text and 'data-prefill="cheese"' in response.text
        assert "HX-Request" in response["Vary"]

    def test_the_query_is_shown_as_text(self, client):
        html = client.get("/tips/", {"q": SCRIPT}).text
        assert "<script>alert" not in html and 'href="https://evil.example/"' not in html
        assert "&lt;script&gt;alert" in html

    def test_in_spanish(self, client):
        response = client.get("/es/tips/")
        assert response.status_code == 200 and '<html lang="es">' in response.text
        assert 'action="/es/tips/#send"' in response.text

    def test_every_page_links_to_the_tip_line_and_the_privacy_page(self, client):
        html = client.get("/").text
        assert 'href="/tips/"' in html and 'href="/privacy/"' in html
        html = client.get("/es/").text
        assert 'href="/es/tips/"' in html and 'href="/es/privacy/"' in html


class TestSending:
    def test_a_tip_is_stored_as_typed_and_the_reader_thanked(self, client):
        response = client.post(
            "/tips/", tip_data(statement="  Crime doubled last year.  ", seen_where="https://x.example/p")
        )
        assert response.status_code == 303 and response["Location"] == "/tips/thanks/"
        tip = Tip.objects.get()
        assert (tip.statement, tip.claimant, tip.seen_where, tip.email) == (
            "Crime doubled last year.", "The mayor", "https://x.example/p", ""
        )  # fmt: skip
        assert tip.language == "en" and tip.group.tip_count == 1
        assert not OutboxEmail.objects.exists()  # no address, no email
        thanks = client.get("/tips/thanks/")
        assert thanks.status_code == 200 and "We have received the claim you sent." in thanks.text

    def test_a_spanish_readers_tip_is_in_spanish(self, client):
        response = client.post("/es/tips/", tip_data())
        assert response.status_code == 303 and response["Location"] == "/es/tips/thanks/"
        assert Tip.objects.get().language == "es"

    def test_with_an_email_and_consent_the_reader_gets_a_confirmation(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/tips/", tip_data(email="reader@example.org", consent="on"))
        assert response.status_code == 303
        assert Tip.objects.get().email == "reader@example.org"
        [message] = mail.outbox
        assert message.to == ["reader@example.org"]
        assert "“Crime doubled in the city last year.”" in message.body
        assert OutboxEmail.objects.get().sent_at is not None

    def test_an_email_without_consent_is_refused_at_the_box(self, client):
        response = client.post("/tips/", tip_data(email="reader@example.org"))
        assert response.status_code == 400
        assert "Tick the box to let us use your email, or leave it out." in response.text
        assert 'aria-invalid="true"' in response.text and 'aria-describedby="id_consent_error"' in response.text
        assert nothing_stored()
        # What the reader typed is kept for the next try.
        assert ">\nCrime doubled in the city last year.</textarea>" in response.text

    def test_the_confirmation_never_says_whether_others_sent_the_same(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post("/tips/", tip_data(email="one@example.org", consent="on"))
            second = Client().post("/tips/", tip_data(email="two@example.org", consent="on"))
        assert first["Location"] == second["Location"] == "/tips/thanks/"
        assert TipGroup.objects.get().tip_count == 2
        one, two = mail.outbox
        assert (one.to, two.to) == (["one@example.org"], ["two@example.org"])
        assert (one.subject, one.body) == (two.subject, two.body)


class TestAbuse:
    def test_the_honeypot(self, client):
        response = client.post("/tips/", tip_data(website="https://spam.example"))
        assert response.status_code == 400 and "This form could not be sent." in response.text
        assert nothing_stored()

    def test_faster_than_a_person(self, client):
        response = client.post("/tips/", tip_data(started=token_from(0)))
        assert response.status_code == 400 and "faster than anyone can type" in response.text
        assert nothing_stored()
        # The form comes back with a fresh token: waiting, then sending it again, works.
        assert client.post("/tips/", tip_data()).status_code == 303

    @pytest.mark.parametrize("token", ["", "forged", "tip-form:1xY62A:not-our-signature"])
    def test_a_missing_or_forged_token(self, client, token):
        response = client.post("/tips/", tip_data(started=token))
        assert response.status_code == 400 and "Reload the page and try again." in response.text
        assert nothing_stored()

    def test_a_form_open_for_days(self, client):
        response = client.post("/tips/", tip_data(started=token_from(3 * 24 * 3600)))
        assert response.status_code == 400 and "open too long" in response.text
        assert nothing_stored()

    def test_the_rate_limit_per_client(self, client, settings):
        settings.TIP_RATE = "2/3600"
        assert client.post("/tips/", tip_data()).status_code == 303
        assert client.post("/tips/", tip_data(statement="Another claim entirely.")).status_code == 303
        limited = client.post("/tips/", tip_data(statement="A third one."))
        assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
        assert "You have sent us several claims in a short time." in limited.text
        assert Tip.objects.count() == 2
        # Another address is not limited; reading the page never is.
        assert client.post("/tips/", tip_data(), REMOTE_ADDR="192.0.2.9").status_code == 303
        assert client.get("/tips/").status_code == 200

    @pytest.mark.parametrize(("field", "size"), [("statement", 501), ("claimant", 201), ("seen_where", 301)])
    def test_oversize_fields(self, client, field, size):
        response = client.post("/tips/", tip_data(**{field: "x" * size}))
        assert response.status_code == 400
        assert f'id="id_{field}_error"' in response.text
        assert nothing_stored()

    def test_an_oversize_body_is_refused_before_it_is_read(self, client):
        response = client.post("/tips/", tip_data(statement="x" * 20_000))
        assert response.status_code == 413 and "longer than this form takes" in response.text
        assert nothing_stored()

    def test_nothing_to_check(self, client):
        response = client.post("/tips/", tip_data(statement="   "))
        assert response.status_code == 400 and 'id="id_statement_error"' in response.text
        assert nothing_stored()

    def test_csrf_is_checked(self):
        response = Client(enforce_csrf_checks=True).post("/tips/", tip_data())
        assert response.status_code == 403
        assert nothing_stored()

    def test_only_get_and_post(self, client):
        assert client.put("/tips/").status_code == 405


class TestInert:
    """HTML and script in any field is stored as typed and shown as text: the page, the admin, the email."""

    @pytest.mark.parametrize("field", ["statement", "claimant", "seen_where"])
    def test_stored_verbatim_and_shown_as_text(self, client, editor_client, field, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/tips/", tip_data(**{field: SCRIPT, "email": "r@example.org", "consent": "on"}))
        assert response.status_code == 303
        tip = Tip.objects.get()
        assert getattr(tip, field) == SCRIPT
        admin_page = editor_client.get(reverse("admin:claims_tipgroup_change", args=[tip.group_id])).text
        assert "<script>alert" not in admin_page and 'href="https://evil.example/"' not in admin_page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in admin_page
        if field == "statement":
            [message] = mail.outbox
            assert SCRIPT in message.body  # plain text: shown as typed, never interpreted
            assert not getattr(message, "alternatives", [])
            assert message.content_subtype == "plain"

    def test_an_email_field_holding_markup_is_refused(self, client):
        response = client.post("/tips/", tip_data(email="<script>@example.org", consent="on"))
        assert response.status_code == 400 and 'id="id_email_error"' in response.text
        assert "<script>@" not in response.text
        assert nothing_stored()


class TestPages:
    def test_the_thanks_page_is_a_public_page(self, client):
        response = client.get("/tips/thanks/")
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        assert client.get("/es/tips/thanks/").status_code == 200

    def test_the_privacy_page_says_what_we_keep_and_for_how_long(self, client, settings):
        settings.TIP_EMAIL_RETENTION_DAYS = 30
        response = client.get("/privacy/")
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        assert "We delete it 30 days after you sent the claim" in response.text
        assert "no third-party scripts" in response.text
        assert "30 days, so that you can carry on" in response.text  # the quiz reader cookie
        assert client.get("/es/privacy/").status_code == 200
