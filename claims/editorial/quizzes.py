"""Writing quizzes: a quiz with its questions and their choices, always together, and the quiz builder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from claims.editorial import rules
from claims.editorial.actors import Actor
from claims.editorial.base import Problem, editorial_action, keep_lifecycle, locked, record_event, refuse
from claims.editorial.review import void_approvals
from claims.editorial.translations import follow_original
from claims.models import (
    Article,
    Choice,
    ChoiceTranslation,
    Claim,
    Question,
    QuestionKind,
    QuestionTranslation,
    Quiz,
    ReviewAction,
    Status,
)
from claims.quiz_numbers import make_bins
from claims.revisions import record_revision
from claims.verdicts import Verdict


@dataclass
class QuestionDraft:
    """A question as the editor wants it: the row (new or existing) and its choices, (text, is_correct) in order."""

    question: Question
    choices: list[tuple[str, bool]] = field(default_factory=list)


def quiz_problems(*, quiz: Quiz, questions: Sequence[QuestionDraft], by: Actor, previous: Quiz | None) -> list[Problem]:
    rules.require_may_edit(by, quiz, creating=previous is None, status=previous.status if previous else Status.DRAFT)
    problems = rules.questions_of_other_quizzes(quiz, [d.question for d in questions])
    for index, draft in enumerate(questions):
        for problem in rules.question_problems(draft.question, draft.choices):
            problems.append(Problem(None, problem.message, problem.code, "questions", index))
    if previous is not None and previous.status == Status.PUBLISHED:
        # Readers see it now: it must stay publishable after the edit.
        problems += rules.quiz_readiness(quiz, [(d.question, d.choices) for d in questions])
    return problems


@editorial_action
def quiz_save(*, quiz: Quiz, questions: Sequence[QuestionDraft], by: Actor, comment: str = "") -> Quiz:
    """Create or change a quiz and set its questions (and each question's choices) to exactly `questions`.

    Existing questions and choices are updated in place, by id and position, so readers' answers keep
    pointing at what they picked. An edit while in review voids the approvals given before it.
    """
    if quiz.translation_of_id is not None:
        raise ValueError("A translation is saved with translations.translation_save().")
    previous = locked(quiz) if quiz.pk else None
    refuse(quiz_problems(quiz=quiz, questions=questions, by=by, previous=previous))
    keep_lifecycle(quiz, previous, by)
    quiz.full_clean()
    quiz.save()
    _set_questions(quiz, questions)
    revision = record_revision(quiz, by=by, comment=comment or (_("Edited") if previous else _("Created")))
    if previous is not None and revision is not None:
        if previous.status == Status.IN_REVIEW:
            void_approvals(quiz, by)
        elif previous.status == Status.PUBLISHED:
            record_event(quiz, ReviewAction.EDITED, by, _("Edited while published."))
        follow_original(quiz, by, flag=previous.status == Status.PUBLISHED)
    return quiz


def position_order(position: int | None) -> tuple[bool, int]:
    """A sort key for questions by position: those without one (0) go last. Sorting is stable, so ties keep the
    order given (the page's order, on the quiz's page: claims/admin/question_order.py sorts posts by it too)."""
    return (not position, position or 0)


def in_position_order(questions: Sequence[QuestionDraft]) -> list[QuestionDraft]:
    """The questions in the order their positions ask for. Saving numbers them 1, 2, 3… in this order, so two
    questions never share a position."""
    return sorted(questions, key=lambda draft: position_order(draft.question.position))


def _set_questions(quiz: Quiz, questions: Sequence[QuestionDraft]) -> None:
    kept = []
    for position, draft in enumerate(in_position_order(questions), start=1):
        question = draft.question
        question.quiz = quiz
        question.position = position
        question.full_clean(exclude=["quiz"])
        changed = question.pk is None or _question_changed(question, draft.choices)
        if question.is_number and not question.guess_bins and quiz.status == Status.PUBLISHED:
            fix_guess_bins(question)  # readers see it from now on
            changed = True
        if changed:
            if question.pk is not None:
                _forget_translated_words(question, draft.choices)
            question.save()
            _set_choices(question, [] if question.is_number else draft.choices)
        kept.append(question.pk)
    quiz.questions.exclude(pk__in=kept).delete()


def fix_guess_bins(question: Question) -> None:
    """Fix a number guess's histogram bins from its range, once: readers' guesses are counted in them."""
    assert question.number_min is not None and question.number_max is not None and question.number_step is not None
    question.guess_bins = make_bins(question.number_min, question.number_max, question.number_step)


def fix_quiz_guess_bins(quiz: Quiz) -> None:
    """At publication: every number guess of the quiz without bins gets them (claims/editorial/review.py)."""
    for question in quiz.questions.filter(kind=QuestionKind.NUMBER):
        if question.guess_bins:
            continue
        fix_guess_bins(question)
        question.save(update_fields=["guess_bins"])


# What an editor edits on a question, beyond its choices.
_EDITED = (
    "prompt",
    "explanation",
    "claim_id",
    "position",
    "kind",
    "number_min",
    "number_max",
    "number_step",
    "number_unit",
    "true_value",
    "tolerance",
    "value_quote",
    "picture_id",
)
# What a translation says in its own words: a change in these drops the translation's words.
_TRANSLATED = ("prompt", "explanation", "number_unit")


def _question_changed(question: Question, choices: list[tuple[str, bool]]) -> bool:
    stored = Question.objects.filter(pk=question.pk).values(*_EDITED).first()
    mine = {name: getattr(question, name) for name in _EDITED}
    return stored != mine or rules.choices_of(question) != [(t.strip(), c) for t, c in choices if t.strip()]


def _forget_translated_words(question: Question, choices: list[tuple[str, bool]]) -> None:
    """A translation's words for what changed no longer say the same: drop them (readers of the translation
    see the original's words until the translator writes new ones; the translation is flagged). Choices are
    updated in place by position, so a choice row whose text or rightness changes is another answer now."""
    stored = Question.objects.filter(pk=question.pk).values(*_TRANSLATED).first()
    if stored != {name: getattr(question, name) for name in _TRANSLATED}:
        QuestionTranslation.objects.filter(question=question).delete()
    filled = [(text.strip(), correct) for text, correct in choices if text.strip()]
    for position, choice in enumerate(question.choices.order_by("position", "id"), start=1):
        wanted = filled[position - 1] if position <= len(filled) else None
        if wanted != (choice.text, choice.is_correct):
            ChoiceTranslation.objects.filter(choice=choice).delete()


def _set_choices(question: Question, choices: list[tuple[str, bool]]) -> None:
    """Existing choice rows are updated in place, by position, so readers' answers keep pointing at them."""
    filled = [(text.strip(), correct) for text, correct in choices if text.strip()]
    existing = list(question.choices.order_by("position", "id"))
    # Clear the old right answer first: "at most one correct" is a database constraint.
    question.choices.filter(is_correct=True).update(is_correct=False)
    for position, (text, correct) in enumerate(filled, start=1):
        if position <= len(existing):
            choice = existing[position - 1]
            choice.text, choice.is_correct, choice.position = text, correct, position
            choice.save(update_fields=["text", "is_correct", "position"])
        else:
            Choice.objects.create(question=question, text=text, is_correct=correct, position=position)
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(filled) :]]).delete()


def drafts_of(quiz: Quiz) -> list[QuestionDraft]:
    """The quiz's questions as stored, ready to be changed and saved again."""
    return [
        QuestionDraft(q, [(c.text, c.is_correct) for c in q.choices.all()])
        for q in quiz.questions.prefetch_related("choices").order_by("position", "id")
    ]


# The quiz builder. Only a claim rated plainly True or False makes a True-or-false question: "True" beside a
# "Mostly true" badge would teach readers the wrong thing. Every other verdict is a "Which is right?" question
# offering the whole rating scale (the right verdict and the five others).
TRUE_OR_FALSE = {Verdict.TRUE: True, Verdict.FALSE: False}


def question_choices_for(claim: Claim) -> tuple[str, list[tuple[str, bool]]]:
    # Translators: the start of a quiz question made from a fact-check, e.g. "The mayor said: “Crime doubled”".
    said = _("%(claimant)s said: “%(statement)s”") % {"claimant": claim.claimant, "statement": claim.statement}
    if claim.verdict in TRUE_OR_FALSE:
        answer = TRUE_OR_FALSE[Verdict(claim.verdict)]
        # Translators: %(said)s is who said what, e.g. "The mayor said: “Crime doubled”".
        prompt = _("True or false? %(said)s") % {"said": said}
        # The verdicts' own words: the answer reads as the badge on the fact-check does.
        return prompt, [(pgettext("verdict", "True"), answer), (pgettext("verdict", "False"), not answer)]
    # Translators: %(said)s is who said what, e.g. "The mayor said: “Crime doubled”".
    prompt = _("Which is right? %(said)s Our verdict was…") % {"said": said}
    return prompt, [(str(label), value == claim.verdict) for value, label in Verdict.choices]


def draft_quiz_for(article: Article) -> tuple[Quiz, list[QuestionDraft]]:
    """The newest draft quiz on `article` (locked) and its questions, or a new unsaved draft quiz; new questions
    go there, so nothing reaches readers before the quiz is reviewed."""
    # An original quiz: a translated one has no questions of its own.
    drafts_on_article = Quiz.objects.filter(article=article, status=Status.DRAFT, translation_of=None)
    quiz = drafts_on_article.order_by("-created_at").first()
    if quiz is not None:
        return locked(quiz), drafts_of(quiz)
    base = slugify(f"quiz-{article.slug}")[:90] or "quiz"
    slug, n = base, 1
    while Quiz.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    # A title readers could see as it is (editors may still change it), not a label for the draft.
    # Translators: the title given to a new quiz on an article, e.g. "How closely did you read “Storm hits coast”?".
    title = _("How closely did you read “%(title)s”?") % {"title": Truncator(article.title).chars(160)}
    return Quiz(article=article, title=title, slug=slug), []


@editorial_action
def question_from_claim(*, claim: Claim, by: Actor) -> Question:
    """A draft quiz question made from a fact-check, for an editor to polish.

    It goes into the newest draft quiz on the claim's article (a new draft quiz if there is none), so nothing
    reaches readers before the quiz is reviewed.
    """
    if not claim.verdict:
        refuse([Problem("verdict", _("This fact-check has no verdict yet."), "verdict_missing")])
    if claim.article is None:
        refuse([Problem("article", _("This fact-check has no article, and quizzes are about articles."), "no_article")])
    if claim.translation_of_id is not None:
        refuse(
            [
                Problem(
                    None,
                    _("Make the question from the original fact-check: the quiz's translation then translates it."),
                    "translation",
                )
            ]
        )
    assert claim.article is not None  # refuse() raised: for the type checker
    quiz, drafts = draft_quiz_for(claim.article)
    prompt, choices = question_choices_for(claim)
    question = Question(prompt=prompt, explanation=claim.ruling, claim=claim, position=len(drafts) + 1)
    quiz = quiz_save(
        quiz=quiz,
        questions=[*drafts, QuestionDraft(question, choices)],
        by=by,
        comment=_("Question made from the fact-check “%(claim)s”") % {"claim": claim},
    )
    return question
