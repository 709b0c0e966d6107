"""factory-boy factories for every model. Published objects are valid by construction."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from claims import quiz_services
from claims.models import Answer, Article, Attempt, Choice, Claim, Question, QuestionKind, Quiz, Source, Status
from claims.quiz_numbers import make_bins
from claims.roles import grant_role
from claims.verdicts import Verdict


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (most tests are about what is drawn from it); pass status=Status.DRAFT for a draft."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n} about the border")
    slug = factory.Sequence(lambda n: f"article-{n}")
    publisher = "Example News"
    body = "First paragraph of the article.\n\nSecond paragraph, with a quotable sentence in it.\n\nThird paragraph."
    status = Status.PUBLISHED
    published_at = factory.LazyAttribute(lambda a: timezone.now() if a.status == Status.PUBLISHED else None)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim with a verdict and ruling; add sources (or use PublishedClaimFactory) to publish."""

    class Meta:
        model = Claim

    slug = factory.Sequence(lambda n: f"claim-{n}")
    statement = factory.Sequence(lambda n: f"Statement number {n} about the border.")
    claimant = "A spokesperson"
    verdict = Verdict.TRUE
    ruling = "True. The record shows it."
    explanation = "The longer explanation."
    article = factory.SubFactory(ArticleFactory)
    status = Status.DRAFT


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    claim = factory.SubFactory(ClaimFactory)
    position = factory.Sequence(lambda n: n)
    publisher = "Example News"
    title = "The article"
    quote = "a quotable sentence"


class PublishedClaimFactory(ClaimFactory):
    class Meta:
        skip_postgeneration_save = True

    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    source = factory.RelatedFactory(SourceFactory, factory_related_name="claim")


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"Quiz {n}")
    slug = factory.Sequence(lambda n: f"quiz-{n}")
    intro = "Test yourself."
    status = Status.DRAFT


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with three choices, the second one correct."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    explanation = "Because the record says so."
    claim = None

    @factory.post_generation
    def choices(self, create: bool, extracted: list[tuple[str, bool]] | None, **kwargs) -> None:
        if not create:
            return
        for position, (text, correct) in enumerate(extracted or [("A", False), ("B", True), ("C", False)], 1):
            Choice.objects.create(question=self, text=text, is_correct=correct, position=position)


class NumberQuestionFactory(factory.django.DjangoModelFactory):
    """A number guess from 0 to 5,000 in steps of 50: 1,000 is right, and so is any guess within 100 of it. Its
    histogram's bins are fixed as publication fixes them (claims/editorial/quizzes.py)."""

    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    kind = QuestionKind.NUMBER
    position = factory.Sequence(lambda n: n)
    prompt = factory.Sequence(lambda n: f"How many a day, question {n}?")
    explanation = "The documents say an average of 1,000 per day."
    claim = None
    number_min = Decimal(0)
    number_max = Decimal(5000)
    number_step = Decimal(50)
    number_unit = "people a day"
    true_value = Decimal(1000)
    tolerance = Decimal(100)
    value_quote = "an average of 1,000 per day"
    guess_bins = factory.LazyAttribute(lambda q: make_bins(q.number_min, q.number_max, q.number_step))


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, choices=[])
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


class PublishedQuizFactory(QuizFactory):
    """A published quiz with `questions` questions (default 3), each with a published backing claim."""

    class Meta:
        skip_postgeneration_save = True

    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def questions(self, create: bool, extracted: int | None, **kwargs) -> None:
        """`questions` choice questions, then `questions__numbers` number guesses (default none)."""
        if not create:
            return
        choices = extracted or 3
        for position in range(1, choices + 1):
            QuestionFactory(quiz=self, position=position, claim=PublishedClaimFactory(article=self.article))
        for position in range(choices + 1, choices + 1 + kwargs.get("numbers", 0)):
            NumberQuestionFactory(quiz=self, position=position, claim=PublishedClaimFactory(article=self.article))


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt in progress. To answer and finish one with the counters kept in step, use `take_quiz`."""

    class Meta:
        model = Attempt

    quiz = factory.SubFactory(PublishedQuizFactory)
    reader = factory.Sequence(lambda n: f"reader-{n}")
    counted = True


class AnswerFactory(factory.django.DjangoModelFactory):
    """A bare answer row (right by default); it does not touch the statistics counters."""

    class Meta:
        model = Answer

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.LazyAttribute(lambda a: a.attempt.quiz.questions.first())
    choice = factory.LazyAttribute(lambda a: a.question.correct_choice)
    is_correct = factory.LazyAttribute(lambda a: a.choice.is_correct)


def take_quiz(quiz: Quiz, *, right: int, reader: str | None = None, counted: bool = True) -> Attempt:
    """A finished attempt that got the first `right` questions right, recorded through the quiz services."""
    attempt = AttemptFactory(quiz=quiz, counted=counted, **({"reader": reader} if reader else {}))
    for number, question in enumerate(quiz.questions.prefetch_related("choices"), start=1):
        if question.is_number:
            guess = question.true_value if number <= right else question.number_max
            quiz_services.answer_question(attempt=attempt, question=question, guess=guess)
            continue
        choices = list(question.choices.all())
        pick = next(c for c in choices if c.is_correct == (number <= right))
        quiz_services.answer_question(attempt=attempt, question=question, choice=pick)
    attempt.refresh_from_db()
    return attempt


class EditorFactory(UserFactory):
    """A staff user in the Editor group; ChiefEditorFactory for the Chief editor group."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def role(self, create: bool, extracted, **kwargs) -> None:
        if create:
            grant_role(self, chief=kwargs.get("chief", False))


class ChiefEditorFactory(EditorFactory):
    role__chief = True


def make_picture(*, by=None, alt_text: str = "A border crossing at dawn", credit: str = "Jane Doe/Example", **image):
    """A picture made as editors make one (editorial.picture_create), from an image generated in memory
    (tests/helpers/pictures.py: `image` are its arguments). Store it in a temporary MEDIA_ROOT."""
    from claims import editorial
    from tests.helpers.pictures import image_bytes, upload

    return editorial.picture_create(
        upload=upload(image_bytes(**image)), alt_text=alt_text, credit=credit, by=by or editorial.DEMO_AUTHOR
    )
