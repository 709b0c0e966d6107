"""The quiz readers take: intro, one URL per question, results and their share card.

Every step works as plain HTML forms and links (POST, 303 redirect, GET);
htmx, when present, swaps the `step` partial of quizzes/question.html in place
of the current step instead. The rules live in claims/quiz_services.py; these
views only parse the request, pick the response and render.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url

from claims import quiz_services
from claims.htmx import vary_on_htmx, wants_partial
from claims.models import Attempt, Choice, Question, Quiz, Status
from claims.preview import can_preview, mark_preview
from claims.quiz_services import NotYourTurn, Progress, WrongChoice
from claims.ratelimit import rate_limited
from claims.result_cards import render_result_card
from claims.share_meta import share_meta

READER_SESSION_KEY = "quiz_reader"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _reader(request: HttpRequest) -> str | None:
    return request.session.get(READER_SESSION_KEY)


def _ensure_reader(request: HttpRequest) -> str:
    reader = _reader(request)
    if not reader:
        reader = secrets.token_urlsafe(16)
        request.session[READER_SESSION_KEY] = reader
    return reader


def _published_quiz(slug: str, request: HttpRequest) -> Quiz | None:
    """The published quiz at `slug`; for an editor, a draft too, shown as a preview."""
    quiz = Quiz.objects.select_related("article").filter(slug=slug).first()
    if quiz is None:
        return None
    if quiz.status == Status.PUBLISHED and quiz.published_at and quiz.published_at <= timezone.now():
        return quiz
    if can_preview(request, "quiz"):
        mark_preview(request)
        return quiz
    return None


def _question_url(quiz: Quiz, number: int) -> str:
    return reverse("quiz-question", kwargs={"slug": quiz.slug, "number": number})


def _error(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    quiz: Quiz | None = None,
    link: tuple[str, str] | None = None,
) -> HttpResponse:
    """A clear 4xx page, or the same message as a fragment that htmx swaps in place of the step."""
    if link is None and quiz is not None:
        link = (quiz.get_absolute_url(), f"Back to “{quiz.title}”")
    template = "quizzes/error.html#error" if wants_partial(request) else "quizzes/error.html"
    response = render(
        request, template, {"title": title, "message": message, "quiz": quiz, "link": link}, status=status
    )
    vary_on_htmx(response)
    return response


def _quiz_not_found(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        status=404,
        title="Quiz not found",
        message="There is no published quiz at this address. It may have been unpublished or the link mistyped.",
        link=(reverse("home"), "Go to the home page"),
    )


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, round(retry_after / 60))
    return _error(
        request,
        status=429,
        title="Too many requests",
        message=f"Too many answers from your network in a short time. Please wait about {minutes} minute"
        f"{'s' if minutes != 1 else ''} and try again; your progress is kept.",
    )


@require_safe
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _published_quiz(slug, request)
    if quiz is None:
        return _quiz_not_found(request)
    attempt = Attempt.objects.latest_for_reader(quiz=quiz, reader=_reader(request))
    resume_at = None
    if attempt is not None and not attempt.is_finished:
        resume_at = quiz_services.resume_number(attempt)
    question_count = quiz.questions.count()
    if quiz.intro:
        description = quiz.intro
    elif quiz.article.is_published:
        description = f"A {question_count}-question quiz on “{quiz.article.title}”."
    else:
        description = f"A {question_count}-question quiz."
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "share": share_meta(
                path=quiz.get_absolute_url(),
                title=quiz.title,
                description=description,
                image_path=reverse("quiz-card", kwargs={"slug": quiz.slug}),
            ),
            "question_count": question_count,
            "attempt": attempt,
            "resume_url": _question_url(quiz, resume_at) if resume_at else None,
            "resume_at": resume_at,
        },
    )


@require_POST
@rate_limited("quiz-start", "QUIZ_START_RATE", _too_many)
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an attempt, or resume the one in progress, and go to its first unanswered question."""
    quiz = _published_quiz(slug, request)
    if quiz is None:
        return _quiz_not_found(request)
    if not quiz.questions.exists():
        return _error(
            request, status=409, title="This quiz has no questions yet", message="Come back later.", quiz=quiz
        )
    attempt = quiz_services.start_attempt(quiz=quiz, reader=_ensure_reader(request))
    number = quiz_services.resume_number(attempt) or 1
    return HttpResponseSeeOther(_question_url(quiz, number))


@dataclass(frozen=True)
class ParsedAnswer:
    choice: Choice | None  # None: the reader selected nothing


class BadAnswer(Exception):
    pass


def _id(raw: str) -> int | None:
    """A database id from form data, or None. ASCII digits only: str.isdigit() also accepts "²",
    which int() refuses, and a huge number would exceed int()'s digit limit."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def _parse_answer(data, question: Question) -> ParsedAnswer:
    """Check the posted form against the question (already loaded with its choices): no queries."""
    question_id = _id(data.get("question", ""))
    if question_id is None:
        raise BadAnswer("The form did not say which question it answers. Reload the page and answer again.")
    if question_id != question.pk:
        raise BadAnswer("This answer is for a different question from the one at this address.")
    raw_choice = data.get("choice", "")
    if raw_choice == "":
        return ParsedAnswer(choice=None)
    choice_id = _id(raw_choice)
    if choice_id is None:
        raise BadAnswer("That is not one of the choices. Pick one of the answers listed.")
    choice = next((c for c in question.choices.all() if c.pk == choice_id), None)
    if choice is None:
        raise BadAnswer("That choice does not belong to this question. Pick one of the answers listed.")
    return ParsedAnswer(choice=choice)


def _render_step(
    request: HttpRequest,
    *,
    quiz: Quiz,
    attempt: Attempt,
    progress: Progress,
    number: int,
    error: str | None = None,
    already_answered: bool = False,
    status: int = 200,
) -> HttpResponse:
    question = progress.questions[number - 1]
    answer = progress.answers.get(question.pk)
    context: dict[str, Any] = {
        "quiz": quiz,
        "attempt": attempt,
        "progress": progress,
        "number": number,
        "question": question,
        "question_url": _question_url(quiz, number),
        "answer": answer,
        "error": error,
        "already_answered": already_answered,
    }
    if answer is not None:
        tally = quiz_services.question_tally(question)
        correct = question.correct_choice
        context |= {
            "tally": tally,
            "correct_choice": correct,
            "next_url": _question_url(quiz, number + 1) if number < progress.total else None,
            "result_url": attempt.get_absolute_url() if attempt.is_finished else None,
            "focus": "#feedback-heading",
            "announce": " ".join(
                part
                for part in (
                    "Right." if answer.is_correct else "Wrong.",
                    f"The answer is {correct.text}." if correct else "",
                    f"{tally.percent_correct}% of readers got this right." if tally.answered else "",
                )
                if part
            ),
        }
    else:
        context |= {
            "focus": "#choice-error" if error else "#question",
            "announce": error or f"Question {number} of {progress.total}: {question.prompt}",
        }
    if wants_partial(request):
        response = render(request, "quizzes/question.html#step", context, status=status)
        if request.method == "GET":
            # The URL of the question actually shown, also after a jump to the first unanswered one.
            push_url(response, context["question_url"])
    else:
        response = render(request, "quizzes/question.html", context, status=status)
    vary_on_htmx(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
@rate_limited("quiz-answer", "QUIZ_ANSWER_RATE", _too_many)
def quiz_question(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    quiz = _published_quiz(slug, request)
    if quiz is None:
        return _quiz_not_found(request)
    questions = quiz_services.quiz_questions(quiz)
    if not 1 <= number <= len(questions):
        return _error(
            request,
            status=404,
            title="No such question",
            message=f"This quiz has {len(questions)} question{'s' if len(questions) != 1 else ''}.",
            quiz=quiz,
        )
    question = questions[number - 1]
    attempt = Attempt.objects.latest_for_reader(quiz=quiz, reader=_reader(request))
    if attempt is None:
        if request.method == "GET":
            # Nothing started in this browser (or the session expired): the intro has the Start button.
            if wants_partial(request):
                return HttpResponseClientRedirect(quiz.get_absolute_url())
            return HttpResponseRedirect(quiz.get_absolute_url())
        return _error(
            request,
            status=409,
            title="No quiz in progress",
            message="We could not find your quiz in this browser; it may have expired. Start the quiz to answer.",
            quiz=quiz,
        )
    progress = quiz_services.attempt_progress(attempt, questions)

    if request.method == "GET":
        if question.pk not in progress.answers and number != progress.next_number:
            # Questions are answered in order: a later one jumps to the first unanswered one.
            target = _question_url(quiz, progress.next_number) if progress.next_number else None
            if target is None:
                target = attempt.get_absolute_url() if attempt.is_finished else quiz.get_absolute_url()
                if wants_partial(request):
                    return HttpResponseClientRedirect(target)
            return HttpResponseRedirect(target)
        return _render_step(request, quiz=quiz, attempt=attempt, progress=progress, number=number)

    try:
        parsed = _parse_answer(request.POST, question)
    except BadAnswer as error:
        return _error(request, status=400, title="That answer could not be recorded", message=str(error), quiz=quiz)

    if question.pk in progress.answers:
        return _answered(request, quiz=quiz, attempt=attempt, progress=progress, number=number, already=True)
    if parsed.choice is None:
        # 422 lets htmx swap the form back with its error; without JavaScript it is an ordinary page.
        return _render_step(
            request,
            quiz=quiz,
            attempt=attempt,
            progress=progress,
            number=number,
            error="Choose one of the answers, then submit.",
            status=422 if wants_partial(request) else 200,
        )
    try:
        result = quiz_services.answer_question(attempt=attempt, question=question, choice=parsed.choice)
    except NotYourTurn as refusal:
        if refusal.expected_number is None:
            return _error(
                request,
                status=409,
                title="You have finished this quiz",
                message="Your answers are in. See your score, or start the quiz again.",
                quiz=quiz,
                link=(attempt.get_absolute_url(), "See your score"),
            )
        return _error(
            request,
            status=409,
            title=f"Answer question {refusal.expected_number} first",
            message="Questions are answered in order.",
            quiz=quiz,
            link=(_question_url(quiz, refusal.expected_number), f"Go to question {refusal.expected_number}"),
        )
    except WrongChoice as error:
        return _error(request, status=400, title="That answer could not be recorded", message=str(error), quiz=quiz)
    progress.answers[question.pk] = result.answer
    result.attempt.quiz = quiz
    return _answered(
        request, quiz=quiz, attempt=result.attempt, progress=progress, number=number, already=not result.created
    )


def _answered(
    request: HttpRequest, *, quiz: Quiz, attempt: Attempt, progress: Progress, number: int, already: bool
) -> HttpResponse:
    if wants_partial(request):
        return _render_step(
            request, quiz=quiz, attempt=attempt, progress=progress, number=number, already_answered=already
        )
    # Post/redirect/get: the question's URL shows the feedback once it is answered.
    return HttpResponseSeeOther(_question_url(quiz, number))


def _finished_attempt(quiz: Quiz, token: str) -> Attempt | None:
    attempt = Attempt.objects.finished().filter(quiz=quiz, token=token).first()
    if attempt is not None:
        attempt.quiz = quiz  # spares a query in get_absolute_url()
    return attempt


@require_safe
def quiz_result(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A finished attempt's score for anyone with the link; its owner also sees the review of their answers."""
    quiz = _published_quiz(slug, request)
    attempt = _finished_attempt(quiz, token) if quiz else None
    if quiz is None or attempt is None:
        return _error(
            request,
            status=404,
            title="Result not found",
            message="There is no quiz result at this address. Check that the link was copied whole.",
            quiz=quiz,
            link=None if quiz else (reverse("home"), "Go to the home page"),
        )
    assert attempt.total is not None  # finished: a database constraint sets it
    is_owner = attempt.reader == _reader(request)
    review = None
    if is_owner:
        progress = quiz_services.attempt_progress(attempt, quiz_services.quiz_questions(quiz))
        review = [(question, progress.answers.get(question.pk)) for question in progress.questions]
    score = f"I got {attempt.score}/{attempt.total} on “{quiz.title}”"
    share = share_meta(
        path=attempt.get_absolute_url(),
        title=score,
        description=f"Take the quiz on “{quiz.article.title}” and see how you compare."
        if quiz.article.is_published
        else "Take the quiz and see how you compare.",
        image_path=reverse("quiz-result-card", kwargs={"slug": slug, "token": token}),
    )
    response = render(
        request,
        "quizzes/results.html",
        {
            "quiz": quiz,
            "attempt": attempt,
            "is_owner": is_owner,
            "review": review,
            "distribution": quiz_services.score_distribution(quiz=quiz, total=attempt.total, yours=attempt.score),
            "share": share,
            "share_text": f"{score}. Can you beat it?",
        },
    )
    # The page differs for its owner (the review); shared caches must not keep either version.
    patch_cache_control(response, private=True)
    return response


@require_safe
def quiz_result_card(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    quiz = _published_quiz(slug, request)
    attempt = _finished_attempt(quiz, token) if quiz else None
    if quiz is None or attempt is None:
        return HttpResponse("No such result.", status=404, content_type="text/plain")
    assert attempt.score is not None and attempt.total is not None  # finished: a database constraint sets both
    response = HttpResponse(
        render_result_card(quiz_title=quiz.title, score=attempt.score, total=attempt.total),
        content_type="image/png",
    )
    # A finished score never changes, so chat apps and browsers may keep the image.
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response
