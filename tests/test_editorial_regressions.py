"""One regression test per defect of the editorial write path, reproduced first through the admin's real views
(with the crafted POSTs an attacker would send), then, where useful, against the editorial action itself.

Each defect was real before claims/editorial/ existed; the tests name them by number (see the report of the
change that added this file):
 1. a question could be moved from a draft quiz into a published one;
 2. editing a question of a quiz in review kept the approvals given before the edit;
 3. articles had no review: Editors changed published text, and quoted passages could silently disappear;
 4. an evidence quote that is not in the article could be submitted;
 5. a quiz could be published with a question backed by an unpublished fact-check;
 6. the quiz builder made broken "Which is right?" questions and True-or-false ones from "Mostly" verdicts;
 7. publishing without an actor was possible;
 8. refusal messages were glued fragments;
 9. renaming a claim made (or lost) the wrong permalink redirects.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import editorial
from claims.editorial import rules
from claims.models import (
    Article,
    Choice,
    Claim,
    ClaimSlugRedirect,
    Correction,
    Question,
    Quiz,
    ReviewAction,
    Source,
    Status,
)
from claims.verdicts import Verdict
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    EditorFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    QuestionFactory,
    QuizFactory,
    take_quiz,
)
from tests.helpers.admin_posts import (
    article_post,
    change_url,
    changelist_url,
    client_for,
    form_data,
    messages_of,
)

pytestmark = pytest.mark.django_db

ARTICLE_BODY = (
    "First paragraph of the article.\n\nSecond paragraph, with a quotable sentence in it.\n\nThird paragraph."
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REQUIRED_APPROVALS = 1


@pytest.fixture
def editor():
    return EditorFactory(username="eda")


@pytest.fixture
def chief():
    return ChiefEditorFactory(username="cleo")


@pytest.fixture
def other_chief():
    return ChiefEditorFactory(username="carl")


# -- content, made through the actions --


def write_claim(author, *, article=None, quote="a quotable sentence", slug="the-claim", **fields) -> Claim:
    values = {
        "statement": "The border is closed.",
        "claimant": "A spokesperson",
        "verdict": Verdict.FALSE,
        "ruling": "False. The article says otherwise.",
        **fields,
    }
    claim = Claim(slug=slug, article=article or ArticleFactory(body=ARTICLE_BODY), **values)
    source = Source(publisher="Example News", title="The article", quote=quote)
    return editorial.claim_save(claim=claim, sources=[source], by=author)


def write_quiz(author, *, backing: Claim, slug="the-quiz", choices=(("True", True), ("False", False))) -> Quiz:
    question = Question(prompt="True or false?", explanation="Because the record says so.", claim=backing)
    quiz = Quiz(article=backing.article, title="The quiz", slug=slug)
    return editorial.quiz_save(quiz=quiz, questions=[editorial.QuestionDraft(question, list(choices))], by=author)


def review(obj, *, author, approver, publish: bool = True):
    """Submit as `author`, approve as `approver`, and publish as `approver` unless told not to."""
    obj = editorial.submit_for_review(obj=obj, by=author)
    editorial.approve(obj=obj, by=approver)
    return editorial.publish(obj=obj, by=approver) if publish else obj


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]


def choices_of(question: Question) -> list[tuple[str, bool]]:
    return list(Choice.objects.filter(question=question).order_by("position", "id").values_list("text", "is_correct"))


def refresh(obj):
    obj.refresh_from_db()
    return obj


# -- 1. a question never moves to another quiz --


class TestQuestionsStayInTheirQuiz:
    def test_the_question_admin_refuses_moving_a_question_into_a_published_quiz(self, editor):
        draft_question = QuestionFactory(quiz=QuizFactory(), choices=[("A", True), ("B", False)])
        published = PublishedQuizFactory(questions=2)
        client = client_for(editor)
        url = reverse("admin:claims_question_change", args=[draft_question.pk])
        page = client.get(url)
        assert page.status_code == 200 and 'name="_save"' not in page.text, "read-only: edited on its quiz's page"
        data = {
            "quiz": published.pk,
            "prompt": "Moved?",
            "explanation": "Because.",
            "position": "1",
            "claim": "",
            "choice_1": "A",
            "correct_1": "on",
            "choice_2": "B",
        }
        assert client.post(url, data).status_code == 403
        assert client.post(reverse("admin:claims_question_add"), data).status_code == 403
        assert refresh(draft_question).quiz_id != published.pk
        assert draft_question.prompt != "Moved?"
        assert published.questions.count() == 2

    def test_a_crafted_quiz_post_with_another_quizs_question_id_moves_nothing(self, editor):
        backing = PublishedClaimFactory()
        mine = write_quiz(editor, backing=backing)
        own_question = mine.questions.get()
        published = PublishedQuizFactory(questions=2)
        foreign = published.questions.order_by("position").first()
        foreign_before = (foreign.quiz_id, foreign.prompt, choices_of(foreign))
        client = client_for(editor)
        data = form_data(client.get(change_url(mine)))
        assert data["questions-0-id"] == str(own_question.pk)
        data["questions-0-id"] = str(foreign.pk)
        data["questions-0-prompt"] = "Taken over?"

        response = client.post(change_url(mine), data)

        refused = response.status_code == 200 and bool(response.context["errors"])
        assert refused, "the crafted POST must be refused (an invalid form), not saved"
        assert (refresh(foreign).quiz_id, foreign.prompt, choices_of(foreign)) == foreign_before
        assert published.questions.count() == 2
        assert list(mine.questions.values_list("pk", "prompt")) == [(own_question.pk, own_question.prompt)]

    def test_on_a_published_quiz_the_crafted_id_does_not_replace_a_question_and_its_answers(self, chief):
        """The same crafted POST by a chief editing a published quiz: the question the row stood for must keep
        its id, and the readers' answers to it (Answer.question cascades)."""
        quiz = PublishedQuizFactory(questions=1)
        question = quiz.questions.get()
        take_quiz(quiz, right=1)
        foreign = PublishedQuizFactory(questions=1).questions.get()
        client = client_for(chief)
        data = form_data(client.get(change_url(quiz)))
        data["questions-0-id"] = str(foreign.pk)

        response = client.post(change_url(quiz), data)

        assert response.status_code == 200 and response.context["errors"], "the crafted POST must be refused"
        assert list(quiz.questions.values_list("pk", flat=True)) == [question.pk]
        assert question.answers.count() == 1 and refresh(foreign).quiz_id != quiz.pk

    def test_the_same_crafted_id_in_a_claims_sources_is_refused(self, editor):
        """The claim form has the same inline rows: another fact-check's source id must be refused too (the
        action's "foreign_source" rule), not turned into a new row that replaces this claim's own source."""
        claim = write_claim(editor)
        own_source = claim.sources.get()
        other = write_claim(editor, slug="another-claim", statement="Another statement.")
        foreign = other.sources.get()
        client = client_for(editor)
        data = form_data(client.get(change_url(claim)))
        assert data["sources-0-id"] == str(own_source.pk)
        data["sources-0-id"] = str(foreign.pk)

        response = client.post(change_url(claim), data)

        assert response.status_code == 200 and response.context["errors"], "the crafted POST must be refused"
        assert list(claim.sources.values_list("pk", flat=True)) == [own_source.pk]
        assert refresh(foreign).claim_id == other.pk

    def test_the_action_refuses_another_quizs_question(self, editor):
        mine = write_quiz(editor, backing=PublishedClaimFactory())
        published = PublishedQuizFactory(questions=2)
        foreign = published.questions.order_by("position").first()
        foreign.prompt = "Taken over?"
        draft = editorial.QuestionDraft(foreign, [("Yes", True), ("No", False)])
        with pytest.raises(ValidationError) as excinfo:
            editorial.quiz_save(quiz=refresh(mine), questions=[draft], by=editor)
        assert excinfo.value.error_dict["questions.0"][0].code == "question_of_another_quiz"
        assert refresh(foreign).quiz_id == published.pk and foreign.prompt != "Taken over?"
        assert published.questions.count() == 2 and mine.questions.count() == 1


# -- 2. an edit of a question in review voids the approvals given before it --


class TestQuestionEditsVoidApprovals:
    @pytest.fixture
    def approved_quiz(self, editor, chief):
        quiz = write_quiz(editor, backing=PublishedClaimFactory())
        quiz = review(quiz, author=editor, approver=chief, publish=False)
        assert editorial.approvers(quiz) == [f"user:{chief.pk}"]
        return quiz

    def test_flipping_the_right_answer_in_the_quiz_admin_voids_the_approval(self, approved_quiz, editor, other_chief):
        client = client_for(editor)
        data = form_data(client.get(change_url(approved_quiz)))
        assert data.get("questions-0-correct_1") == "on" and "questions-0-correct_2" not in data
        del data["questions-0-correct_1"]
        data["questions-0-correct_2"] = "on"
        response = client.post(change_url(approved_quiz), data)
        assert response.status_code == 302
        question = approved_quiz.questions.get()
        assert choices_of(question) == [("True", False), ("False", True)]

        quiz = refresh(approved_quiz)
        assert quiz.status == Status.IN_REVIEW and editorial.approvers(quiz) == []
        with pytest.raises(ValidationError) as excinfo:
            editorial.publish(obj=quiz, by=other_chief)
        assert codes(excinfo.value) == ["needs_approval"]
        assert refresh(quiz).status == Status.IN_REVIEW

    def test_a_question_row_written_after_the_approval_voids_it(self, approved_quiz, chief, other_chief):
        approval = approved_quiz.review_events.get(action=ReviewAction.APPROVED)
        later = max(timezone.now(), approval.at + timedelta(microseconds=1))
        Question.objects.filter(quiz=approved_quiz).update(modified_at=later)

        quiz = refresh(approved_quiz)
        assert rules.approvals_count_from(quiz) == later
        assert editorial.approvers(quiz) == []
        with pytest.raises(ValidationError) as excinfo:
            editorial.publish(obj=quiz, by=other_chief)
        assert codes(excinfo.value) == ["needs_approval"]
        assert refresh(quiz).status == Status.IN_REVIEW


# -- 3. articles have review, and their quoted passages are protected --


class TestArticlesHaveReview:
    def test_an_editor_cannot_post_an_edit_of_a_published_articles_body(self, editor, chief):
        article = ArticleFactory(body=ARTICLE_BODY)
        data = form_data(client_for(chief).get(change_url(article)))
        data["body"] = "Rewritten without review."
        assert client_for(editor).post(change_url(article), data).status_code == 403
        assert refresh(article).body == ARTICLE_BODY

    @pytest.fixture
    def quoted(self):
        article = ArticleFactory(body=ARTICLE_BODY)
        claim = PublishedClaimFactory(article=article, statement="The border was closed on Monday.")
        return article, claim

    def test_a_chief_edit_removing_a_quoted_passage_is_refused_at_the_body(self, quoted, chief):
        article, claim = quoted
        client = client_for(chief)
        data = form_data(client.get(change_url(article)))
        data["body"] = "First paragraph of the article.\n\nThird paragraph."
        response = client.post(change_url(article), data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors.as_data()
        assert [e.code for e in errors["body"]] == ["orphans_published_quotes"]
        assert claim.statement in errors["body"][0].message
        assert refresh(article).body == ARTICLE_BODY and not Correction.objects.exists()

        article.body = "First paragraph of the article.\n\nThird paragraph."
        with pytest.raises(ValidationError) as excinfo:
            editorial.article_save(article=article, by=chief)
        body_errors = excinfo.value.error_dict["body"]
        assert [e.code for e in body_errors] == ["orphans_published_quotes"]
        assert claim.statement in body_errors[0].message
        assert Article.objects.get(pk=article.pk).body == ARTICLE_BODY

    def test_with_a_correction_note_the_edit_is_saved_and_the_claim_shows_a_correction(self, quoted, chief):
        article, claim = quoted
        client = client_for(chief)
        data = form_data(client.get(change_url(article)))
        data["body"] = "First paragraph of the article.\n\nThird paragraph."
        data["correction_note"] = "The publisher removed the second paragraph."
        response = client.post(change_url(article), data)
        assert response.status_code == 302
        assert refresh(article).body == "First paragraph of the article.\n\nThird paragraph."
        correction = Correction.objects.public().get(claim=claim)
        assert "The publisher removed the second paragraph." in correction.note
        assert "The publisher removed the second paragraph." in Client().get(claim.get_absolute_url()).text

    def test_a_new_article_is_a_draft_that_readers_see_only_once_published_through_review(self, editor, chief):
        response = client_for(editor).post(reverse("admin:claims_article_add"), article_post())
        assert response.status_code == 302
        article = Article.objects.get(slug="a-new-article")
        assert article.status == Status.DRAFT and article.author == editor
        reader = Client()
        assert reader.get("/articles/a-new-article/").status_code == 404

        for user, button in ((editor, "_submit"), (chief, "_approve"), (chief, "_publish")):
            assert reader.get("/articles/a-new-article/").status_code == 404
            client = client_for(user)
            data = form_data(client.get(change_url(article)))
            response = client.post(change_url(article), {**data, button: "1"}, follow=True)
            assert not any("was not" in m for m in messages_of(response)), messages_of(response)

        assert refresh(article).status == Status.PUBLISHED
        assert reader.get("/articles/a-new-article/").status_code == 200


# -- 4. an evidence quote must be in the article --


class TestQuotesMustBeInTheArticle:
    def test_submitting_a_claim_whose_quote_is_not_in_the_article_is_refused_at_the_quote(self, editor):
        claim = write_claim(editor, quote="words the article never printed")
        client = client_for(editor)
        data = form_data(client.get(change_url(claim)))
        response = client.post(change_url(claim), {**data, "_submit": "1"})
        assert response.status_code == 200
        assert "quote is not in the article word for word" in response.text
        source_form = response.context["inline_admin_formsets"][0].formset.forms[0]
        assert [e.code for e in source_form.errors.as_data()["quote"]] == ["quote_not_in_article"]
        assert refresh(claim).status == Status.DRAFT

        with pytest.raises(ValidationError) as excinfo:
            editorial.submit_for_review(obj=claim, by=editor)
        assert [e.code for e in excinfo.value.error_dict["sources.0.quote"]] == ["quote_not_in_article"]
        assert refresh(claim).status == Status.DRAFT

    BODY = "The minister said “we will not\nraise taxes” on Tuesday.\n\nAnother paragraph."
    QUOTE = 'said "we will not raise\ntaxes"'

    def test_a_quote_differing_only_in_quotation_marks_and_line_breaks_is_accepted(self, editor):
        claim = write_claim(editor, article=ArticleFactory(body=self.BODY), quote=self.QUOTE)
        assert editorial.submit_for_review(obj=claim, by=editor).status == Status.IN_REVIEW

    def test_the_same_quote_through_the_admin(self, editor):
        claim = write_claim(editor, article=ArticleFactory(body=self.BODY), quote=self.QUOTE)
        client = client_for(editor)
        data = form_data(client.get(change_url(claim)))
        assert data["sources-0-quote"].replace("\r\n", "\n") == self.QUOTE
        response = client.post(change_url(claim), {**data, "_submit": "1"}, follow=True)
        assert response.status_code == 200
        assert any("is submitted for review" in m for m in messages_of(response)), messages_of(response)
        assert refresh(claim).status == Status.IN_REVIEW


# -- 5. a quiz is published only with every question backed by a published fact-check --


class TestBackingClaimsArePublished:
    def test_a_quiz_backed_by_a_draft_fact_check_cannot_be_submitted(self, editor):
        quiz = write_quiz(editor, backing=write_claim(editor))
        client = client_for(editor)
        data = form_data(client.get(change_url(quiz)))
        response = client.post(change_url(quiz), {**data, "_submit": "1"})
        # To be submitted, the fact-check needs to be submitted at least (it may be published with it, after it).
        assert response.status_code == 200 and "which is still a draft: submit it for review first" in response.text
        question_form = response.context["inline_admin_formsets"][0].formset.forms[0]
        assert [e.code for e in question_form.errors.as_data()["claim"]] == ["backing_claim_unpublished"]
        assert refresh(quiz).status == Status.DRAFT

        with pytest.raises(ValidationError) as excinfo:
            editorial.submit_for_review(obj=quiz, by=editor)
        assert [e.code for e in excinfo.value.error_dict["questions.0.claim"]] == ["backing_claim_unpublished"]
        assert refresh(quiz).status == Status.DRAFT

    def test_an_article_its_fact_check_and_their_quiz_go_to_review_together_and_out_in_order(self, editor, chief):
        """A chief editor reviews a story's article, fact-checks and quiz in one sitting: each may be submitted once
        what it rests on is submitted, and is published only after it."""
        article = editorial.article_save(
            article=Article(title="A story", slug="a-story", body=ARTICLE_BODY, publisher="Example News"), by=editor
        )
        claim = write_claim(editor, article=article)
        quiz = write_quiz(editor, backing=claim)
        with pytest.raises(ValidationError) as excinfo:
            editorial.submit_for_review(obj=claim, by=editor)  # its article is still a draft
        assert codes(excinfo.value) == ["article_unpublished"]
        assert "still a draft: submit it for review first" in str(excinfo.value)

        for obj in (article, claim, quiz):
            editorial.submit_for_review(obj=obj, by=editor)
            editorial.approve(obj=obj, by=chief)
        with pytest.raises(ValidationError) as excinfo:
            editorial.publish(obj=quiz, by=chief)
        assert sorted(codes(excinfo.value)) == ["article_unpublished", "backing_claim_unpublished"]
        with pytest.raises(ValidationError) as excinfo:
            editorial.publish(obj=claim, by=chief)
        assert codes(excinfo.value) == ["article_unpublished"]
        assert refresh(quiz).status == refresh(claim).status == Status.IN_REVIEW

        for obj in (article, claim, quiz):
            editorial.publish(obj=obj, by=chief)
        assert [refresh(o).status for o in (article, claim, quiz)] == [Status.PUBLISHED] * 3

    @pytest.fixture
    def approved_quiz_of_an_unpublished_claim(self, editor, chief):
        claim = review(write_claim(editor), author=editor, approver=chief)
        quiz = review(write_quiz(editor, backing=claim), author=editor, approver=chief, publish=False)
        editorial.unpublish(obj=claim, by=chief)
        assert refresh(claim).status == Status.DRAFT
        return quiz

    def test_nor_published_once_its_fact_check_was_unpublished(self, approved_quiz_of_an_unpublished_claim, chief):
        quiz = approved_quiz_of_an_unpublished_claim
        with pytest.raises(ValidationError) as excinfo:
            editorial.publish(obj=quiz, by=chief)
        assert codes(excinfo.value) == ["backing_claim_unpublished"]
        assert refresh(quiz).status == Status.IN_REVIEW

    def test_nor_through_the_admins_publish_action(self, approved_quiz_of_an_unpublished_claim, chief):
        quiz = approved_quiz_of_an_unpublished_claim
        response = client_for(chief).post(
            changelist_url(Quiz), {"action": "publish_selected", "_selected_action": [quiz.pk]}, follow=True
        )
        assert any("was not published" in m and "which is not published" in m for m in messages_of(response))
        assert refresh(quiz).status == Status.IN_REVIEW

    def test_a_published_quiz_keeps_its_fact_checks_published(self, editor, chief):
        """Found while writing these tests: unpublishing a fact-check that a published quiz's question rests on
        leaves readers a quiz whose "Read the fact-check" link is a 404. It should be refused, as unpublishing
        an article that published fact-checks quote is (or the quiz should go back to draft with it)."""
        claim = review(write_claim(editor), author=editor, approver=chief)
        quiz = review(write_quiz(editor, backing=claim), author=editor, approver=chief)
        with pytest.raises(ValidationError):
            editorial.unpublish(obj=claim, by=chief)
        assert refresh(claim).status == Status.PUBLISHED and refresh(quiz).status == Status.PUBLISHED


# -- 6. the quiz builder --


class TestQuizBuilder:
    @pytest.mark.parametrize("verdict", [Verdict.UNPROVEN, Verdict.HALF_TRUE])
    def test_which_is_right_question_with_six_choices_survives_an_untouched_save(self, editor, verdict):
        claim = PublishedClaimFactory(verdict=verdict, claimant="Wilson")
        question = editorial.question_from_claim(claim=claim, by=editor)
        assert question.prompt.startswith("Which is right? Wilson said:")
        made = choices_of(question)
        assert [text for text, _correct in made] == [label for _value, label in Verdict.choices]
        assert [text for text, correct in made if correct] == [Verdict(verdict).label]

        client = client_for(editor)
        page = client.get(change_url(question.quiz))
        data = form_data(page)
        assert [data[f"questions-0-choice_{n}"] for n in range(1, 7)] == [text for text, _ in made]
        response = client.post(change_url(question.quiz), data)
        assert response.status_code == 302, response.context and response.context["errors"]
        assert choices_of(question) == made

    def test_the_bulk_action_makes_the_right_kind_of_question_for_each_verdict(self, editor):
        article = ArticleFactory()
        claims = {
            verdict: PublishedClaimFactory(article=article, verdict=verdict)
            for verdict in (Verdict.TRUE, Verdict.MOSTLY_TRUE, Verdict.HALF_TRUE, Verdict.MOSTLY_FALSE,
                            Verdict.FALSE, Verdict.UNPROVEN)
        }  # fmt: skip
        published_quiz = PublishedQuizFactory(article=article)
        response = client_for(editor).post(
            changelist_url(Claim),
            {"action": "make_quiz_questions", "_selected_action": [c.pk for c in claims.values()]},
        )
        quiz = Quiz.objects.exclude(pk=published_quiz.pk).get()
        assert response.status_code == 302 and response["Location"] == change_url(quiz)
        assert quiz.status == Status.DRAFT and published_quiz.questions.count() == 3
        for verdict, claim in claims.items():
            question = quiz.questions.get(claim=claim)
            choices = choices_of(question)
            assert sum(correct for _text, correct in choices) == 1
            if verdict in (Verdict.TRUE, Verdict.FALSE):
                assert question.prompt.startswith("True or false?")
                assert choices == [("True", verdict == Verdict.TRUE), ("False", verdict == Verdict.FALSE)]
            else:
                assert question.prompt.startswith("Which is right?"), verdict
                assert len(choices) == 6 and dict(choices)[Verdict(verdict).label] is True

    @pytest.mark.parametrize("verdict", [Verdict.MOSTLY_TRUE, Verdict.MOSTLY_FALSE])
    def test_a_mostly_verdict_is_never_a_true_or_false_question(self, editor, verdict):
        question = editorial.question_from_claim(claim=PublishedClaimFactory(verdict=verdict), by=editor)
        assert question.prompt.startswith("Which is right?")
        assert ("True", True) not in choices_of(question) and ("False", True) not in choices_of(question)
        assert [text for text, correct in choices_of(question) if correct] == [Verdict(verdict).label]

    @pytest.mark.parametrize(("verdict", "right"), [(Verdict.TRUE, "True"), (Verdict.FALSE, "False")])
    def test_only_plain_true_or_false_make_true_or_false_questions(self, editor, verdict, right):
        question = editorial.question_from_claim(claim=PublishedClaimFactory(verdict=verdict), by=editor)
        assert question.prompt.startswith("True or false?")
        assert [text for text, correct in choices_of(question) if correct] == [right]
        assert len(choices_of(question)) == 2


# -- 7. no action without an actor --


class TestNoActionWithoutAnActor:
    @pytest.fixture
    def approved_claim(self, editor, chief):
        return review(write_claim(editor), author=editor, approver=chief, publish=False)

    def test_publish_by_none_or_without_by_is_refused_and_publishes_nothing(self, approved_claim):
        with pytest.raises(PermissionDenied):
            editorial.publish(obj=approved_claim, by=None)
        with pytest.raises(TypeError):
            editorial.publish(obj=approved_claim)
        claim = refresh(approved_claim)
        assert claim.status == Status.IN_REVIEW and claim.published_at is None
        assert not claim.review_events.filter(action=ReviewAction.PUBLISHED).exists()
        assert Client().get(claim.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("action", ["submit_for_review", "approve", "send_back", "publish", "unpublish", "delete"])
    def test_every_review_action_refuses_nobody(self, approved_claim, action):
        extra = {"note": "A note."} if action == "send_back" else {}
        with pytest.raises(PermissionDenied):
            getattr(editorial, action)(obj=approved_claim, by=None, **extra)
        with pytest.raises(TypeError):
            getattr(editorial, action)(obj=approved_claim, **extra)
        assert refresh(approved_claim).status == Status.IN_REVIEW

    def test_an_inactive_editor_is_nobody(self, approved_claim, other_chief):
        other_chief.is_active = False
        other_chief.save()
        with pytest.raises(PermissionDenied):
            editorial.publish(obj=approved_claim, by=other_chief)
        assert refresh(approved_claim).status == Status.IN_REVIEW


# -- 8. refusal messages are whole sentences --

GLUED = re.compile(r"\b[a-z]+ (You|It|This|Only|Nothing|Give|Choose|Add|Write|Copy)\b")


def assert_whole_sentences(message: str) -> None:
    assert GLUED.search(message) is None, message
    assert ".." not in message and " ." not in message, message
    assert re.match(r"[A-Z“\"]", message), message
    assert message.endswith("."), message


class TestRefusalsAreWholeSentences:
    def test_an_editor_pressing_publish_reads_whole_sentences(self, editor, chief):
        claim = review(write_claim(editor), author=editor, approver=chief, publish=False)
        client = client_for(editor)
        data = form_data(client.get(change_url(claim)))
        response = client.post(change_url(claim), {**data, "_publish": "1"}, follow=True)
        refusals = [m for m in messages_of(response) if "not published" in m]
        assert refusals == [f"“{claim}” was not published. Only a chief editor can publish claims."]
        assert_whole_sentences(refusals[0])
        assert refresh(claim).status == Status.IN_REVIEW

    def test_the_bulk_actions_refusals_too(self, editor, chief):
        unapproved = editorial.submit_for_review(obj=write_claim(editor), by=editor)
        draft = write_claim(editor, slug="a-draft", statement="Still a draft.")
        response = client_for(chief).post(
            changelist_url(Claim),
            {"action": "publish_selected", "_selected_action": [unapproved.pk, draft.pk]},
            follow=True,
        )
        refusals = [m for m in messages_of(response) if "not published" in m]
        assert len(refusals) == 2
        for message in refusals:
            assert_whole_sentences(message)
        assert (refresh(unapproved).status, refresh(draft).status) == (Status.IN_REVIEW, Status.DRAFT)

    def test_every_problem_of_the_rules_is_a_sentence(self, editor):
        claim = Claim(slug="bare", statement="Bare.", claimant="Someone", article=ArticleFactory(status=Status.DRAFT))
        claim = editorial.claim_save(
            claim=claim, sources=[Source(publisher="P", title="T", quote="not there")], by=editor
        )
        with pytest.raises(ValidationError) as excinfo:
            editorial.submit_for_review(obj=claim, by=editor)
        assert len(excinfo.value.messages) >= 4
        for message in excinfo.value.messages:
            assert_whole_sentences(message)


# -- 9. permalinks: a redirect only for an address readers could have shared --


def rename(claim: Claim, slug: str, by) -> Claim:
    claim = Claim.objects.get(pk=claim.pk)
    claim.slug = slug
    return editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=by, minor_edit=True)


class TestPermalinks:
    def test_a_renamed_draft_leaves_no_redirect(self, editor):
        claim = write_claim(editor, slug="working-title")
        client = client_for(editor)
        data = form_data(client.get(change_url(claim)))
        response = client.post(change_url(claim), {**data, "slug": "final-title"})
        assert response.status_code == 302
        assert refresh(claim).slug == "final-title"
        assert not ClaimSlugRedirect.objects.exists()
        rename(claim, "final-final-title", editor)
        assert not ClaimSlugRedirect.objects.exists()

    def test_a_renamed_published_claim_redirects_from_its_old_address(self, editor, chief):
        claim = review(write_claim(editor, slug="old-address"), author=editor, approver=chief)
        client = client_for(chief)
        data = form_data(client.get(change_url(claim)))
        response = client.post(change_url(claim), {**data, "slug": "new-address", "minor_edit": "on"})
        assert response.status_code == 302
        assert ClaimSlugRedirect.objects.get().old_slug == "old-address"
        reply = Client().get("/claims/old-address/")
        assert reply.status_code == 301 and reply["Location"] == "/claims/new-address/"

    def test_a_published_claim_without_a_recorded_publication_still_redirects(self, chief):
        """A claim published before revisions were recorded (or loaded as published) is public now: its
        old address was shared, whatever its revision history says."""
        claim = PublishedClaimFactory(slug="legacy-address")
        rename(claim, "renamed-legacy", chief)
        assert ClaimSlugRedirect.objects.filter(old_slug="legacy-address", claim=claim).exists()
        assert Client().get("/claims/legacy-address/")["Location"] == "/claims/renamed-legacy/"

    def test_only_addresses_it_was_published_under_redirect(self, editor, chief, other_chief):
        claim = review(write_claim(editor, slug="address-a"), author=editor, approver=chief)
        editorial.unpublish(obj=claim, by=chief)
        rename(claim, "address-b", editor)  # a draft now: B is never public
        rename(claim, "address-c", editor)
        assert set(ClaimSlugRedirect.objects.values_list("old_slug", flat=True)) == {"address-a"}

        review(refresh(claim), author=editor, approver=other_chief)
        reader = Client()
        reply = reader.get("/claims/address-a/")
        assert reply.status_code == 301 and reply["Location"] == "/claims/address-c/"
        assert reader.get("/claims/address-b/").status_code == 404
        assert reader.get("/claims/address-c/").status_code == 200


# -- found in an independent review: a second pair of eyes means someone who did not write the change --


class TestApproversDidNotWriteTheChange:
    def test_a_chief_who_edits_a_claim_in_review_cannot_approve_it(self, editor, chief, other_chief):
        claim = write_claim(editor)
        editorial.submit_for_review(obj=claim, by=editor)
        client = client_for(chief)
        data = form_data(client.get(change_url(claim)))
        response = client.post(
            change_url(claim), {**data, "statement": "Rewritten by the chief.", "_approve": "1"}, follow=True
        )
        assert any("You changed this claim since it was last published" in m for m in messages_of(response))
        claim = refresh(claim)
        assert claim.statement == "Rewritten by the chief." and editorial.approvers(claim) == []
        assert 'name="_approve"' not in client.get(change_url(claim)).text
        with pytest.raises(ValidationError) as error:
            editorial.approve(obj=claim, by=chief)
        assert codes(error.value) == ["own_changes"]
        with pytest.raises(ValidationError) as error:
            editorial.publish(obj=claim, by=chief)
        assert codes(error.value) == ["needs_approval"]
        # Another chief editor, who wrote none of it, can.
        editorial.approve(obj=claim, by=other_chief)
        assert editorial.publish(obj=claim, by=chief).status == Status.PUBLISHED

    def test_edits_to_a_draft_count_too(self, editor, chief):
        claim = write_claim(editor)
        claim.explanation = "A paragraph the chief added before submission."
        editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=chief)
        editorial.submit_for_review(obj=claim, by=editor)
        with pytest.raises(ValidationError) as error:
            editorial.approve(obj=claim, by=chief)
        assert codes(error.value) == ["own_changes"]

    def test_reviewing_without_editing_still_counts(self, editor, chief):
        claim = write_claim(editor)
        editorial.submit_for_review(obj=claim, by=editor)
        editorial.approve(obj=claim, by=chief)
        assert editorial.approvers(refresh(claim)) == [f"user:{chief.pk}"]


class TestAdminPathsFoundInReview:
    def test_a_chief_can_delete_a_draft_quiz_with_its_questions(self, chief):
        quiz = QuizFactory()
        QuestionFactory(quiz=quiz)
        client = client_for(chief)
        url = reverse("admin:claims_quiz_delete", args=[quiz.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not Quiz.objects.filter(pk=quiz.pk).exists() and not Question.objects.exists()

    def test_save_as_new_is_refused_and_copies_nothing(self, editor):
        claim = PublishedClaimFactory()
        client = client_for(editor)
        data = form_data(client.get(change_url(write_claim(editor, slug="a-draft"))))
        response = client.post(change_url(claim), {**data, "slug": "a-copy", "_saveasnew": "1"})
        assert response.status_code == 403
        assert not Claim.objects.filter(slug="a-copy").exists()


class TestApproveAndPublish:
    """A chief editor's approval that completes a review can publish in the same step: both or neither."""

    def test_it_approves_and_publishes_with_both_in_the_record(self, editor, chief):
        claim = editorial.submit_for_review(obj=write_claim(editor), by=editor)
        editorial.approve_and_publish(obj=claim, by=chief)
        claim = refresh(claim)
        assert (claim.status, claim.editor) == (Status.PUBLISHED, chief)
        actions = list(claim.review_events.order_by("at", "id").values_list("action", flat=True))
        assert actions[-2:] == [ReviewAction.APPROVED, ReviewAction.PUBLISHED]

    def test_a_refused_publication_leaves_the_approval_unrecorded(self, editor, chief):
        article = editorial.article_save(
            article=Article(title="A story", slug="a-story", body=ARTICLE_BODY, publisher="Example News"), by=editor
        )
        editorial.submit_for_review(obj=article, by=editor)
        claim = editorial.submit_for_review(obj=write_claim(editor, article=article), by=editor)
        with pytest.raises(ValidationError) as excinfo:
            editorial.approve_and_publish(obj=claim, by=chief)  # its article is in review, not published
        assert codes(excinfo.value) == ["article_unpublished"]
        assert refresh(claim).status == Status.IN_REVIEW and editorial.approvers(claim) == []

    def test_the_admin_offers_it_only_when_this_approval_completes_the_review(self, editor, chief, settings):
        claim = editorial.submit_for_review(obj=write_claim(editor), by=editor)
        page = client_for(chief).get(change_url(claim)).text
        assert 'name="_approve"' in page and 'name="_approve_publish"' in page
        settings.REQUIRED_APPROVALS = 2  # this approval would be the first of two
        page = client_for(chief).get(change_url(claim)).text
        assert 'name="_approve"' in page and 'name="_approve_publish"' not in page

    def test_the_button_publishes_and_an_editor_cannot_press_it(self, editor, chief):
        claim = editorial.submit_for_review(obj=write_claim(editor), by=editor)
        other = client_for(EditorFactory(username="other-editor"))
        data = form_data(client_for(chief).get(change_url(claim)))
        response = other.post(change_url(claim), {**data, "_approve_publish": "1"}, follow=True)
        assert refresh(claim).status == Status.IN_REVIEW and editorial.approvers(claim) == []
        assert any("was neither approved nor published" in m for m in messages_of(response)), messages_of(response)
        response = client_for(chief).post(change_url(claim), {**data, "_approve_publish": "1"}, follow=True)
        assert f"“{refresh(claim)}” is approved and published." in messages_of(response)
        assert refresh(claim).status == Status.PUBLISHED
