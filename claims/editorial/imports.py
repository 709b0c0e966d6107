"""Drafts made from an imported article's suggestions (claims/imports/suggest.py): a fact-check from one of its
sentences, and a number-guess question from a figure in it. Both are drafts: nothing reaches readers before
review. The sentence must stand word for word in the article: it is the draft's evidence quote."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from claims.editorial import rules
from claims.editorial.actors import Actor, require
from claims.editorial.base import Problem, editorial_action, refuse
from claims.editorial.claims import claim_save
from claims.editorial.quizzes import QuestionDraft, draft_quiz_for, quiz_save
from claims.editorial.quotes import find_quote, normalize
from claims.editorial.tips import unique_slug
from claims.imports.suggest import Figure
from claims.models import Article, Claim, Question, QuestionKind, Source, Status

STEPS = 100  # a drafted number guess's slider: about this many steps from 0 to its highest guess
TOLERANCE = Decimal("0.1")  # a guess within 10% of the true value counts as right
SPREAD = 3  # the highest guess is at least this many times the true value, so the answer is not the middle


def _nice_at_least(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value`, e.g. 3,000 → 5,000."""
    power = Decimal(10) ** (value.adjusted())
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if power * factor >= value:
            return (power * factor).normalize()
    return power * 10  # not reached


def guess_range(value: Decimal, *, percent: bool = False) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(lowest, highest, step, tolerance) for guessing `value`: from 0 to a round number at least three times
    the value (100 for a percentage when that is enough), in about 100 steps, right within about 10%."""
    high = _nice_at_least(value * SPREAD)
    if percent and value <= 100:
        high = min(high, Decimal(100)) if value * SPREAD <= 100 else Decimal(100)
    step = max(_nice_at_least(high / STEPS), Decimal("0.01"))
    tolerance = max((value * TOLERANCE / step).to_integral_value(ROUND_CEILING) * step, step)
    return Decimal(0), high, step, tolerance


def _original(article: Article) -> None:
    if article.translation_of_id is not None:
        refuse(
            [Problem(None, _("Draft fact-checks from the original article: its translation follows."), "translation")]
        )


def _in_article(article: Article, sentence: str) -> None:
    if not sentence.strip() or find_quote(article.paragraphs, sentence) is None:
        refuse(
            [
                Problem(
                    "quote",
                    _("This passage is no longer in the article, word for word: reload the suggestions."),
                    "quote_not_in_article",
                )
            ]
        )


def _source(article: Article, sentence: str) -> Source:
    return Source(
        publisher=(article.publisher or article.title)[:200],
        title=article.title[:300],
        url=article.url,
        published_on=article.published_on,
        quote=sentence,
        quotes_article=True,
    )


@editorial_action
def claim_from_passage(*, article: Article, sentence: str, claimant: str, by: Actor) -> Claim:
    """A draft fact-check on `article`: its statement the sentence, its claimant the one the sentence names (or
    a question for its author to answer), and one source quoting the sentence from the article. A sentence longer
    than a statement may be is cut with an ellipsis for its author to rewrite (the quote keeps it whole)."""
    require(by, "add_claim", _("You do not have permission to add claims."))
    _original(article)
    _in_article(article, sentence)
    sentence = " ".join(sentence.split())
    claim = Claim(
        statement=Truncator(sentence).chars(rules.STATEMENT_MAX),
        # A claim names who made it; when the sentence does not say, the draft asks its author to find out.
        claimant=(claimant.strip() or _("Not known yet: who made this claim?"))[:200],
        slug=unique_slug(sentence, fallback=f"article-{article.pk}-claim"),
        language=article.language,
        article=article,
        verdict="",
        ruling="",
        explanation="",
    )
    # Translators: the revision comment of a draft fact-check made from a sentence of an imported article.
    return claim_save(claim=claim, sources=[_source(article, sentence)], by=by, comment=_("Drafted from the article"))


def _draft_claim_for(article: Article, sentence: str, claimant: str, by: Actor) -> Claim:
    """The draft fact-check already made from this sentence, or a new one."""
    for claim in Claim.objects.filter(article=article, status=Status.DRAFT, translation_of=None).prefetch_related(
        "sources"
    ):
        if any(normalize(source.quote) == normalize(sentence) for source in claim.sources.all()):
            return claim
    return claim_from_passage(article=article, sentence=sentence, claimant=claimant, by=by)


@editorial_action
def question_from_figure(*, article: Article, sentence: str, claimant: str, figure: Figure, by: Actor) -> Question:
    """A draft number-guess question on a figure of the sentence, backed by the sentence's draft fact-check
    (made now if there is none), in the article's newest draft quiz (or a new one)."""
    require(by, "add_question", _("You do not have permission to add quiz questions."))
    _original(article)
    _in_article(article, sentence)
    if not figure.guessable or figure.value is None or figure.value_quote not in sentence:
        refuse([Problem(None, _("This figure cannot be guessed as a number."), "figure_not_guessable")])
    assert figure.value is not None  # refuse() raised: for the type checker
    claim = _draft_claim_for(article, sentence, claimant, by)
    low, high, step, tolerance = guess_range(figure.value, percent=figure.unit == "%")
    quiz, drafts = draft_quiz_for(article)
    question = Question(
        kind=QuestionKind.NUMBER,
        # Translators: a drafted number-guess question: the article's sentence with its figure left out.
        prompt=_("Guess the missing figure: “%(sentence)s”") % {"sentence": sentence.replace(figure.text, "…", 1)},
        explanation=sentence,
        claim=claim,
        position=len(drafts) + 1,
        number_min=low,
        number_max=high,
        number_step=step,
        number_unit=figure.unit[:50],
        true_value=figure.value,
        tolerance=tolerance,
        value_quote=figure.value_quote,
    )
    quiz_save(
        quiz=quiz,
        questions=[*drafts, QuestionDraft(question)],
        by=by,
        comment=_("Number guess drafted from the article: %(figure)s") % {"figure": figure.value_quote},
    )
    return question
