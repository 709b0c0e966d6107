"""Editors triage readers' tips: the actions (claims/editorial/tips.py), their permissions and refusals, the
admin's queue and buttons, and the email each reader gets once the answering fact-check is published."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from claims import editorial
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
from claims.models import Claim, DeclineReason, OutboxEmail, Status, TipGroup, TipStatus
from claims.revisions import revisions_of
from claims.tips.submit import tip_submit
from tests.factories import (
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    SourceFactory,
    StaffFactory,
)
from tests.helpers.tips import publish

pytestmark = pytest.mark.django_db

STATEMENT = "Crime doubled in the city last year."


def send(statement: str = STATEMENT, *, language: str = "en", email: str = "", claimant: str = "", where: str = ""):
    return tip_submit(statement=statement, claimant=claimant, seen_where=where, email=email, language=language)


def answered_rows() -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(key__startswith="tip-answered:").order_by("pk"))


def draft_with_source(**fields) -> Claim:
    claim = ClaimFactory(**fields)
    SourceFactory(claim=claim)
    return claim


def spanish_version(original: Claim) -> Claim:
    translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
    translation.statement = "La delincuencia se duplicó en la ciudad el año pasado."
    translation.ruling = "Falso. Los registros muestran lo contrario."
    translation.explanation = "La explicación."
    quotes = {source.pk: "una frase citable" for source in original.sources.all()}
    return editorial.translation_save(translation=translation, quotes=quotes, by=DEMO_AUTHOR)


class TestAccept:
    def test_a_draft_is_written_from_the_tips_through_the_write_path(self):
        editor = EditorFactory()
        send(where="TV")
        send("crime has doubled in the city last year", claimant="The mayor", where="WhatsApp")
        group = TipGroup.objects.get()
        claim = editorial.tip_group_accept(group=group, by=editor)
        assert claim.status == Status.DRAFT and claim.author == editor
        assert (claim.statement, claim.claimant, claim.said_where) == (STATEMENT, "The mayor", "TV")
        assert claim.slug == "crime-doubled-in-the-city-last-year" and claim.language == "en"
        assert [r.comment for r in revisions_of(claim)] == ["Created from readers' tips"]
        group.refresh_from_db()
        assert (group.status, group.claim, group.decided_by) == (TipStatus.ACCEPTED, claim, editor)
        assert group.decided_at is not None

    def test_the_slug_is_unique_and_the_claimant_asked_for_when_no_reader_named_one(self):
        ClaimFactory(slug="crime-doubled-in-the-city-last-year")
        send(language="es")
        claim = editorial.tip_group_accept(group=TipGroup.objects.get(), by=EditorFactory())
        assert claim.slug == "crime-doubled-in-the-city-last-year-2"
        assert claim.claimant == "Not known yet: who made this claim?" and claim.language == "es"

    def test_accepting_needs_permission_to_add_claims(self):
        send()
        group = TipGroup.objects.get()
        triager = StaffFactory(is_superuser=False)
        triager.user_permissions.add(Permission.objects.get(codename="change_tipgroup"))
        with pytest.raises(PermissionDenied, match="permission to add claims"):
            editorial.tip_group_accept(group=group, by=triager)
        assert not Claim.objects.exists()
        assert TipGroup.objects.get().status == TipStatus.NEW


class TestDecline:
    def test_with_a_reason(self):
        send()
        group = editorial.tip_group_decline(group=TipGroup.objects.get(), reason="not_checkable", by=EditorFactory())
        assert (group.status, group.decline_reason) == (TipStatus.DECLINED, DeclineReason.NOT_CHECKABLE)

    @pytest.mark.parametrize("reason", ["", "because"])
    def test_without_a_reason_is_refused(self, reason):
        send()
        with pytest.raises(ValidationError) as refused:
            editorial.tip_group_decline(group=TipGroup.objects.get(), reason=reason, by=EditorFactory())
        assert refused.value.error_dict["reason"][0].code == "reason_missing"
        assert TipGroup.objects.get().status == TipStatus.NEW


class TestAnswer:
    def test_a_published_fact_check_answers_and_each_reader_with_an_email_is_told_once(self, settings):
        settings.SITE_URL = "https://factcheck.example"
        claim = PublishedClaimFactory(slug="crime-doubled")
        send(email="one@example.org")
        send(email="two@example.org")
        send()
        group = editorial.tip_group_answer(group=TipGroup.objects.get(), claim=claim, by=EditorFactory())
        assert (group.status, group.claim) == (TipStatus.ANSWERED, claim)
        rows = answered_rows()
        assert sorted(row.to for row in rows) == ["one@example.org", "two@example.org"]
        assert all("https://factcheck.example/claims/crime-doubled/" in row.body for row in rows)
        assert all(STATEMENT in row.body and "Verdict: True" in row.body for row in rows)

    def test_an_unpublished_fact_check_is_refused(self):
        send(email="one@example.org")
        with pytest.raises(ValidationError) as refused:
            editorial.tip_group_answer(group=TipGroup.objects.get(), claim=ClaimFactory(), by=EditorFactory())
        assert refused.value.error_dict["claim"][0].code == "claim_not_published"
        assert "Only a published fact-check can answer a tip" in str(refused.value)
        assert TipGroup.objects.get().status == TipStatus.NEW and not answered_rows()


class TestWhoAndWhen:
    @pytest.mark.parametrize("role", ["editor", "chief"])
    def test_both_roles_triage(self, role):
        send()
        by = EditorFactory() if role == "editor" else ChiefEditorFactory()
        editorial.tip_group_decline(group=TipGroup.objects.get(), reason="other", by=by)

    def test_nobody_else(self):
        send()
        group = TipGroup.objects.get()
        with pytest.raises(PermissionDenied):
            editorial.tip_group_decline(group=group, reason="other", by=StaffFactory(is_superuser=False))
        with pytest.raises(PermissionDenied):
            editorial.tip_group_decline(group=group, reason="other", by=None)
        with pytest.raises(TypeError):
            editorial.tip_group_decline(group=group, reason="other")  # type: ignore[call-arg]
        assert TipGroup.objects.get().status == TipStatus.NEW

    def test_a_tip_is_decided_once(self):
        send()
        group = TipGroup.objects.get()
        editorial.tip_group_decline(group=group, reason="other", by=EditorFactory())
        for again in (
            lambda: editorial.tip_group_accept(group=group, by=EditorFactory()),
            lambda: editorial.tip_group_answer(group=group, claim=PublishedClaimFactory(), by=EditorFactory()),
        ):
            with pytest.raises(ValidationError) as refused:
                again()
            assert refused.value.error_dict["__all__"][0].code == "already_decided"
        assert not Claim.objects.filter(tip_groups=group).exists()


class TestToldOnPublication:
    def test_publishing_the_accepted_draft_tells_each_reader_once_in_their_language(self, settings):
        settings.SITE_URL = "https://factcheck.example"
        claim = draft_with_source(statement=STATEMENT, slug="crime-doubled")
        send(email="en@example.org")
        send(email="es@example.org", language="es")
        TipGroup.objects.filter(language="en").update(status=TipStatus.ACCEPTED, claim=claim)
        TipGroup.objects.filter(language="es").update(status=TipStatus.ACCEPTED, claim=claim)
        assert not answered_rows()
        publish(claim)
        english, spanish = answered_rows()
        assert (english.to, english.language) == ("en@example.org", "en")
        assert "https://factcheck.example/claims/crime-doubled/" in english.body
        # No Spanish version yet: the original, under the Spanish interface.
        assert (spanish.to, spanish.language) == ("es@example.org", "es")
        assert "https://factcheck.example/es/claims/crime-doubled/" in spanish.body
        # Publishing the Spanish version later tells nobody twice.
        publish(spanish_version(Claim.objects.get(pk=claim.pk)))
        assert len(answered_rows()) == 2

    def test_a_spanish_reader_gets_the_spanish_permalink_when_it_is_published(self, settings):
        settings.SITE_URL = "https://factcheck.example"
        original = PublishedClaimFactory(statement=STATEMENT, slug="crime-doubled")
        publish(spanish_version(original))
        send("La delincuencia se duplicó en la ciudad", language="es", email="es@example.org")
        editorial.tip_group_answer(group=TipGroup.objects.get(), claim=original, by=EditorFactory())
        [row] = answered_rows()
        assert "https://factcheck.example/es/claims/crime-doubled-es/" in row.body

    def test_a_tip_answered_by_the_translation_hears_when_it_is_published(self, settings):
        original = PublishedClaimFactory(statement=STATEMENT, slug="crime-doubled")
        translation = spanish_version(original)
        send("La delincuencia se duplicó", language="es", email="es@example.org")
        TipGroup.objects.update(status=TipStatus.ACCEPTED, claim=translation)
        publish(translation)
        [row] = answered_rows()
        assert "/es/claims/crime-doubled-es/" in row.body

    def test_republishing_tells_nobody_twice(self):
        claim = draft_with_source()
        send(email="en@example.org")
        TipGroup.objects.update(status=TipStatus.ACCEPTED, claim=claim)
        claim = publish(claim)
        editorial.unpublish(obj=claim, by=DEMO_REVIEWER)
        publish(Claim.objects.get(pk=claim.pk))
        assert len(answered_rows()) == 1

    def test_publishing_an_unrelated_fact_check_tells_nobody(self):
        send(email="en@example.org")
        publish(draft_with_source())
        assert not answered_rows()


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestAdmin:
    def test_the_queue_opens_on_waiting_tips_and_shows_all_on_request(self):
        send()
        send("The mayor built 300 new schools.")
        decided = TipGroup.objects.get(statement="The mayor built 300 new schools.")
        editorial.tip_group_decline(group=decided, reason="other", by=DEMO_REVIEWER)
        client = _admin(EditorFactory())
        queue = client.get(reverse("admin:claims_tipgroup_changelist"))
        assert queue.status_code == 200
        assert STATEMENT in queue.text and "300 new schools" not in queue.text
        everything = client.get(reverse("admin:claims_tipgroup_changelist"), {"status": "all"}).text
        assert STATEMENT in everything and "300 new schools" in everything
        # "Readers who asked" sorts (most asked first).
        assert client.get(reverse("admin:claims_tipgroup_changelist"), {"o": "-2"}).status_code == 200

    def test_a_tip_page_shows_each_reader_with_the_address_masked(self):
        send(email="reader@example.org", where="https://example.org/video")
        group = TipGroup.objects.get()
        page = _admin(EditorFactory()).get(reverse("admin:claims_tipgroup_change", args=[group.pk])).text
        assert "r***@example.org" in page and "reader@example.org" not in page
        assert "https://example.org/video" in page and 'href="https://example.org/video"' not in page
        assert 'value="Accept"' in page and 'name="reason"' in page and 'name="claim"' in page
        assert 'name="_save"' not in page

    def test_accept_opens_the_new_draft(self):
        send()
        group = TipGroup.objects.get()
        response = _admin(EditorFactory()).post(reverse("admin:claims_tipgroup_accept", args=[group.pk]))
        claim = Claim.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])

    def test_refusals_are_messages_and_nothing_is_half_written(self):
        send()
        group = TipGroup.objects.get()
        client = _admin(EditorFactory())
        here = reverse("admin:claims_tipgroup_change", args=[group.pk])
        response = client.post(reverse("admin:claims_tipgroup_decline", args=[group.pk]), {"reason": ""}, follow=True)
        assert response.redirect_chain[-1][0] == here
        assert "Nothing was changed. Choose why the tip is declined." in response.text
        draft = ClaimFactory()
        response = client.post(
            reverse("admin:claims_tipgroup_answer", args=[group.pk]), {"claim": draft.pk}, follow=True
        )
        assert "Only a published fact-check can answer a tip" in response.text
        response = client.post(reverse("admin:claims_tipgroup_answer", args=[group.pk]), {"claim": "x"}, follow=True)
        assert "Choose the published fact-check that answers the tip." in response.text
        assert TipGroup.objects.get().status == TipStatus.NEW and Claim.objects.count() == 1
        assert client.get(reverse("admin:claims_tipgroup_accept", args=[group.pk])).status_code == 405

    def test_answer_offers_resembling_published_fact_checks_first(self):
        PublishedClaimFactory(statement="Something else entirely.")
        resembling = PublishedClaimFactory(statement="Crime doubled in the city, the mayor said.")
        send()
        group = TipGroup.objects.get()
        page = _admin(EditorFactory()).get(reverse("admin:claims_tipgroup_change", args=[group.pk])).text
        suggested = page.index('label="Resembling this tip"')
        assert suggested < page.index(f'value="{resembling.pk}"') < page.index('label="All published fact-checks')
        client = _admin(EditorFactory())
        client.post(reverse("admin:claims_tipgroup_answer", args=[group.pk]), {"claim": resembling.pk})
        assert TipGroup.objects.get().status == TipStatus.ANSWERED

    def test_no_one_adds_tips_and_only_chief_editors_delete_them(self):
        send()
        group = TipGroup.objects.get()
        editor, chief = _admin(EditorFactory()), _admin(ChiefEditorFactory())
        assert editor.get(reverse("admin:claims_tipgroup_add")).status_code == 403
        assert editor.get(reverse("admin:claims_tipgroup_delete", args=[group.pk])).status_code == 403
        assert chief.get(reverse("admin:claims_tipgroup_delete", args=[group.pk])).status_code == 200
        assert chief.post(reverse("admin:claims_tipgroup_delete", args=[group.pk]), {"post": "yes"}).status_code == 302
        assert not TipGroup.objects.exists()

    def test_staff_without_the_role_see_nothing(self):
        send()
        group = TipGroup.objects.get()
        client = _admin(StaffFactory(is_superuser=False))
        assert client.get(reverse("admin:claims_tipgroup_changelist")).status_code == 403
        assert client.post(reverse("admin:claims_tipgroup_accept", args=[group.pk])).status_code == 403
        assert TipGroup.objects.get().status == TipStatus.NEW
