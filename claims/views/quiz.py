"""The quiz readers take: intro, one URL per question, results and their share card.

Every step works as plain HTML forms and links (POST, 303 redirect, GET);
htmx, when present, swaps the `step` partial of quizzes/question.html in place
of the current step instead. The rules live in claims/quiz_services.py; these
views only parse the request, pick the response and render. Question steps
come from claims/quiz_pages.py: rendered once per content version, with the
reader's own values filled in per request.

The same views serve the embedded quiz (claims/views/embeds.py): there `Links` points at the
embed's addresses, whose in-frame links and forms carry the reader's signed token, and each
step is cached as a variant of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url

from claims import quiz_services
from claims.caching import store_for_version
from claims.editorial.quotes import span_in
from claims.htmx import vary_on_htmx, wants_partial
from claims.models import Attempt, Choice, Question, Quiz, Source
from claims.preview import can_preview, mark_preview
from claims.quiz_numbers import NotANumber, display, parse_guess, plain, with_unit
from claims.quiz_pages import (
    NumberRange,
    QuizIndex,
    cached_step,
    in_words_of,
    quiz_index,
    result_key,
    slot,
    step_key,
)
from claims.quiz_readers import (
    READER_FIELD,
    admit,
    ensure_reader,
    is_embedded,
    keeps_reader_cookie,
    reader_of,
    reader_token,
)
from claims.quiz_services import Given, NotYourTurn, Progress, QuizChanged, Tally, guess_histogram
from claims.ratelimit import rate_limited
from claims.result_cards import render_result_card
from claims.share_meta import share_meta, site_url
from claims.translated import alternates, for_readers_of, url_in_own_language, version_for_reader


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@dataclass(frozen=True)
class Found:
    """The quiz a request is for, from the cache (claims/quiz_pages.py)."""

    version: int  # the content version it was read at
    index: QuizIndex
    preview: bool  # an editor's view of a quiz readers cannot see: rendered each time, never stored
    prefetched: dict[str, Any] = field(default_factory=dict)  # pages read with the index (quiz_pages.step_key)


def _find_quiz(request: HttpRequest, slug: str, *, prefetch: tuple[str, ...] = ()) -> Found | None:
    """The published quiz at `slug`; for an editor, a draft too, shown as a preview.

    In an embed, the reader's token is checked against the quiz here (quiz_readers.admit raises
    ReaderRefused, which claims/views/embeds.py answers)."""
    version, index, prefetched = quiz_index(slug, prefetch=prefetch)
    if index is None:
        return None
    if index.is_public:
        found = Found(version, index, preview=False, prefetched=prefetched)
    elif can_preview(request, "quiz"):
        mark_preview(request)
        found = Found(version, index, preview=True)
    else:
        return None
    admit(request, quiz_pk=index.pk)
    return found


@dataclass(frozen=True)
class Links:
    """A quiz's pages as this request links them: the site's own, or the embed's (claims/views/embeds.py), whose
    in-frame links also carry the reader's signed token, since a framed page may get no cookie back."""

    slug: str
    embed: bool = False
    reader: str = ""  # the embed's reader token, or the marker standing for it in a cached step (quiz_pages.slot)

    def _url(self, name: str, *args: object, carry: bool = True) -> str:
        url = reverse(f"embed-{name}" if self.embed else name, args=[self.slug, *args])
        # Not URL-encoded: a token is base64 and colons, and a marker must stay as it is to be filled in.
        return f"{url}?{READER_FIELD}={self.reader}" if carry and self.embed and self.reader else url

    def intro(self) -> str:
        return self._url("quiz-detail")

    def start(self) -> str:
        return self._url("quiz-start", carry=False)  # a form: the token is one of its fields

    def question(self, number: int, *, carry: bool = True) -> str:
        return self._url("quiz-question", number, carry=carry)

    def result(self, token: str) -> str:
        return self._url("quiz-result", token)


def _links(request: HttpRequest, slug: str) -> Links:
    return Links(slug, embed=is_embedded(request), reader=reader_token(request))


def _published_quiz(request: HttpRequest, slug: str) -> tuple[Found, Quiz] | None:
    """As _find_quiz, with the quiz itself for pages that show more of it than the index holds."""
    found = _find_quiz(request, slug)
    if found is None:
        return None
    quiz = Quiz.objects.select_related("article__picture", "translation_of").filter(pk=found.index.display_pk).first()
    return (found, quiz) if quiz is not None else None


def _in_reader_language(request: HttpRequest, index: QuizIndex, path_of: Callable[[Links], str]) -> HttpResponse | None:
    """At another language's version of the quiz, a redirect to the same page of this language's version.

    `path_of(links)` is the page's path among a version's links. Questions, answers and statistics are the
    same in every language, so a reader who switches language mid-quiz carries on where they were."""
    language = translation.get_language()
    if index.language == language:
        return None
    slug = index.slug_in(language)
    if slug is None or slug == index.slug:
        return None
    target = path_of(_links(request, slug))
    return HttpResponseClientRedirect(target) if wants_partial(request) else HttpResponseRedirect(target)


def _error(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    quiz: Quiz | QuizIndex | None = None,
    link: tuple[str, str] | None = None,
) -> HttpResponse:
    """A clear 4xx page, or the same message as a fragment that htmx swaps in place of the step."""
    intro_url = None
    if quiz is not None:
        intro_url = _links(request, quiz.slug).intro()
        if link is None:
            link = (intro_url, _("Back to “%(title)s”") % {"title": quiz.title})
    template = "quizzes/error.html#error" if wants_partial(request) else "quizzes/error.html"
    context = {"title": title, "message": message, "quiz": quiz, "link": link, "intro_url": intro_url}
    response = render(request, template, context, status=status)
    vary_on_htmx(response)
    return response


def _quiz_not_found(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        status=404,
        title=_("Quiz not found"),
        message=_("There is no published quiz at this address. It may have been unpublished or the link mistyped."),
        link=(reverse("home"), _("Go to the home page")),
    )


def reader_refused(request: HttpRequest, slug: str, reason: str) -> HttpResponse:
    """403 for an embed's request whose reader token is missing, altered, expired or for another quiz, or whose
    form came from another site (claims/views/embeds.py): nothing was read or written for it."""
    titles = {
        "expired": _("This page of the quiz has expired"),
        "cross-site": _("This answer came from another site"),
    }
    messages = {
        "missing": _("The form did not say who is answering. Start the quiz again from its first page."),
        "invalid": _("This quiz page was changed or copied incompletely. Start the quiz again from its first page."),
        "expired": _("It was opened too long ago to be answered now. Start the quiz again from its first page."),
        "other-quiz": _("This page was made for another quiz. Start this quiz from its first page."),
        "cross-site": _(
            "Answers are accepted only from the quiz's own pages. Start the quiz again from its first page."
        ),
    }
    return _error(
        request,
        status=403,
        title=titles.get(reason, _("This quiz page is not valid")),
        message=messages.get(reason, messages["invalid"]),
        link=(reverse("embed-quiz-detail", args=[slug]), _("Start the quiz again")),
    )


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, round(retry_after / 60))
    return _error(
        request,
        status=429,
        title=_("Too many requests"),
        message=ngettext(
            "Too many answers from your network in a short time. Please wait about %(minutes)s minute and try "
            "again; your progress is kept.",
            "Too many answers from your network in a short time. Please wait about %(minutes)s minutes and try "
            "again; your progress is kept.",
            minutes,
        )
        % {"minutes": minutes},
    )


@require_safe
@keeps_reader_cookie
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    published = _published_quiz(request, slug)
    if published is None:
        return _quiz_not_found(request)
    found, quiz = published
    if moved := _in_reader_language(request, found.index, lambda links: links.intro()):
        return moved
    attempt, progress = quiz_services.reader_progress(
        quiz_id=found.index.pk, reader=reader_of(request), question_ids=found.index.question_ids
    )
    # In an embed, the Start form names its reader: a new one if the browser brought none.
    links = Links(found.index.slug, embed=is_embedded(request), reader=reader_token(request, mint=True))
    resume_at = None
    if attempt is not None:
        attempt.quiz = quiz  # for its result link
        resume_at = None if attempt.is_finished else progress.next_number
    question_count = found.index.total
    if quiz.intro:
        description = quiz.intro
    elif quiz.article.is_published:
        description = ngettext(
            "A %(count)s-question quiz on “%(title)s”.", "A %(count)s-question quiz on “%(title)s”.", question_count
        ) % {"count": question_count, "title": quiz.article.title}
    else:
        description = ngettext("A %(count)s-question quiz.", "A %(count)s-question quiz.", question_count) % {
            "count": question_count
        }
    response = render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "share": share_meta(
                path=url_in_own_language(quiz),
                title=quiz.title,
                description=description,
                image_path=reverse("quiz-card", kwargs={"slug": quiz.slug}),
                alternates=alternates(quiz) if found.index.is_public else [],
                language=quiz.language,
            ),
            "question_count": question_count,
            "attempt": attempt,
            "resume_url": links.question(resume_at) if resume_at else None,
            "resume_at": resume_at,
            "result_url": links.result(attempt.token) if attempt is not None and attempt.is_finished else None,
            "start_url": links.start(),
            "reader_token": links.reader,
        },
    )
    if attempt is not None:  # this reader's progress and result link: for their browser only
        patch_cache_control(response, private=True)
    return response


@require_POST
@rate_limited("quiz-start", "QUIZ_START_RATE", _too_many)
@keeps_reader_cookie
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an attempt, or resume the one in progress, and go to its first unanswered question."""
    published = _published_quiz(request, slug)
    if published is None:
        return _quiz_not_found(request)
    found, quiz = published
    if not found.index.total:
        return _error(
            request, status=409, title=_("This quiz has no questions yet"), message=_("Come back later."), quiz=quiz
        )
    # On the original: readers of every language share attempts and statistics.
    attempt = quiz_services.start_attempt(quiz=quiz.original, reader=ensure_reader(request), preview=found.preview)
    number = quiz_services.attempt_progress(attempt, found.index.question_ids).next_number or 1
    return HttpResponseSeeOther(_links(request, found.index.slug).question(number))


class BadAnswer(Exception):
    pass


class BadGuess(BadAnswer):
    """A guess that is not a number, or outside the question's range: the question is asked again with it."""


def _id(raw: str) -> int | None:
    """A database id from form data, or None. ASCII digits only: str.isdigit() also accepts "²",
    which int() refuses, and a huge number would exceed int()'s digit limit."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


@dataclass(frozen=True)
class Posted:
    """An answer as posted: the choice picked, or the number guessed; neither when the form came back empty."""

    choice_id: int | None = None
    guess: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return self.choice_id is None and self.guess is None


def _parse_answer(data: QueryDict, index: QuizIndex, question_id: int) -> Posted:
    """The posted choice or guess, checked against the question at this address (no queries)."""
    posted_question = _id(data.get("question", ""))
    if posted_question is None:
        raise BadAnswer(_("The form did not say which question it answers. Reload the page and answer again."))
    if posted_question != question_id:
        raise BadAnswer(_("This answer is for a different question from the one at this address."))
    number = index.number_range(question_id)
    if number is not None:
        return Posted(guess=_parse_guess(data.get("guess", ""), number))
    raw_choice = data.get("choice", "")
    if raw_choice == "":
        return Posted()
    choice_id = _id(raw_choice)
    if choice_id is None:
        raise BadAnswer(_("That is not one of the choices. Pick one of the answers listed."))
    if not index.has_choice(question_id, choice_id):
        raise BadAnswer(_("That choice does not belong to this question. Pick one of the answers listed."))
    return Posted(choice_id=choice_id)


def _parse_guess(raw: str, number: NumberRange) -> Decimal | None:
    if not raw.strip():
        return None
    try:
        guess = parse_guess(raw)
    except NotANumber:
        raise BadGuess(_("That is not a number. Type your guess in figures, such as 1500.")) from None
    if not number.low <= guess <= number.high:
        raise BadGuess(
            _("Guess a number from %(low)s to %(high)s.") % {"low": display(number.low), "high": display(number.high)}
        )
    return guess


@dataclass(frozen=True)
class Reviewed:
    """A reader's answer as the feedback and the review show it."""

    choice: Choice | None  # None once editors deleted the choice (and for a number guess)
    is_correct: bool
    guess: str = ""  # a number guess, as displayed


@dataclass(frozen=True)
class StepVariant:
    """What a step's shared HTML depends on, beyond the quiz and the question: one cache entry each."""

    number: int
    partial: bool
    embed: bool = False  # in an embed: its links, its form field instead of the CSRF token, no pushed URLs
    given: Given | None = None  # None: the question, not yet answered
    shares: bool = False  # enough readers answered to show shares of readers (quiz_services.min_sample)
    nav: str = ""  # after the feedback: "next" question, the "result", or "back" to the intro
    already: bool = False  # the reader had answered before this request
    error: str = ""  # the form shown again with this message (not stored)
    typed: str = ""  # with an error: the guess as the reader typed it, to correct where they typed it (not stored)
    scored: bool = False  # the reader has answered a question before: the running score shows
    guess_bin: int | None = None  # a number guess's bin in the histogram (the guess itself is filled in)

    def key(self) -> tuple[object, ...]:
        if self.given is None:
            answer: tuple[object, ...] = ("ask",)
        else:
            answer = ("fb", self.given.choice_id, self.given.is_correct, self.guess_bin)
        return (self.number, self.partial, self.embed, *answer, self.shares, self.nav, self.already, self.scored)


def _option_slots(options: Sequence[int], nonce: str) -> dict[int, dict[str, str]]:
    """The markers for each option's count, share and bar width, filled per request (quiz_pages.slot)."""
    return {
        option: {
            "count": slot(f"n{option}", nonce),
            "percent": slot(f"pick{option}", nonce),
            "width": slot(f"bar{option}", nonce),
        }
        for option in options
    }


def _option_values(tally: Tally, options: Iterable[int]) -> dict[str, object]:
    values: dict[str, object] = {}
    for option in options:
        values[f"n{option}"] = tally.options.get(option, 0)
        values[f"pick{option}"] = tally.percent(option)
        values[f"bar{option}"] = tally.width(option)
    return values


def _render_step(request: HttpRequest, found: Found, variant: StepVariant, nonce: str) -> str:
    """The step's HTML, with markers (quiz_pages.slot) for the reader's own values."""
    index = found.index
    quiz = get_object_or_404(Quiz, pk=index.display_pk)
    question = get_object_or_404(
        Question.objects.select_related("claim", "picture").prefetch_related("choices"),
        pk=index.question_ids[variant.number - 1],
    )
    if index.is_translation:
        in_words_of(index.display_pk, [question])
    value_source = _quoted_source(question)  # from the original fact-check: quotes stay in their language
    if question.claim is not None:
        # The fact-check behind the answer, in the reader's language where it is translated.
        question.claim = version_for_reader(question.claim, translation.get_language()) or question.claim
    links = Links(index.slug, embed=variant.embed, reader=slot("reader", nonce))
    number = index.number_range(question.pk)
    context: dict[str, object] = {
        "quiz": quiz,
        "number": variant.number,
        "progress": {
            "total": index.total,
            "answered_count": slot("answered", nonce),
            "score": slot("score", nonce) if variant.scored else None,
        },
        "question": question,
        "question_url": links.question(variant.number, carry=False),  # a form's: the token is one of its fields
        "intro_url": links.intro(),
        "csrf_token": slot("csrf", nonce),
        "reader_token": links.reader,
        "error": variant.error,
        "typed_guess": variant.typed,
        "already_answered": variant.already,
        "min_sample": quiz_services.min_sample(),
    }
    if number is not None:
        assert question.number_step is not None  # a number guess's (claims/quiz_pages._number_range)
        middle = number.low + (number.high - number.low) / 2
        context["guess_range"] = {
            "low": display(number.low),
            "high": display(number.high),
            "min": plain(number.low),
            "max": plain(number.high),
            "step": plain(question.number_step),
            # The slider starts on a step near the middle (its value is not sent: the number box is the field).
            "start": plain(number.low + (middle - number.low) // question.number_step * question.number_step),
        }
    given = variant.given
    if given is None:
        # Translators: read out by screen readers when a question is shown, e.g. "Question 2 of 5: Who said…".
        asked = _("Question %(number)s of %(total)s: %(prompt)s")
        context |= {
            "focus": "#answer-error" if variant.error else "#question",
            "announce": variant.error
            or asked % {"number": variant.number, "total": index.total, "prompt": question.prompt},
        }
        template = "quizzes/question.html#step" if variant.partial else "quizzes/question.html"
        return render_to_string(template, context, request)
    choices: list[Choice] = list(question.choices.all())
    correct = question.correct_choice
    percent = slot("percent", nonce)
    # Translators: read out by screen readers after an answer, before "The answer is …".
    verdict = pgettext("quiz answer", "Right.") if given.is_correct else pgettext("quiz answer", "Wrong.")
    # Translators: %(percent)s is a number; "%%" is the percent sign.
    readers = _("%(percent)s%% of readers got this right.")
    if number is not None:
        assert question.true_value is not None
        true_value = question.answer_display
        answer_is = _("The answer is %(answer)s.") % {"answer": true_value}
        options = _option_slots(range(len(number.bins) - 1), nonce)
        tally_stub = Tally()  # the bins' labels; the counts are markers
        bins = [
            {**asdict(bin), **options[position]}
            for position, bin in enumerate(guess_histogram(question, tally_stub, yours=None))
        ]
        for position, bin in enumerate(bins):
            bin["is_yours"] = position == variant.guess_bin
        context |= {
            "true_value": true_value,
            "your_guess": with_unit(slot("guess", nonce), question.number_unit),
            "tolerance": display(question.tolerance) if question.tolerance else "",
            "bins": bins,
            "value_source": value_source,
        }
    else:
        answer_is = _("The answer is %(answer)s.") % {"answer": correct.text} if correct else ""
        options = _option_slots([c.pk for c in choices], nonce)
        context["revealed"] = [
            {
                "choice": choice,
                "is_yours": choice.pk == given.choice_id,
                "is_right": choice.is_correct,
                **options[choice.pk],
            }
            for choice in choices
        ]
    context |= {
        "answer": Reviewed(next((c for c in choices if c.pk == given.choice_id), None), given.is_correct),
        "tally": {"shares": variant.shares, "percent_correct": percent},
        "correct_choice": correct,
        "next_url": links.question(variant.number + 1) if variant.nav == "next" else None,
        "result_url": slot("result", nonce) if variant.nav == "result" else None,
        "focus": "#feedback-heading",
        "announce": " ".join(
            part for part in (verdict, answer_is, readers % {"percent": percent} if variant.shares else "") if part
        ),
    }
    template = "quizzes/question.html#step" if variant.partial else "quizzes/question.html"
    return render_to_string(template, context, request)


def _quoted_source(question: Question) -> Source | None:
    """The backing fact-check's source whose evidence quote gives the figure (the question's source quote): one
    query, for number guesses only."""
    if question.claim is None or not question.value_quote or not question.is_number:
        return None
    return next((s for s in question.claim.sources.all() if span_in(s.quote, question.value_quote)), None)


def _step(
    request: HttpRequest,
    found: Found,
    *,
    attempt: Attempt,
    progress: Progress,
    number: int,
    error: str = "",
    typed: str = "",
    already: bool = False,
    tally: Tally | None = None,
    status: int = 200,
) -> HttpResponse:
    """The question at `number` for this reader: asked, or answered with its feedback."""
    index = found.index
    question_id = index.question_ids[number - 1]
    given = progress.answers.get(question_id)
    partial = wants_partial(request)
    embed = is_embedded(request)
    links = _links(request, index.slug)
    values: dict[str, object] = {
        "answered": progress.answered_count,
        "score": progress.score,
        "reader": links.reader,
    }
    scored = progress.answered_count > 0
    if given is None:
        # The typed guess only with an error: such a page is never stored, and the cache key leaves it out.
        variant = StepVariant(number, partial, embed, error=error, scored=scored, typed=typed if error else "")
        if not embed:  # an embed's form carries the reader's token instead (claims/views/embeds.py)
            values["csrf"] = get_token(request)
    else:
        if tally is None:
            tally = quiz_services.question_tally(question_id)
        nav = "next" if number < index.total else "result" if attempt.is_finished else "back"
        guess_range = index.number_range(question_id)
        guess_bin = None
        if guess_range is not None and given.guess is not None:
            guess_bin = guess_range.bin_of(given.guess)
            values["guess"] = display(given.guess)
            options: Iterable[int] = range(len(guess_range.bins) - 1)
        else:
            options = index.choices.get(question_id, ())
        variant = StepVariant(
            number,
            partial,
            embed,
            given,
            shares=tally.is_enough,
            nav=nav,
            already=already,
            scored=scored,
            guess_bin=guess_bin,
        )
        values["percent"] = tally.percent_correct or 0
        if variant.shares:
            values |= _option_values(tally, options)
        if nav == "result":
            values["result"] = links.result(attempt.token)
    rendered = cached_step(
        version=found.version,
        index=index,
        variant=variant.key(),
        render=lambda nonce: _render_step(request, found, variant, nonce),
        store=not found.preview and not error,
        prefetched=found.prefetched,
    )
    response = HttpResponse(rendered.fill(values), status=status)
    if partial and request.method == "GET" and not embed:
        # The URL of the question actually shown, also after a jump to the first unanswered one. (Not in an
        # embed: a frame's history is the host page's, whose Back button would step through the questions.)
        push_url(response, index.question_url(number))
    vary_on_htmx(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _no_attempt(request: HttpRequest, index: QuizIndex) -> HttpResponse:
    return _error(
        request,
        status=409,
        title=_("No quiz in progress"),
        message=_("We could not find your quiz in this browser; it may have expired. Start the quiz to answer."),
        quiz=index,
    )


@require_http_methods(["GET", "POST"])
@rate_limited("quiz-answer", "QUIZ_ANSWER_RATE", _too_many)
@keeps_reader_cookie
def quiz_question(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    # A GET most often shows the question not yet answered: fetch that step with the quiz.
    asked = (
        step_key(slug, StepVariant(number, wants_partial(request), is_embedded(request)).key())
        if request.method == "GET"
        else None
    )
    found = _find_quiz(request, slug, prefetch=(asked,) if asked else ())
    if found is None:
        return _quiz_not_found(request)
    index = found.index
    if not 1 <= number <= index.total:
        return _error(
            request,
            status=404,
            title=_("No such question"),
            message=ngettext("This quiz has %(count)s question.", "This quiz has %(count)s questions.", index.total)
            % {"count": index.total},
            quiz=index,
        )
    if request.method == "POST":
        return _post_answer(request, found, number)
    if moved := _in_reader_language(request, index, lambda links: links.question(number)):
        return moved
    attempt, progress = quiz_services.reader_progress(
        quiz_id=index.pk, reader=reader_of(request), question_ids=index.question_ids
    )
    links = _links(request, index.slug)
    if attempt is None:
        # Nothing started in this browser (or the cookie expired): the intro has the Start button.
        if wants_partial(request):
            return HttpResponseClientRedirect(links.intro())
        return HttpResponseRedirect(links.intro())
    if index.question_ids[number - 1] not in progress.answers and number != progress.next_number:
        # Questions are answered in order: a later one jumps to the first unanswered one.
        if progress.next_number:
            return HttpResponseRedirect(links.question(progress.next_number))
        target = links.result(attempt.token) if attempt.is_finished else links.intro()
        if wants_partial(request):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
    return _step(request, found, attempt=attempt, progress=progress, number=number)


def _post_answer(request: HttpRequest, found: Found, number: int) -> HttpResponse:
    index = found.index
    question_id = index.question_ids[number - 1]
    try:
        posted = _parse_answer(request.POST, index, question_id)
    except BadGuess as error:
        # Nothing recorded: the question again, with what was wrong at the field (a 400 that htmx swaps in too).
        typed = request.POST.get("guess", "").strip()[:40]
        return _ask_again(request, found, number, str(error), status=400, typed=typed)
    except BadAnswer as error:
        return _error(request, status=400, title=_("That answer could not be recorded"), message=str(error), quiz=index)
    if posted.is_empty:
        message = (
            _("Type or slide to your guess, then submit it.")
            if index.number_range(question_id)
            else _("Choose one of the answers.")
        )
        # 422 lets htmx swap the form back with its error; without JavaScript it is an ordinary page.
        return _ask_again(request, found, number, message, status=422 if wants_partial(request) else 200)
    reader = reader_of(request)
    try:
        recorded = (
            quiz_services.record_answer(
                quiz_id=index.pk,
                reader=reader,
                question_ids=index.question_ids,
                question_id=question_id,
                choice_id=posted.choice_id,
                guess=posted.guess,
                public_only=not found.preview,
            )
            if reader
            else None
        )
    except QuizChanged:
        links = _links(request, index.slug)
        return _error(
            request,
            status=409,
            title=_("This quiz has just changed"),
            message=_("The editors changed this question a moment ago. Open it again to see it as it is now."),
            quiz=index,
            link=(links.question(number), _("Open the question again")),
        )
    except NotYourTurn as refusal:
        links = _links(request, index.slug)
        if refusal.expected_number is None:
            return _error(
                request,
                status=409,
                title=_("You have finished this quiz"),
                message=_("Your answers are in. See your score, or start the quiz again."),
                quiz=index,
                link=(links.result(refusal.token), _("See your score")) if refusal.token else None,
            )
        return _error(
            request,
            status=409,
            title=_("Answer question %(number)s first") % {"number": refusal.expected_number},
            message=_("Questions are answered in order."),
            quiz=index,
            link=(
                links.question(refusal.expected_number),
                _("Go to question %(number)s") % {"number": refusal.expected_number},
            ),
        )
    if recorded is None:
        return _no_attempt(request, index)
    return _answered(
        request,
        found,
        attempt=recorded.attempt,
        progress=recorded.progress,
        number=number,
        already=not recorded.created,
        tally=recorded.tally,
    )


def _ask_again(
    request: HttpRequest, found: Found, number: int, error: str, *, status: int, typed: str = ""
) -> HttpResponse:
    """The question shown again with `error`, or its answer if the reader had already given one."""
    index = found.index
    attempt, progress = quiz_services.reader_progress(
        quiz_id=index.pk, reader=reader_of(request), question_ids=index.question_ids
    )
    if attempt is None:
        return _no_attempt(request, index)
    if index.question_ids[number - 1] in progress.answers:
        return _answered(request, found, attempt=attempt, progress=progress, number=number, already=True)
    return _step(
        request, found, attempt=attempt, progress=progress, number=number, error=error, typed=typed, status=status
    )


def _answered(
    request: HttpRequest,
    found: Found,
    *,
    attempt: Attempt,
    progress: Progress,
    number: int,
    already: bool,
    tally: Tally | None = None,
) -> HttpResponse:
    if wants_partial(request):
        return _step(request, found, attempt=attempt, progress=progress, number=number, already=already, tally=tally)
    # Post/redirect/get: the question's URL shows the feedback once it is answered.
    return HttpResponseSeeOther(_links(request, found.index.slug).question(number))


TOKEN_LENGTH = 32  # Attempt.token's max_length: a longer token cannot exist (and must not make a cache key)


def _finished_attempt(index: QuizIndex, token: str) -> Attempt | None:
    if len(token) > TOKEN_LENGTH:
        return None
    return Attempt.objects.finished().filter(quiz_id=index.pk, token=token).first()


def _render_result(
    request: HttpRequest,
    index: QuizIndex,
    attempt: Attempt,
    distribution: quiz_services.Distribution,
    *,
    is_owner: bool,
) -> str:
    review: list[tuple[Question, Reviewed | None]] | None = None
    if is_owner:
        answers = quiz_services.answers_given(attempt.pk)
        review = []
        questions = quiz_services.questions_in_order(index.pk)
        if index.is_translation:
            in_words_of(index.display_pk, questions)
        # The fact-check behind each answer, in the reader's language where it is translated.
        backed = [(q, q.claim) for q in questions if q.claim is not None]
        claims = for_readers_of([claim for _q, claim in backed], translation.get_language())
        for (question, _claim), claim in zip(backed, claims, strict=True):
            question.claim = claim
        for question in questions:
            given = answers.get(question.pk)
            if given is None:
                review.append((question, None))
                continue
            choice = next((c for c in question.choices.all() if c.pk == given.choice_id), None)
            guess = with_unit(display(given.guess), question.number_unit) if given.guess is not None else ""
            review.append((question, Reviewed(choice, given.is_correct, guess)))
    result = {"score": attempt.score, "total": attempt.total, "title": index.title}
    # Translators: a reader's result as they share it, e.g. "I got 7/10 on “Border facts”".
    score = _("I got %(score)s/%(total)s on “%(title)s”") % result
    share = share_meta(
        path=index.result_url(attempt.token),
        title=score,
        description=_("Take the quiz on “%(title)s” and see how you compare.") % {"title": index.article_title}
        if index.article_is_published
        else _("Take the quiz and see how you compare."),
        image_path=reverse("quiz-result-card", kwargs={"slug": index.slug, "token": attempt.token}),
    )
    # Everyone but the owner gets a page that is cached and shared: it must not carry anyone's token.
    links = Links(index.slug, embed=is_embedded(request), reader=reader_token(request) if is_owner else "")
    context = {
        "quiz": index,
        "intro_url": links.intro(),
        "start_url": links.start(),
        "reader_token": links.reader,
        "attempt": attempt,
        "is_owner": is_owner,
        "review": review,
        "distribution": distribution,
        "min_sample": quiz_services.min_sample(),
        "share": share,
        # A friend is challenged with the quiz itself, not with this reader's result.
        "challenge_url": site_url(index.get_absolute_url()),
        # Translators: the text sent with the quiz's link to challenge a friend.
        "challenge_text": _("Can you beat me on the quiz “%(title)s”?") % {"title": index.title},
        # Translators: the text readers share with their result link, e.g. "I got 7/10 on “Border facts”. Can you
        # beat it?"
        "share_text": _("I got %(score)s/%(total)s on “%(title)s”. Can you beat it?") % result,
    }
    return render_to_string("quizzes/results.html", context, request)


@require_safe
@keeps_reader_cookie
def quiz_result(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A finished attempt's score for anyone with the link; its owner also sees the review of their answers.

    What everyone else sees is rendered once per content version and state of the statistics
    (readers open shared results far more often than their owners do), stored with the quiz.
    """
    shared_key = result_key(slug, token[:TOKEN_LENGTH], embed=is_embedded(request))
    found = _find_quiz(request, slug, prefetch=(shared_key,))
    attempt = _finished_attempt(found.index, token) if found else None
    if found is None or attempt is None:
        return _error(
            request,
            status=404,
            title=_("Result not found"),
            message=_("There is no quiz result at this address. Check that the link was copied whole."),
            quiz=found.index if found else None,
            link=None if found else (reverse("home"), _("Go to the home page")),
        )
    index = found.index
    if moved := _in_reader_language(request, index, lambda links: links.result(token)):
        return moved
    assert attempt.total is not None  # finished: a database constraint sets it
    is_owner = attempt.reader == reader_of(request)
    distribution = quiz_services.score_distribution(quiz_id=index.pk, total=attempt.total, yours=attempt.score)
    statistics = tuple(bar.attempts for bar in distribution.bars)
    if not is_owner and not found.preview:
        stored = found.prefetched.get(shared_key)
        if stored is not None and stored[0] == statistics:
            html = stored[1]
        else:
            html = _render_result(request, index, attempt, distribution, is_owner=False)
            store_for_version(shared_key, found.version, (statistics, html))
        response = HttpResponse(html)
    else:
        response = HttpResponse(_render_result(request, index, attempt, distribution, is_owner=is_owner))
    # The page differs for its owner (the review); shared caches must not keep either version.
    patch_cache_control(response, private=True)
    return response


@require_safe
def quiz_result_card(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    found = _find_quiz(request, slug)
    attempt = _finished_attempt(found.index, token) if found else None
    if found is None or attempt is None:
        return HttpResponse(_("No such result."), status=404, content_type="text/plain; charset=utf-8")
    assert attempt.score is not None and attempt.total is not None  # finished: a database constraint sets both
    response = HttpResponse(
        render_result_card(quiz_title=found.index.title, score=attempt.score, total=attempt.total),
        content_type="image/png",
    )
    # A finished score never changes, so chat apps and browsers may keep the image.
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response
