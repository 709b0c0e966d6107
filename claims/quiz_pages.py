"""The quiz's shared content, built once per content version and cached; readers' state added per request.

Two things are cached, both keyed by the content version (claims/caching.py),
so that an editor's change shows on the next request:

- a quiz's index: what every quiz request needs to know about the quiz (is it
  public, its questions in order, each question's choices), as plain values
  that are cheap to unpickle: no query on the hot path. Whether an answer is
  right is never taken from it: the database decides when the answer is stored;
- each question step as rendered HTML, one per variant (the question, or its
  feedback for each choice a reader can have given; on the site or in an embed),
  with markers where a reader's own values go: the CSRF token (an embed's reader
  token), how many questions they answered, the share of readers who got it
  right, the link to their result. A request
  fills the markers (escaped) instead of rendering the template.

Previews of drafts for editors are rendered each time and never stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from claims.caching import cached_at, cached_many_for_version, content_version, store_for_version
from claims.models import ChoiceTranslation, Question, QuestionTranslation, Quiz, Status
from claims.quiz_numbers import bin_of, make_bins
from claims.translated import published_versions

# Private-use characters, left alone by HTML escaping, around a random nonce drawn for each render: an
# editor's text cannot spell a marker (it would have to guess the nonce), so only ours are filled.
_OPEN, _CLOSE = "\ue000", "\ue001"


def slot(name: str, nonce: str) -> str:
    """The marker that stands for a reader's own value in a step rendered with `nonce`."""
    return f"{_OPEN}{nonce}:{name}{_CLOSE}"


@dataclass(frozen=True)
class Rendered:
    """A step's HTML with its markers, and the nonce they were made with."""

    html: str
    nonce: str

    def fill(self, values: Mapping[str, object]) -> str:
        html = self.html
        for name, value in values.items():
            html = html.replace(slot(name, self.nonce), escape(str(value)))
        return html


@dataclass(frozen=True)
class NumberRange:
    """A number guess as a request checks it: the range a guess must be in, and the histogram's bin edges."""

    low: Decimal
    high: Decimal
    bins: tuple[str, ...]

    def bin_of(self, guess: Decimal) -> int:
        return bin_of(guess, self.bins)


@dataclass(frozen=True)
class QuizIndex:
    """A quiz as every quiz request sees it, without a query."""

    pk: int
    slug: str
    title: str
    status: str
    published_at: datetime | None
    article_title: str
    article_is_published: bool
    question_ids: tuple[int, ...]
    choices: dict[int, frozenset[int]]  # each question's choice ids, by question id
    numbers: dict[int, NumberRange] = field(default_factory=dict)  # the number guesses, by question id
    # A translated quiz asks its original's questions in its own words: `pk` is the original (attempts,
    # answers and statistics are shared by every language), `display_pk` the version whose words are shown.
    display_pk: int = 0
    language: str = ""
    versions: tuple[tuple[str, str], ...] = ()  # (language, slug) of each published version, the original first

    @property
    def is_translation(self) -> bool:
        return self.display_pk != self.pk

    def slug_in(self, language: str) -> str | None:
        return next((slug for code, slug in self.versions if code == language), None)

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    def get_absolute_url(self) -> str:
        return reverse("quiz-detail", kwargs={"slug": self.slug})

    def question_url(self, number: int) -> str:
        return reverse("quiz-question", kwargs={"slug": self.slug, "number": number})

    def result_url(self, token: str) -> str:
        return reverse("quiz-result", kwargs={"slug": self.slug, "token": token})

    def has_choice(self, question_id: int, choice_id: int) -> bool:
        return choice_id in self.choices.get(question_id, ())

    def number_range(self, question_id: int) -> NumberRange | None:
        return self.numbers.get(question_id)


def _number_range(question: Question) -> NumberRange | None:
    low, high, step = question.number_min, question.number_max, question.number_step
    if not question.is_number or low is None or high is None or step is None:
        return None
    # A draft's bins are the ones it will get when published (claims/editorial/quizzes.py).
    return NumberRange(low, high, tuple(question.guess_bins or make_bins(low, high, step)))


def _build_index(slug: str) -> QuizIndex | None:
    quiz = Quiz.objects.select_related("article", "translation_of").filter(slug=slug).first()
    if quiz is None:
        return None
    original = quiz.original
    questions = list(original.questions.prefetch_related("choices"))
    # A translation is public while it and its original both are.
    status, published_at = quiz.status, quiz.published_at
    if quiz.is_translation and not original.is_published:
        status, published_at = original.status, original.published_at
    elif quiz.is_translation and published_at is not None and original.published_at is not None:
        published_at = max(published_at, original.published_at)
    return QuizIndex(
        pk=original.pk,
        slug=quiz.slug,
        title=quiz.title,
        status=status,
        published_at=published_at,
        article_title=quiz.article.title,
        article_is_published=quiz.article.is_published,
        question_ids=tuple(q.pk for q in questions),
        choices={q.pk: frozenset(c.pk for c in q.choices.all()) for q in questions},
        numbers={q.pk: number for q in questions if (number := _number_range(q)) is not None},
        display_pk=quiz.pk,
        language=quiz.language,
        versions=tuple((v.language, v.slug) for v in published_versions(quiz)),
    )


def in_words_of(display_pk: int, questions: Sequence[Question]) -> None:
    """Give `questions` (with their choices prefetched) the words of the translated quiz `display_pk`,
    in place and unsaved; two queries. Words missing from the translation stay the original's."""
    prompts = {t.question_id: t for t in QuestionTranslation.objects.filter(quiz_id=display_pk, question__in=questions)}
    choices = dict(
        ChoiceTranslation.objects.filter(quiz_id=display_pk, choice__question__in=questions).values_list(
            "choice_id", "text"
        )
    )
    for question in questions:
        if (words := prompts.get(question.pk)) is not None:
            question.prompt = words.prompt or question.prompt
            question.explanation = words.explanation or question.explanation
            question.number_unit = words.unit or question.number_unit
        for choice in question.choices.all():
            choice.text = choices.get(choice.pk) or choice.text


def step_key(slug: str, variant: tuple[object, ...]) -> str:
    return ":".join(["quiz-step", translation.get_language() or "", slug, *map(str, variant)])


def result_key(slug: str, token: str, *, embed: bool = False) -> str:
    """Where a finished attempt's result page, as everyone but its owner sees it, is cached (in an embed, with
    the embed's links: a page of its own)."""
    return ":".join(["quiz-result", "embed" if embed else "page", translation.get_language() or "", slug, token])


def quiz_index(slug: str, *, prefetch: Sequence[str] = ()) -> tuple[int, QuizIndex | None, dict[str, Any]]:
    """(content version, the quiz at `slug` or None, the steps at the `prefetch` keys found for that version).

    One cache round trip on a hit, with the step the request will most likely show; the index
    is built on a miss (three queries).
    """
    if len(slug) > Quiz._meta.get_field("slug").max_length:  # type: ignore[operator]  # no such quiz; keeps keys short
        return content_version(), None, {}
    key = f"quiz-index:{slug}"
    version, found = cached_many_for_version([key, *prefetch])
    index = found.pop(key, None)
    if index is None:
        index = _build_index(slug)
        if index is not None:  # unknown slugs are not stored: junk addresses must not fill the cache
            store_for_version(key, version, index)
    return version, index, found


def cached_step(
    *,
    version: int,
    index: QuizIndex,
    variant: tuple[object, ...],
    render: Callable[[str], str],
    store: bool,
    prefetched: Mapping[str, object],
) -> Rendered:
    """The step's HTML with its markers: prefetched with the index, else from the cache, else rendered by
    `render` (given the nonce for its markers) and stored unless `store` is false."""
    key = step_key(index.slug, variant)
    if store:
        if isinstance(found := prefetched.get(key), Rendered):
            return found
        if isinstance(found := cached_at(key, version), Rendered):
            return found
    nonce = secrets.token_hex(8)
    rendered = Rendered(render(nonce), nonce)
    if store:
        store_for_version(key, version, rendered)
    return rendered
