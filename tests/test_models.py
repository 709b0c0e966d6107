"""The editorial rules that the models enforce, whatever form or script writes them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Choice, Claim, ClaimSlugRedirect, Status
from claims.models.articles import split_paragraphs
from claims.verdicts import BEST_RATING, SCALE, WORST_RATING, Verdict
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
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


class TestClaimPublishing:
    def test_claim_without_sources_cannot_be_published(self):
        claim = ClaimFactory()
        with pytest.raises(ValidationError, match="at least one source"):
            services.claim_publish(claim=claim)
        claim.refresh_from_db()
        assert claim.status == Status.DRAFT and claim.published_at is None

    @pytest.mark.parametrize(("field", "message"), [("verdict", "choose a verdict"), ("ruling", "write the ruling")])
    def test_claim_needs_verdict_and_ruling(self, field, message):
        claim = ClaimFactory(**{field: ""})
        SourceFactory(claim=claim)
        with pytest.raises(ValidationError, match=message):
            services.claim_publish(claim=claim)
        assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT

    def test_model_validation_refuses_a_published_status_on_an_incomplete_claim(self):
        claim = ClaimFactory(verdict="")
        claim.status = Status.PUBLISHED
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "status" in error.value.message_dict

    def test_complete_claim_publishes_and_gets_a_date(self):
        claim = ClaimFactory()
        SourceFactory(claim=claim)
        published = services.claim_publish(claim=claim)
        assert published.status == Status.PUBLISHED
        assert published.published_at is not None
        assert Claim.objects.published().filter(pk=claim.pk).exists()

    def test_unpublish_takes_it_off_the_published_queryset(self):
        claim = PublishedClaimFactory()
        services.claim_unpublish(claim=claim)
        assert not Claim.objects.published().filter(pk=claim.pk).exists()


class TestSlugRedirects:
    def test_changing_a_slug_keeps_the_old_one_as_a_redirect(self):
        claim = PublishedClaimFactory(slug="old-slug")
        claim.slug = "new-slug"
        claim.save()
        assert ClaimSlugRedirect.objects.get(old_slug="old-slug").claim == claim

    def test_reusing_an_old_slug_removes_its_redirect(self):
        claim = PublishedClaimFactory(slug="first")
        claim.slug = "second"
        claim.save()
        claim.slug = "first"
        claim.save()
        assert list(ClaimSlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]


class TestQuestionRules:
    def test_two_correct_choices_are_refused_by_the_database(self):
        question = QuestionFactory(choices=[("A", True), ("B", False)])
        with pytest.raises(IntegrityError), transaction.atomic():
            Choice.objects.create(question=question, text="C", is_correct=True)

    @pytest.mark.parametrize(
        ("choices", "message"),
        [
            ([("A", True)], "at least 2 choices"),
            ([("A", False), ("B", False)], "exactly one choice as correct"),
            ([("Yes", True), ("yes", False)], "every choice different"),
        ],
    )
    def test_question_problems(self, choices, message):
        question = QuestionFactory(choices=choices)
        assert any(message in problem for problem in question.problems())

    def test_set_choices_refuses_two_correct_and_changes_nothing(self):
        question = QuestionFactory(choices=[("A", True), ("B", False)])
        with pytest.raises(ValidationError, match="exactly one"):
            services.question_set_choices(question=question, choices=[("A", True), ("B", True)])
        assert [(c.text, c.is_correct) for c in question.choices.all()] == [("A", True), ("B", False)]

    def test_set_choices_updates_rows_in_place(self):
        question = QuestionFactory(choices=[("A", True), ("B", False)])
        ids = list(question.choices.values_list("id", flat=True))
        services.question_set_choices(question=question, choices=[("A!", False), ("B!", True), ("C", False)])
        rows = list(question.choices.values_list("id", "text", "is_correct"))
        assert [r[0] for r in rows[:2]] == ids
        assert [(r[1], r[2]) for r in rows] == [("A!", False), ("B!", True), ("C", False)]


class TestQuizPublishing:
    def test_quiz_with_a_broken_question_cannot_be_published(self):
        quiz = QuizFactory()
        QuestionFactory(quiz=quiz)
        QuestionFactory(quiz=quiz, choices=[("A", False), ("B", False)])
        with pytest.raises(ValidationError, match="question 2: mark exactly one choice"):
            services.quiz_publish(quiz=quiz)
        quiz.refresh_from_db()
        assert quiz.status == Status.DRAFT

    def test_empty_quiz_cannot_be_published(self):
        with pytest.raises(ValidationError, match="at least one question"):
            services.quiz_publish(quiz=QuizFactory())

    def test_valid_quiz_publishes(self):
        quiz = QuizFactory()
        QuestionFactory(quiz=quiz)
        assert services.quiz_publish(quiz=quiz).status == Status.PUBLISHED

    def test_published_factory_is_valid(self):
        quiz = PublishedQuizFactory(questions=4)
        assert quiz.publish_problems() == []
        assert quiz.questions.count() == 4


class TestArticle:
    def test_body_is_kept_as_paragraphs(self):
        assert split_paragraphs("One.\r\n\r\nTwo\nstill two.\n\n \n\nThree.") == ["One.", "Two\nstill two.", "Three."]

    def test_finds_the_paragraph_holding_a_quote(self):
        article = ArticleFactory()
        assert article.paragraph_containing("a quotable sentence") == 2
        assert article.paragraph_containing("not in the article") is None
