"""The editorial rules that the models and the editorial actions enforce, whatever form or script writes them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import editorial
from claims.models import Choice, Claim, ClaimSlugRedirect, Question, Status
from claims.models.articles import split_paragraphs
from claims.verdicts import BEST_RATING, SCALE, WORST_RATING, Verdict
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

pytestmark = pytest.mark.django_db


def _contrast(hex_a: str, hex_b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(hex_a), luminance(hex_b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


class TestVerdictScale:
    def test_every_verdict_has_a_rating_with_definition(self):
        assert set(SCALE) == set(Verdict.values)
        for rating in SCALE.values():
            assert rating.label and rating.definition.endswith(".")

    def test_truth_values_are_ordered_from_false_to_true(self):
        order = [Verdict.FALSE, Verdict.MOSTLY_FALSE, Verdict.HALF_TRUE, Verdict.MOSTLY_TRUE, Verdict.TRUE]
        values = [SCALE[v].value for v in order]
        assert values == list(range(WORST_RATING, BEST_RATING + 1))
        assert not SCALE[Verdict.UNPROVEN].is_on_scale

    def test_badge_text_meets_wcag_aa_contrast(self):
        for rating in SCALE.values():
            assert _contrast(rating.colour, "#ffffff") >= 4.5, rating.label

    def test_badges_never_rely_on_colour_alone(self):
        icons = {rating.icon for rating in SCALE.values()}
        assert {"check", "cross", "half", "question"} <= icons


def _codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


@pytest.fixture
def editor():
    return EditorFactory(username="writer")


@pytest.fixture
def chief():
    return ChiefEditorFactory(username="chief")


def _publish(obj, editor, chief):
    """Through the whole review: the author submits, another chief editor approves and publishes."""
    editorial.submit_for_review(obj=obj, by=editor)
    editorial.approve(obj=obj, by=chief)
    return editorial.publish(obj=obj, by=chief)


class TestClaimPublishing:
    def test_claim_without_sources_cannot_be_submitted(self, editor):
        claim = ClaimFactory(author=editor)
        with pytest.raises(ValidationError) as error:
            editorial.submit_for_review(obj=claim, by=editor)
        assert _codes(error.value) == {"no_sources"}
        claim.refresh_from_db()
        assert claim.status == Status.DRAFT and claim.published_at is None

    @pytest.mark.parametrize(("field", "code"), [("verdict", "verdict_missing"), ("ruling", "ruling_missing")])
    def test_claim_needs_verdict_and_ruling(self, editor, field, code):
        claim = ClaimFactory(author=editor, **{field: ""})
        SourceFactory(claim=claim)
        with pytest.raises(ValidationError) as error:
            editorial.submit_for_review(obj=claim, by=editor)
        assert error.value.error_dict[field][0].code == code
        assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT

    def test_complete_claim_publishes_and_gets_a_date(self, editor, chief):
        claim = ClaimFactory(author=editor)
        SourceFactory(claim=claim)
        published = _publish(claim, editor, chief)
        assert published.status == Status.PUBLISHED
        assert published.published_at is not None and published.editor == chief
        assert Claim.objects.published().filter(pk=claim.pk).exists()

    def test_unpublish_takes_it_off_the_published_queryset(self, chief):
        claim = PublishedClaimFactory()
        editorial.unpublish(obj=claim, by=chief)
        assert not Claim.objects.published().filter(pk=claim.pk).exists()


def _rename(claim, slug, chief):
    claim.slug = slug
    return editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=chief, minor_edit=True)


class TestSlugRedirects:
    def test_changing_a_published_slug_keeps_the_old_one_as_a_redirect(self, chief):
        claim = PublishedClaimFactory(slug="old-slug")
        _rename(claim, "new-slug", chief)
        assert ClaimSlugRedirect.objects.get(old_slug="old-slug").claim == claim

    def test_reusing_an_old_slug_removes_its_redirect(self, chief):
        claim = PublishedClaimFactory(slug="first")
        _rename(claim, "second", chief)
        _rename(claim, "first", chief)
        assert list(ClaimSlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]

    def test_a_draft_that_was_never_public_leaves_no_redirect(self, editor):
        claim = ClaimFactory(slug="working-title", author=editor)
        SourceFactory(claim=claim)
        _rename(claim, "final-title", editor)
        assert not ClaimSlugRedirect.objects.exists()


def _quiz_with(questions: list[list[tuple[str, bool]]], editor):
    quiz = QuizFactory(author=editor)
    drafts = [
        editorial.QuestionDraft(Question(prompt=f"Q{n}?", explanation="Why.", position=n), choices)
        for n, choices in enumerate(questions, start=1)
    ]
    return editorial.quiz_save(quiz=quiz, questions=drafts, by=editor)


class TestQuestionRules:
    def test_two_correct_choices_are_refused_by_the_database(self):
        question = QuestionFactory(choices=[("A", True), ("B", False)])
        with pytest.raises(IntegrityError), transaction.atomic():
            Choice.objects.create(question=question, text="C", is_correct=True)

    @pytest.mark.parametrize(
        ("choices", "code"),
        [
            ([("A", True)], "too_few_choices"),
            ([("A", False), ("B", False)], "one_right_answer"),
            ([("A", True), ("B", True)], "one_right_answer"),
            ([("Yes", True), ("yes", False)], "duplicate_choices"),
            ([(str(n), n == 1) for n in range(1, 8)], "too_many_choices"),
        ],
    )
    def test_bad_choices_are_refused_and_nothing_is_saved(self, editor, choices, code):
        quiz = QuizFactory(author=editor)
        draft = editorial.QuestionDraft(Question(prompt="Q?", explanation="Why."), choices)
        with pytest.raises(ValidationError) as error:
            editorial.quiz_save(quiz=quiz, questions=[draft], by=editor)
        assert code in _codes(error.value)
        assert not Question.objects.exists() and not Choice.objects.exists()

    def test_six_choices_are_kept(self, editor):
        quiz = _quiz_with([[(str(n), n == 6) for n in range(1, 7)]], editor)
        question = quiz.questions.get()
        assert question.choices.count() == 6 and question.correct_choice.text == "6"

    def test_choices_are_updated_in_place(self, editor):
        quiz = _quiz_with([[("A", True), ("B", False)]], editor)
        question = quiz.questions.get()
        ids = list(question.choices.values_list("id", flat=True))
        drafts = [editorial.QuestionDraft(question, [("A!", False), ("B!", True), ("C", False)])]
        editorial.quiz_save(quiz=quiz, questions=drafts, by=editor)
        rows = list(question.choices.values_list("id", "text", "is_correct"))
        assert [r[0] for r in rows[:2]] == ids
        assert [(r[1], r[2]) for r in rows] == [("A!", False), ("B!", True), ("C", False)]


class TestQuizPublishing:
    def test_quiz_with_a_broken_question_cannot_be_submitted(self, editor):
        quiz = QuizFactory(author=editor)
        QuestionFactory(quiz=quiz)
        QuestionFactory(quiz=quiz, choices=[("A", False), ("B", False)])
        with pytest.raises(ValidationError) as error:
            editorial.submit_for_review(obj=quiz, by=editor)
        assert error.value.error_dict["questions.1"][0].code == "one_right_answer"
        assert "Question 2:" in error.value.messages[0]
        quiz.refresh_from_db()
        assert quiz.status == Status.DRAFT

    def test_empty_quiz_cannot_be_submitted(self, editor):
        with pytest.raises(ValidationError) as error:
            editorial.submit_for_review(obj=QuizFactory(author=editor), by=editor)
        assert _codes(error.value) == {"no_questions"}

    def test_valid_quiz_publishes(self, editor, chief):
        quiz = QuizFactory(author=editor)
        QuestionFactory(quiz=quiz)
        assert _publish(quiz, editor, chief).status == Status.PUBLISHED

    def test_published_factory_is_valid(self):
        from claims.editorial.rules import readiness

        quiz = PublishedQuizFactory(questions=4)
        assert readiness(quiz) == []
        assert quiz.questions.count() == 4


class TestArticle:
    def test_body_is_kept_as_paragraphs(self):
        assert split_paragraphs("One.\r\n\r\nTwo\nstill two.\n\n \n\nThree.") == ["One.", "Two\nstill two.", "Three."]

    def test_finds_the_paragraph_holding_a_quote(self):
        article = ArticleFactory()
        assert article.paragraph_containing("a quotable sentence") == 2
        assert article.paragraph_containing("not in the article") is None
