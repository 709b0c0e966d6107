"""The editorial workflow through the admin's real views: roles, review, corrections, revisions, previews."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import editorial
from claims.models import Claim, Correction, Question, Quiz, ReviewAction, Revision, Status
from claims.verdicts import Verdict
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
)
from tests.helpers.admin_posts import claim_post as _claim_post
from tests.helpers.admin_posts import messages_of as _messages
from tests.helpers.admin_posts import question_fields as _question

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor():
    return EditorFactory(username="ed", first_name="Eda", last_name="Writer")


@pytest.fixture
def chief():
    return ChiefEditorFactory(username="chief", first_name="Cleo", last_name="Chief")


@pytest.fixture
def other_chief():
    return ChiefEditorFactory(username="chief2")


@pytest.fixture
def submitted(editor):
    claim = ClaimFactory(author=editor, statement="A submitted claim.")
    SourceFactory(claim=claim)
    return editorial.submit_for_review(obj=claim, by=editor)


def _post_change(client, claim: Claim, **extra):
    source = claim.sources.first()
    data = _claim_post(
        claim.article,
        slug=claim.slug,
        statement=claim.statement,
        claimant=claim.claimant,
        claimant_description=claim.claimant_description,
        said_where=claim.said_where,
        verdict=claim.verdict,
        ruling=claim.ruling,
        explanation=claim.explanation,
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "1",
            "sources-0-id": source.pk,
            "sources-0-claim": claim.pk,
            "sources-0-publisher": source.publisher,
            "sources-0-title": source.title,
            "sources-0-quote": source.quote,
            "sources-0-quotes_article": "on" if source.quotes_article else "",
            "sources-0-no_link_reason": source.no_link_reason,
            "sources-0-position": source.position,
        },
    )
    data.update(extra)
    return client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data, follow=True)


class TestRoles:
    def test_groups_exist_with_their_permissions(self):
        editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
        chief = set(Group.objects.get(name="Chief editor").permissions.values_list("codename", flat=True))
        assert {"add_claim", "change_claim", "add_quiz", "change_question"} <= editor
        assert not editor & {"approve_claim", "publish_claim", "record_correction", "publish_quiz", "delete_claim"}
        assert editor < chief
        assert {"approve_claim", "publish_claim", "record_correction", "approve_quiz", "publish_quiz"} <= chief

    def test_editor_can_draft_and_submit(self, editor):
        client = _client(editor)
        response = client.post(reverse("admin:claims_claim_add"), _claim_post(ArticleFactory(), _submit="1"))
        assert response.status_code == 302
        claim = Claim.objects.get()
        assert claim.status == Status.IN_REVIEW and claim.author == editor

    def test_editor_cannot_publish_even_with_a_crafted_post(self, editor, submitted, other_chief):
        editorial.approve(obj=submitted, by=other_chief)
        client = _client(editor)
        response = _post_change(client, submitted, _publish="1")
        assert "“A submitted claim.” was not published. Only a chief editor can publish claims." in _messages(response)
        response = client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "publish_selected", "_selected_action": [submitted.pk]},
            follow=True,
        )
        submitted.refresh_from_db()
        assert submitted.status == Status.IN_REVIEW

    def test_editor_cannot_approve_with_a_crafted_post(self, editor, submitted):
        _post_change(_client(editor), submitted, _approve="1")
        assert not submitted.review_events.filter(action=ReviewAction.APPROVED).exists()

    def test_editor_does_not_see_chief_buttons(self, editor, submitted):
        html = _client(editor).get(reverse("admin:claims_claim_change", args=[submitted.pk])).text
        assert 'name="_publish"' not in html and 'name="_approve"' not in html

    def test_editor_cannot_delete_claims(self, editor, submitted):
        response = _client(editor).post(reverse("admin:claims_claim_delete", args=[submitted.pk]), {"post": "yes"})
        assert response.status_code == 403
        assert Claim.objects.filter(pk=submitted.pk).exists()

    def test_editor_cannot_change_a_published_verdict(self, editor):
        claim = PublishedClaimFactory(verdict=Verdict.TRUE)
        response = _post_change(
            _client(editor), claim, verdict=Verdict.FALSE, correction_note="Trying to sneak this in."
        )
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.verdict == Verdict.TRUE and not Correction.objects.exists()

    def test_anonymous_cannot_reach_the_admin_actions(self, client, submitted):
        response = client.post(
            reverse("admin:claims_claim_changelist"), {"action": "publish_selected", "_selected_action": [submitted.pk]}
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        submitted.refresh_from_db()
        assert submitted.status == Status.IN_REVIEW

    def test_add_editor_command(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("add_editor", "maria", "--email", "maria@example.org", "--name", "Maria Garcia", stdout=out)
        user = Group.objects.get(name="Editor").user_set.get(username="maria")
        assert user.is_staff and not user.is_superuser and user.get_full_name() == "Maria Garcia"
        password = out.getvalue().split("One-time password: ")[1].split()[0]
        assert user.check_password(password)
        call_command("add_editor", "maria", "--chief", stdout=StringIO())
        assert list(user.groups.values_list("name", flat=True)) == ["Chief editor"]


class TestReview:
    def test_author_can_never_approve_their_own_work(self, chief):
        claim = ClaimFactory(author=chief)
        SourceFactory(claim=claim)
        editorial.submit_for_review(obj=claim, by=chief)
        response = _post_change(_client(chief), claim, _approve="1")
        assert any("You wrote this claim, so another chief editor must approve it." in m for m in _messages(response))
        assert not claim.review_events.filter(action=ReviewAction.APPROVED).exists()
        with pytest.raises(ValidationError) as error:
            editorial.publish(obj=claim, by=chief)
        assert error.value.error_dict["__all__"][0].code == "needs_approval"

    def test_another_chief_approves_then_publishes_and_is_credited(self, client, submitted, chief):
        chief_client = _client(chief)
        _post_change(chief_client, submitted, _approve="1")
        response = _post_change(chief_client, submitted, _publish="1")
        assert any("is published" in m for m in _messages(response))
        submitted.refresh_from_db()
        assert submitted.status == Status.PUBLISHED and submitted.editor == chief
        html = client.get(submitted.get_absolute_url()).text
        assert "Fact-check by Eda Writer · edited by Cleo Chief" in html

    def test_approval_count_is_a_setting(self, settings, submitted, chief, other_chief):
        settings.REQUIRED_APPROVALS = 2
        editorial.approve(obj=submitted, by=chief)
        editorial.approve(obj=submitted, by=chief)  # approving twice counts once
        with pytest.raises(ValidationError) as error:
            editorial.publish(obj=submitted, by=chief)
        assert error.value.error_dict["__all__"][0].code == "needs_approval"
        assert "It needs 2 approval(s)" in error.value.messages[0]
        editorial.approve(obj=submitted, by=other_chief)
        assert editorial.publish(obj=submitted, by=chief).status == Status.PUBLISHED

    def test_approvals_before_a_send_back_do_not_count_after_resubmission(self, submitted, editor, chief):
        editorial.approve(obj=submitted, by=chief)
        editorial.send_back(obj=submitted, by=chief, note="Fix the second source.")
        resubmitted = editorial.submit_for_review(obj=submitted, by=editor)
        assert editorial.approvers(resubmitted) == []

    def test_send_back_needs_a_note_and_returns_a_draft(self, submitted, chief):
        response = _post_change(_client(chief), submitted, _send_back="1", review_note="")
        assert response.context["adminform"].form.errors["review_note"] == [
            "Write a note for the author saying what to fix."
        ]
        submitted.refresh_from_db()
        assert submitted.status == Status.IN_REVIEW
        _post_change(_client(chief), submitted, _send_back="1", review_note="Quote the memo exactly.")
        submitted.refresh_from_db()
        assert submitted.status == Status.DRAFT
        event = submitted.review_events.get(action=ReviewAction.SENT_BACK)
        assert (event.note, event.by) == ("Quote the memo exactly.", chief)

    def test_review_queue_shows_who_and_since_when(self, submitted, chief):
        response = _client(chief).get(reverse("admin:claims_claim_changelist"), {"status__exact": "in_review"})
        assert response.context["cl"].result_count == 1
        assert "Eda Writer" in response.text
        # A valid HTML date-time: to the second (HTML refuses microseconds), with the offset.
        assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d">', response.text)

    def test_quizzes_follow_the_same_review(self, editor, chief):
        quiz = QuizFactory(author=editor)
        QuestionFactory(quiz=quiz)
        editorial.submit_for_review(obj=quiz, by=editor)
        with pytest.raises(ValidationError) as error:
            editorial.approve(obj=QuizFactory(author=chief, status=Status.IN_REVIEW), by=chief)
        assert error.value.error_dict["__all__"][0].code == "own_work"
        editorial.approve(obj=quiz, by=chief)
        assert editorial.publish(obj=quiz, by=chief).status == Status.PUBLISHED


class TestCorrections:
    @pytest.fixture
    def published(self, editor, chief):
        claim = ClaimFactory(author=editor, verdict=Verdict.TRUE, ruling="True. It checks out.")
        SourceFactory(claim=claim)
        editorial.submit_for_review(obj=claim, by=editor)
        editorial.approve(obj=claim, by=chief)
        return editorial.publish(obj=claim, by=chief)

    def test_changing_a_published_verdict_without_a_note_is_refused(self, published, chief):
        response = _post_change(_client(chief), published, verdict=Verdict.FALSE)
        assert "a published verdict or bottom line changes only with a correction note" in response.text
        published.refresh_from_db()
        assert published.verdict == Verdict.TRUE and not Correction.objects.exists()

    def test_correction_is_recorded_and_shown_to_readers(self, client, published, chief):
        response = _post_change(
            _client(chief), published, verdict=Verdict.MOSTLY_TRUE, correction_note="The figure was a monthly average."
        )
        assert response.status_code == 200
        published.refresh_from_db()
        correction = Correction.objects.get()
        assert (correction.previous_verdict, correction.verdict) == (Verdict.TRUE, Verdict.MOSTLY_TRUE)
        assert published.updated_at is not None
        html = client.get(published.get_absolute_url()).text
        assert f'id="correction-{correction.pk}"' in html
        assert f"{correction.created_at:%-d %B %Y}</time>:" in html
        assert "The figure was a monthly average." in html
        assert "Previously rated:" in html and 'data-verdict="true"' in html
        listing = client.get(reverse("corrections")).text
        assert "The figure was a monthly average." in listing and published.get_absolute_url() in listing
        feed = client.get(reverse("correction-feed")).text
        assert "The figure was a monthly average." in feed

    def test_ruling_change_needs_a_note_too(self, published, chief):
        _post_change(_client(chief), published, ruling="True, with a caveat.")
        published.refresh_from_db()
        assert published.ruling == "True. It checks out."

    def test_minor_edit_keeps_the_updated_date(self, published, chief):
        _post_change(
            _client(chief), published, statement=published.statement + " ", explanation="Typo fixed.", minor_edit="on"
        )
        published.refresh_from_db()
        assert published.updated_at is None
        _post_change(_client(chief), published, explanation="A substantive new paragraph.")
        published.refresh_from_db()
        assert published.updated_at is not None

    def test_corrections_of_unpublished_claims_are_not_public(self, client, published, chief):
        editorial.claim_record_correction(claim=published, by=chief, note="Hidden after unpublishing.")
        editorial.unpublish(obj=published, by=chief)
        assert "Hidden after unpublishing." not in client.get(reverse("corrections")).text


class TestRevisions:
    def test_every_admin_save_of_a_claim_and_its_sources_is_a_revision(self, chief):
        client = _client(chief)
        client.post(reverse("admin:claims_claim_add"), _claim_post(ArticleFactory()))
        claim = Claim.objects.get()
        _post_change(client, claim, ruling="True, as the memo shows.")
        claim.refresh_from_db()
        _post_change(client, claim, **{"sources-0-quote": "a different quote"})
        revisions = list(Revision.objects.order_by("at", "id"))
        assert [r.comment for r in revisions] == ["Created", "Edited", "Edited"]
        assert revisions[1].changes == ["ruling"] and revisions[1].by == chief
        assert revisions[2].changes == ["sources"]

    def test_saving_without_changes_adds_no_revision(self, chief):
        client = _client(chief)
        client.post(reverse("admin:claims_claim_add"), _claim_post(ArticleFactory()))
        claim = Claim.objects.get()
        _post_change(client, claim)
        assert Revision.objects.count() == 1

    def test_quiz_question_edits_are_revisions(self, chief):
        quiz = QuizFactory()
        question = QuestionFactory(quiz=quiz, choices=[("A", True), ("B", False)])
        data = {
            "title": quiz.title,
            "slug": quiz.slug,
            "article": quiz.article.pk,
            "intro": "",
            "review_note": "",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-id": question.pk,
            "questions-0-quiz": quiz.pk,
            **{f"questions-0-{k}": v for k, v in _question("Edited prompt?", [("A", False), ("B", True)]).items()},
        }
        response = _client(chief).post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data)
        assert response.status_code == 302
        revision = Revision.objects.get()
        assert revision.changes and revision.data["questions"][0]["prompt"] == "Edited prompt?"
        assert revision.data["questions"][0]["choices"] == ["· A", "✓ B"]

    def test_revisions_can_be_compared_field_by_field(self, chief):
        client = _client(chief)
        client.post(reverse("admin:claims_claim_add"), _claim_post(ArticleFactory()))
        claim = Claim.objects.get()
        _post_change(client, claim, ruling="A new bottom line.", verdict=Verdict.MOSTLY_TRUE)
        first, second = Revision.objects.order_by("at", "id")
        url = reverse("admin:claims_claim_revisions", args=[claim.pk])
        page = client.get(url)
        assert page.status_code == 200 and "with the one before" in page.text
        compared = client.get(url, {"a": first.pk, "b": second.pk})
        assert "ruling <strong>(changed)</strong>" in compared.text
        assert "A new bottom line." in compared.text and "True, as the documents show." in compared.text
        # Labels and titles, not stored codes and ids.
        assert "<td>Mostly true</td>" in compared.text and "mostly-true" not in compared.text
        assert f"<td>{claim.article.title}</td>" in compared.text and "<td>Draft</td>" in compared.text

    def test_publishing_is_in_the_history(self, submitted, chief):
        editorial.approve(obj=submitted, by=chief)
        editorial.publish(obj=submitted, by=chief)
        comments = list(Revision.objects.order_by("at", "id").values_list("comment", flat=True))
        assert comments[-1] == "Published"


class TestPreview:
    def test_draft_quiz_preview_for_editors_only(self, client, editor):
        quiz = QuizFactory(title="A draft quiz")
        QuestionFactory(quiz=quiz)
        assert client.get(quiz.get_absolute_url()).status_code == 404
        response = _client(editor).get(quiz.get_absolute_url())
        assert response.status_code == 200
        assert "This is a draft" in response.text and 'content="noindex, nofollow"' in response.text
        assert "no-store" in response["Cache-Control"]

    def test_preview_attempts_never_count(self, editor):
        quiz = QuizFactory()
        QuestionFactory(quiz=quiz)
        client = _client(editor)
        client.post(reverse("quiz-start", args=[quiz.slug]))
        assert quiz.attempts.get().counted is False

    def test_admin_links_to_the_preview(self, editor):
        claim = ClaimFactory()
        html = _client(editor).get(reverse("admin:claims_claim_change", args=[claim.pk])).text
        assert f'href="{claim.get_absolute_url()}"' in html and "Preview as readers will see it" in html


class TestQuizBuilder:
    def test_action_makes_true_or_false_questions_in_a_draft_quiz(self, editor):
        article = ArticleFactory()
        true_claim = PublishedClaimFactory(article=article, verdict=Verdict.TRUE, claimant="Wilson")
        false_claim = PublishedClaimFactory(article=article, verdict=Verdict.FALSE)
        published_quiz = PublishedQuizFactory(article=article)
        response = _client(editor).post(
            reverse("admin:claims_claim_changelist"),
            {"action": "make_quiz_questions", "_selected_action": [true_claim.pk, false_claim.pk]},
        )
        quiz = Quiz.objects.exclude(pk=published_quiz.pk).get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "admin:claims_quiz_change", args=[quiz.pk]
        )
        assert quiz.status == Status.DRAFT and quiz.article == article and quiz.author == editor
        first, second = quiz.questions.get(claim=true_claim), quiz.questions.get(claim=false_claim)
        assert first.prompt == f"True or false? Wilson said: “{true_claim.statement}”"
        assert first.correct_choice.text == "True" and second.correct_choice.text == "False"
        assert first.explanation == true_claim.ruling
        assert published_quiz.questions.count() == 3, "the published quiz is untouched"

    @pytest.mark.parametrize("verdict", [Verdict.MOSTLY_TRUE, Verdict.MOSTLY_FALSE, Verdict.HALF_TRUE])
    def test_nuanced_verdicts_are_never_true_or_false_questions(self, editor, verdict):
        claim = PublishedClaimFactory(verdict=verdict)
        question = editorial.question_from_claim(claim=claim, by=editor)
        assert question.prompt.startswith("Which is right?")
        assert question.correct_choice.text == claim.get_verdict_display() and question.choices.count() == 6

    def test_unproven_claim_becomes_a_which_is_right_question(self, editor):
        claim = PublishedClaimFactory(verdict=Verdict.UNPROVEN)
        question = editorial.question_from_claim(claim=claim, by=editor)
        assert question.prompt.startswith("Which is right?")
        assert question.correct_choice.text == "Unproven" and question.choices.count() == 6

    def test_claim_without_article_is_skipped_with_a_reason(self, editor):
        claim = PublishedClaimFactory(article=None, statement="Loose claim")
        response = _client(editor).post(
            reverse("admin:claims_claim_changelist"),
            {"action": "make_quiz_questions", "_selected_action": [claim.pk]},
            follow=True,
        )
        assert (
            "No question was made from “Loose claim”. This fact-check has no article, and quizzes are about articles."
            in _messages(response)
        )
        assert not Question.objects.exists()

    def test_quiz_admin_warns_about_questions_that_need_a_look(self, chief):
        quiz = QuizFactory()
        QuestionFactory(quiz=quiz, claim=None)
        QuestionFactory(quiz=quiz, claim=ClaimFactory(statement="Draft backing claim"))
        changed = QuestionFactory(quiz=quiz, claim=PublishedClaimFactory(verdict=Verdict.TRUE))
        Claim.objects.filter(pk=changed.claim.pk).update(verdict=Verdict.FALSE, modified_at=timezone.now())
        messages = _messages(_client(chief).get(reverse("admin:claims_quiz_change", args=[quiz.pk])))
        assert "Question 1: it has no backing fact-check." in messages
        assert any(m.startswith("Question 2: its fact-check “Draft backing claim” is not published") for m in messages)
        assert "Question 3: its fact-check's verdict changed to False after it was written." in messages


def test_publish_button_appears_only_with_enough_approvals(submitted, chief, other_chief):
    url = reverse("admin:claims_claim_change", args=[submitted.pk])
    assert 'name="_publish"' not in _client(chief).get(url).text
    editorial.approve(obj=submitted, by=other_chief)
    html = _client(chief).get(url).text
    assert 'name="_publish"' in html and 'name="_approve"' in html
    assert 'name="_approve"' not in _client(other_chief).get(url).text, "already approved: nothing to add"


def test_groups_come_back_after_a_flush_or_a_deletion():
    from django.core.management import call_command

    Group.objects.filter(name__in=["Editor", "Chief editor"]).delete()
    call_command("migrate", verbosity=0)  # post_migrate runs even when there is nothing to migrate
    chief = Group.objects.get(name="Chief editor")
    assert chief.permissions.filter(codename="publish_claim").exists()
    assert Group.objects.get(name="Editor").permissions.filter(codename="change_claim").exists()


class TestReviewIsNotBypassed:
    """Found in review: edits that would reach readers without a chief editor's eyes."""

    def test_editor_gets_a_published_claim_read_only_and_cannot_post_edits(self, client, editor):
        claim = PublishedClaimFactory(statement="The published statement.")
        page = _client(editor).get(reverse("admin:claims_claim_change", args=[claim.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.text
        response = _post_change(
            _client(editor), claim, statement="EDITED WITHOUT REVIEW", **{"sources-0-quote": "a made-up quote"}
        )
        assert response.status_code == 403
        claim.refresh_from_db()
        assert claim.statement == "The published statement." and claim.sources.get().quote != "a made-up quote"

    def test_editing_in_review_voids_earlier_approvals(self, submitted, editor, chief):
        editorial.approve(obj=submitted, by=chief)
        response = _post_change(_client(editor), submitted, statement="Changed after approval.")
        assert any("approvals given before this edit no longer count" in m for m in _messages(response))
        submitted.refresh_from_db()
        assert submitted.status == Status.IN_REVIEW and editorial.approvers(submitted) == []
        with pytest.raises(ValidationError) as error:
            editorial.publish(obj=submitted, by=chief)
        assert error.value.error_dict["__all__"][0].code == "needs_approval"

    def test_approving_without_edits_keeps_the_approval(self, submitted, chief):
        _post_change(_client(chief), submitted, _approve="1")
        submitted.refresh_from_db()
        assert editorial.approvers(submitted) == [f"user:{chief.pk}"]

    def test_editor_cannot_change_add_or_delete_questions_of_a_published_quiz(self, editor):
        quiz = PublishedQuizFactory(questions=2)
        question = quiz.questions.first()
        client = _client(editor)
        data = {"quiz": quiz.pk, **_question("Rewritten?", [("A", True), ("B", False)])}
        assert client.post(reverse("admin:claims_question_change", args=[question.pk]), data).status_code == 403
        assert client.post(reverse("admin:claims_question_add"), data).status_code == 403
        client.post(
            reverse("admin:claims_question_changelist"),
            {"action": "delete_selected", "_selected_action": [question.pk], "post": "yes"},
        )
        question.refresh_from_db()
        assert question.prompt != "Rewritten?" and quiz.questions.count() == 2

    def test_revisions_page_with_a_malformed_id_is_404(self, chief):
        assert _client(chief).get("/admin/claims/claim/abc/revisions/").status_code == 404

    def test_a_new_slug_cannot_take_over_another_claims_old_permalink(self, client, chief):
        first = PublishedClaimFactory(slug="first-old")
        first.slug = "first-new"
        editorial.claim_save(claim=first, sources=list(first.sources.all()), by=chief, minor_edit=True)
        other = PublishedClaimFactory(slug="other")
        response = _post_change(_client(chief), other, slug="first-old", minor_edit="on")
        assert "old permalink of another fact-check" in response.text
        assert client.get("/claims/first-old/")["Location"] == "/claims/first-new/"
