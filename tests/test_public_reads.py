"""Readers see published content only: on every page, card, feed and sitemap, and also from the page cache.

One table: for each kind of reader-visible content (article, claim, quiz), each unpublished state (draft, in
review) and each channel a reader or a crawler could reach it by, an anonymous request gets nothing, twice in
a row (the second request would be served from the page cache if the first had filled it). Each unpublished
object also carries `published_at` from an earlier publication, as an unpublished item does, so a check on
the date alone would not hide it.

Then: published content that is unpublished through the editorial action disappears on the next request,
although the first request cached it; and an editor gets a marked, uncached preview of a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import editorial
from claims.models import Article, Attempt, Claim, ClaimSlugRedirect, Correction, Question, Quiz, Status
from claims.verdicts import Verdict
from tests.factories import (
    ArticleFactory,
    AttemptFactory,
    ChiefEditorFactory,
    EditorFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    take_quiz,
)
from tests.helpers.quiz_readers import become_reader

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Status.DRAFT, Status.IN_REVIEW]
SECRET = "Zanzibar"  # in every text of the object under test, and nowhere else on the site
PREVIEW_BANNER = "This is a draft: readers cannot see it yet."


# -- the content under test, with everything around it that could point readers at it --


@dataclass
class World:
    kind: str
    obj: Article | Claim | Quiz
    texts: list[str]  # what only this object shows: its headline, statement, prompts, notes
    related: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.obj.get_absolute_url()

    def shown_in(self, html: str) -> bool:
        return any(text in html for text in self.texts)


def article_world(state: str) -> World:
    """The article in `state`; a published claim quoting it and a published quiz on it.

    The editorial rules keep published claims and quizzes off unpublished articles (claim_readiness,
    quiz_readiness, unpublish_problems); the pages must not depend on that alone.
    """
    article = ArticleFactory(
        status=state,
        published_at=timezone.now(),
        title=f"{SECRET} ferry numbers double",
        slug="zanzibar-ferries",
        url="https://news.example/zanzibar-ferries",
        body="First paragraph.\n\nIt said a quotable sentence here.\n\nThird paragraph.",
    )
    claim = PublishedClaimFactory(article=article, source__quote="a quotable sentence")
    quiz = PublishedQuizFactory(article=article, questions=1)
    Question.objects.filter(quiz=quiz).update(claim=claim)  # instead of the factory's own backing claim
    Claim.objects.filter(article=article).exclude(pk=claim.pk).delete()
    return World("article", article, [article.title], {"claim": claim, "quiz": quiz})


def claim_world(state: str) -> World:
    """The claim in `state`, quoting a published article; with a correction, an old permalink, and a
    published quiz whose question it backs (as when a claim is unpublished after its quiz was published)."""
    article = ArticleFactory(title="Ferries and ports", body="First paragraph.\n\nIt said a quotable sentence here.")
    claim = PublishedClaimFactory(
        status=state,
        article=article,
        slug="zanzibar-ferries-claim",
        statement=f"{SECRET} ferries carry 9,999 people a day.",
        ruling=f"Mostly true: the {SECRET} port authority says so.",
        verdict=Verdict.MOSTLY_TRUE,
        source__quote="a quotable sentence",
    )
    note = f"We corrected the {SECRET} passenger figure."
    Correction.objects.create(
        claim=claim, note=note, previous_verdict=Verdict.TRUE, verdict=claim.verdict, previous_ruling="True."
    )
    ClaimSlugRedirect.objects.create(old_slug="zanzibar-old-slug", claim=claim)
    quiz = PublishedQuizFactory(questions=1)  # on another article, so only this claim quotes `article`
    Question.objects.filter(quiz=quiz).update(claim=claim)
    texts = [claim.statement, claim.ruling, note]  # not SECRET alone: the index's search box echoes the query
    return World("claim", claim, texts, {"article": article, "quiz": quiz, "old_slug": "zanzibar-old-slug"})


def quiz_world(state: str) -> World:
    """The quiz in `state` on a published article, its questions backed by published claims; one reader is
    half-way through it and another finished it (both while it was published)."""
    quiz = PublishedQuizFactory(status=state, title=f"The {SECRET} ferry quiz", slug="zanzibar-quiz", questions=2)
    for number, question in enumerate(quiz.questions.order_by("position"), start=1):
        Question.objects.filter(pk=question.pk).update(prompt=f"{SECRET} question {number}?")
    in_progress = AttemptFactory(quiz=quiz)
    finished = take_quiz(quiz, right=1)
    return World(
        "quiz",
        quiz,
        [SECRET],
        {
            "article": quiz.article,
            "claim": quiz.questions.first().claim,
            "in_progress": in_progress,
            "finished": finished,
        },
    )


WORLDS: dict[str, Callable[[str], World]] = {"article": article_world, "claim": claim_world, "quiz": quiz_world}


# -- the channels: how a reader or a crawler could reach the content --


@dataclass(frozen=True)
class Seen:
    status: int | tuple[int, int]
    shows: bool  # the content, or a link to it, is in the response
    request: str


@dataclass(frozen=True)
class Channel:
    name: str
    probe: Callable[[Client, World], Seen]
    hidden_status: int = 404  # 404 for the content's own addresses; 200 for listings that must leave it out
    shown_status: int = 200


def _get(client: Client, url: str, world: World, *, also: tuple[str, ...] = (), **params) -> Seen:
    response = client.get(url, params)
    body = response.content.decode(errors="replace")
    shows = world.shown_in(body) or any(text in body for text in also)
    return Seen(response.status_code, shows, f"GET {url} {params or ''}".strip())


def _as_reader(client: Client, attempt: Attempt) -> None:
    """Make `client` the browser that took `attempt`."""
    become_reader(client, attempt.reader)


def page(client, w):
    return _get(client, w.url, w)


def card(client, w):
    response = client.get(f"{w.url}card.png")
    return Seen(response.status_code, response.status_code == 200, "GET card.png")


def old_permalink(client, w):
    response = client.get(reverse("claim-detail", kwargs={"slug": w.related["old_slug"]}))
    return Seen(response.status_code, w.url in response.get("Location", ""), "GET old permalink")


def old_card(client, w):
    response = client.get(reverse("claim-card", kwargs={"slug": w.related["old_slug"]}))
    return Seen(response.status_code, w.url in response.get("Location", ""), "GET old card.png")


def claim_feed(client, w):
    return _get(client, reverse("claim-feed"), w, also=(w.url,))


def correction_feed(client, w):
    return _get(client, reverse("correction-feed"), w, also=(w.url,))


def corrections_page(client, w):
    return _get(client, reverse("corrections"), w, also=(w.url,))


def sitemap(client, w):
    return _get(client, reverse("sitemap"), w, also=(f"{w.url}</loc>",))


def claim_index(client, w):
    return _get(client, reverse("claim-index"), w, also=(w.url,))


def claim_index_search(client, w):
    return _get(client, reverse("claim-index"), w, also=(w.url,), q=SECRET)


def home(client, w):
    return _get(client, reverse("home"), w, also=(w.url,))


def article_passages(client, w):
    """The published article the claim quotes: no passage marked or linked for it."""
    url = w.related["article"].get_absolute_url()
    response = client.get(url)
    body = response.text.split('class="article__body"', 1)[-1]
    shows = w.shown_in(response.text) or w.url in response.text or "passage__mark" in body
    return Seen(response.status_code, shows, f"GET {url}")


def quiz_feedback(client, w):
    """A reader answers the published quiz's question that this claim backs: no link to the claim."""
    quiz = w.related["quiz"]
    question = quiz.questions.get()
    client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    question_url = reverse("quiz-question", kwargs={"slug": quiz.slug, "number": 1})
    client.post(question_url, {"question": question.pk, "choice": question.correct_choice.pk})
    feedback = _get(client, question_url, w, also=(w.url,))
    attempt = Attempt.objects.filter(quiz=quiz).exclude(finished_at=None).order_by("-id").first()
    results = _get(client, attempt.get_absolute_url(), w, also=(w.url,))
    status = feedback.status if feedback.status == results.status else (feedback.status, results.status)
    return Seen(status, feedback.shows or results.shows, "answer, then GET the question and the results")


def published_claim_page(client, w):
    """The page of a published claim drawn from the unpublished article."""
    return _get(client, w.related["claim"].get_absolute_url(), w, also=(w.url,))


def published_quiz_page(client, w):
    """The intro of a published quiz on the unpublished article."""
    return _get(client, w.related["quiz"].get_absolute_url(), w, also=(w.url,))


def quiz_start(client, w):
    response = client.post(reverse("quiz-start", kwargs={"slug": w.obj.slug}))
    return Seen(response.status_code, response.status_code == 303 or w.shown_in(response.text), "POST start")


def quiz_question(client, w):
    """The question page, for the reader who started the quiz while it was published."""
    _as_reader(client, w.related["in_progress"])
    return _get(client, reverse("quiz-question", kwargs={"slug": w.obj.slug, "number": 1}), w)


def quiz_results(client, w):
    """A finished attempt's results, for the reader who took it (who would see the questions reviewed)."""
    _as_reader(client, w.related["finished"])
    return _get(client, w.related["finished"].get_absolute_url(), w)


def quiz_result_card(client, w):
    response = client.get(f"{w.related['finished'].get_absolute_url()}card.png")
    return Seen(response.status_code, response.status_code == 200, "GET result card.png")


def article_quiz_call(client, w):
    """The quiz's published article: no call to take the quiz."""
    return _get(client, w.related["article"].get_absolute_url(), w, also=(w.url,))


def backing_claim_quiz_link(client, w):
    """A published claim that backs one of the quiz's questions: no link to the quiz."""
    return _get(client, w.related["claim"].get_absolute_url(), w, also=(w.url,))


CHANNELS: dict[str, list[Channel]] = {
    "article": [
        Channel("page", page),
        Channel("sitemap", sitemap, hidden_status=200),
        Channel("claim-index", claim_index, hidden_status=200),
        Channel("home", home, hidden_status=200),
        Channel("published-claim-page", published_claim_page, hidden_status=200),
        Channel("published-quiz-page", published_quiz_page, hidden_status=200),
    ],
    "claim": [
        Channel("page", page),
        Channel("card", card),
        Channel("old-permalink", old_permalink, shown_status=301),
        Channel("old-card", old_card, shown_status=301),
        Channel("feed", claim_feed, hidden_status=200),
        Channel("corrections", corrections_page, hidden_status=200),
        Channel("correction-feed", correction_feed, hidden_status=200),
        Channel("sitemap", sitemap, hidden_status=200),
        Channel("claim-index", claim_index, hidden_status=200),
        Channel("claim-index-search", claim_index_search, hidden_status=200),
        Channel("home", home, hidden_status=200),
        Channel("article-passages", article_passages, hidden_status=200),
        Channel("quiz-feedback", quiz_feedback, hidden_status=200),
    ],
    "quiz": [
        Channel("page", page),
        Channel("start", quiz_start, shown_status=303),
        Channel("question", quiz_question),
        Channel("results", quiz_results),
        Channel("result-card", quiz_result_card),
        Channel("sitemap", sitemap, hidden_status=200),
        Channel("home", home, hidden_status=200),
        Channel("article-quiz-call", article_quiz_call, hidden_status=200),
        Channel("backing-claim-quiz-link", backing_claim_quiz_link, hidden_status=200),
    ],
}

CASES = [
    pytest.param(kind, state, channel, id=f"{kind}-{state}-{channel.name}")
    for kind, channels in CHANNELS.items()
    for state in UNPUBLISHED
    for channel in channels
]


def assert_hidden(client: Client, world: World, channel: Channel) -> None:
    for attempt in ("first", "second"):
        seen = channel.probe(client, world)
        assert (seen.status, seen.shows) == (channel.hidden_status, False), (
            f"{world.kind} ({world.obj.status}) reached through {channel.name} on the {attempt} request: {seen}"
        )


def assert_shown(client: Client, world: World, channel: Channel) -> None:
    seen = channel.probe(client, world)
    assert (seen.status, seen.shows) == (channel.shown_status, True), f"{channel.name} while published: {seen}"


@pytest.mark.parametrize(("kind", "state", "channel"), CASES)
def test_unpublished_content_reaches_no_reader(client, kind, state, channel):
    world = WORLDS[kind](state)
    assert_hidden(client, world, channel)


@pytest.mark.parametrize("kind", list(CHANNELS))
def test_the_same_worlds_published_are_shown(client, kind):
    """The probes can see published content, so a hidden result above means hidden, not a broken probe."""
    world = WORLDS[kind](Status.PUBLISHED)
    for channel in CHANNELS[kind]:
        if channel.name in ("published-claim-page", "published-quiz-page", "quiz-feedback"):
            continue  # these look at other, published content, which always shows
        assert_shown(Client(), world, channel)


# -- published, read (and cached), then unpublished through the action: gone on the next request --

UNPUBLISH_CHANNELS = {
    "claim": [
        "page",
        "card",
        "feed",
        "sitemap",
        "claim-index",
        "home",
        "article-passages",
        "corrections",
        "correction-feed",
    ],
    "quiz": ["page", "question", "results", "result-card", "sitemap", "home", "article-quiz-call"],
    "article": ["page", "claim-index", "home"],
}


@pytest.mark.parametrize("kind", list(UNPUBLISH_CHANNELS))
def test_unpublished_content_disappears_on_the_next_request(
    client, kind, django_assert_num_queries, django_capture_on_commit_callbacks
):
    world = WORLDS[kind](Status.PUBLISHED)
    channels = [c for c in CHANNELS[kind] if c.name in UNPUBLISH_CHANNELS[kind]]
    for channel in channels:
        assert_shown(client, world, channel)
    if kind != "quiz":
        with django_assert_num_queries(0):  # the page is in the cache now: this is what must not be served
            assert client.get(world.url).status_code == 200

    chief = ChiefEditorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        # What rests on it comes down first (rules.unpublish_problems): the quiz, then the fact-check.
        if kind in ("article", "claim") and "quiz" in world.related:
            editorial.unpublish(obj=world.related["quiz"], by=chief)
        if kind == "article":
            editorial.unpublish(obj=world.related["claim"], by=chief)
        editorial.unpublish(obj=world.obj, by=chief)
    world.obj.refresh_from_db()
    assert world.obj.status == Status.DRAFT

    for channel in channels:
        assert_hidden(client, world, channel)


# -- editors preview drafts: marked, never cached, and the preview does not leak to readers --


@pytest.mark.parametrize("state", UNPUBLISHED)
@pytest.mark.parametrize("kind", list(WORLDS))
def test_editor_gets_a_marked_uncached_preview(client, kind, state):
    world = WORLDS[kind](state)
    client.force_login(EditorFactory())
    for _ in range(2):
        response = client.get(world.url)
        assert response.status_code == 200
        assert world.shown_in(response.text)
        assert PREVIEW_BANNER in response.text
        assert 'content="noindex, nofollow"' in response.text
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert Client().get(world.url).status_code == 404  # the preview filled no cache that readers share


def test_a_published_page_shows_no_preview_banner(client):
    world = claim_world(Status.PUBLISHED)
    client.force_login(EditorFactory())
    response = client.get(world.url)
    assert PREVIEW_BANNER not in response.text
    assert "no-store" not in response["Cache-Control"]
