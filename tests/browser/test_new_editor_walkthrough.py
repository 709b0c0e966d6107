"""A new editor's walk through the desk (the admin), measured: from pasted text to a published news quiz.

The issue's "Done when": a new editor, starting from pasted text, gets a draft article with suggested fact-checks
and number-guess questions, turns three of them into a reviewed, published quiz without leaving the desk, and
never scrolls past a form error. The editor and the chief editor each have their own browser context; every
page change either makes is a click (or Enter) on a link or a button, counted per step. Each form page's height
at 1280 px is recorded. Whenever an error is shown it must be within the first 900 px of the page.

The review is one pass: the editor submits the article, then its fact-checks, then the quiz (each may be
submitted once what it rests on is submitted: claims/editorial/rules.py, dependency_not_ready), and the chief
editor reviews them in one sitting, publishing them in that order.

Measurements: test-artifacts/walkthrough/measurements.txt (not committed), also printed (``pytest -s``).
"""

from __future__ import annotations

import re
from collections import Counter

from playwright.sync_api import Locator, Page, expect

from claims.demo.loader import DEMO_DIR
from claims.models import Article, Claim, Question, QuestionKind, Quiz, Status
from tests.browser.conftest import PROJECT_DIR
from tests.browser.test_admin_browser import log_in_as
from tests.factories import ChiefEditorFactory, EditorFactory

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "walkthrough"
PASTED = (DEMO_DIR / "article.txt").read_text(encoding="utf-8")
FIRST_SCREEN = 900  # px: an error must start above this, so nobody scrolls to find it
ERRORS = ".error-summary, .errornote, ul.messagelist li.error"
RULINGS = [
    "Mostly true: the memo asks for 1,000 a day on average; it is a request, not a commitment yet.",
    "True: the draft memo names 200 to 250 people a day, as the article quotes it.",
    "True: border figures for March show more than 172,000 encounters, the highest in 15 years.",
]
EXPLANATION = "We read the documents the article quotes and checked the figures against the agency's tables."


class Walk:
    """Counts the editors' clicks per step, records page heights, and checks where errors are shown."""

    def __init__(self) -> None:
        self.clicks: Counter[str] = Counter()
        self.fields: Counter[str] = Counter()
        self.heights: list[tuple[str, int]] = []
        self.errors_seen: list[tuple[str, float]] = []

    def click(self, page: Page, step: str, target: Locator, *, navigates: bool = True) -> None:
        self.clicks[step] += 1
        if navigates:
            with page.expect_navigation():
                target.click()
            self.check_errors(page)
        else:
            target.click()

    def fill(self, step: str, target: Locator, value: str) -> None:
        self.fields[step] += 1
        target.fill(value)

    def height(self, page: Page, name: str) -> int:
        assert page.viewport_size and page.viewport_size["width"] == 1280
        height = page.evaluate("document.documentElement.scrollHeight")
        self.heights.append((name, height))
        return height

    def check_errors(self, page: Page) -> None:
        for error in page.locator(ERRORS).all():
            if not error.is_visible():
                continue
            top = page.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY", error.element_handle())
            self.errors_seen.append((page.url, top))
            assert top < FIRST_SCREEN, (
                f"An error is shown {top:.0f} px down {page.url}, past the first screen: {error.inner_text()[:200]!r}"
            )

    def report(self) -> str:
        lines = ["New editor walkthrough (1280 x 900 px)", "", "Clicks per step:"]
        lines += [f"  {step}: {count}" for step, count in self.clicks.items()]
        per_claim = [count for step, count in self.clicks.items() if step.startswith("write a fact-check")]
        lines.append(f"  write a fact-check, total for {len(per_claim)}: {sum(per_claim)}")
        lines.append(f"  editor, in all: {sum(c for s, c in self.clicks.items() if s != 'review and publish')}")
        lines += ["", "Fields filled in per step:"]
        lines += [f"  {step}: {count}" for step, count in self.fields.items()]
        lines += ["", "Page heights (document.documentElement.scrollHeight):"]
        lines += [f"  {name}: {height}" for name, height in self.heights]
        lines += ["", "Errors shown (page, px from the top):"]
        lines += [f"  {url}: {top:.0f}" for url, top in self.errors_seen]
        return "\n".join(lines) + "\n"


def _desk_link(page: Page, model: str, pk: int) -> Locator:
    return page.get_by_role("region", name="Your desk").locator(f'a[href="/admin/claims/{model}/{pk}/change/"]')


def _success(page: Page, text: str | re.Pattern) -> None:
    expect(page.locator("ul.messagelist li.success", has_text=text)).to_be_visible()


def _review(walk: Walk, chief: Page, model: str, pk: int) -> None:
    """The chief editor opens the item from "Waiting for your review", and approves and publishes it (one click)."""
    step = "review and publish"
    walk.click(chief, step, chief.get_by_role("link", name="Factcheck editors"))  # the desk, as it is now
    waiting = chief.get_by_role("region", name="Your desk").locator(
        "section", has=chief.get_by_role("heading", name=re.compile(r"^Waiting for your review"))
    )
    walk.click(chief, step, waiting.locator(f'a[href="/admin/claims/{model}/{pk}/change/"]').first)
    walk.click(chief, step, chief.get_by_role("button", name="Approve and publish"))
    _success(chief, "is approved and published.")


def test_a_new_editor_turns_pasted_text_into_a_published_quiz(page: Page, open_page):
    EditorFactory(username="newbie", first_name="Nora", last_name="New")
    ChiefEditorFactory(username="chief", first_name="Cleo", last_name="Chief")
    walk = Walk()
    editor = page
    log_in_as(editor, "newbie")

    # 1. Import: the desk → Articles → Import an article → paste → check → save a draft → its suggestions.
    step = "import"
    walk.click(editor, step, editor.get_by_role("link", name="Articles", exact=True).first)
    walk.click(editor, step, editor.get_by_role("link", name="Import an article"))
    walk.height(editor, "import: paste")
    walk.fill(step, editor.get_by_label("Or the article's text"), PASTED)
    walk.click(editor, step, editor.get_by_role("button", name="Find the article"))
    expect(editor.get_by_label("Title")).to_have_value(re.compile(r"^US Officials Have Discussed"))
    walk.height(editor, "import: check")
    walk.click(editor, step, editor.get_by_role("button", name="Save as a draft article"))
    article = Article.objects.get()
    assert (article.status, article.author.username) == (Status.DRAFT, "newbie")
    walk.height(editor, "article form")
    # The article goes to review now: its fact-checks may be submitted once it is.
    walk.click(editor, "submit the article", editor.get_by_role("button", name="Save and submit for review"))
    _success(editor, "is submitted for review.")
    walk.click(editor, step, editor.get_by_role("link", name="Suggested fact-checks"))
    walk.height(editor, "suggestions")

    # 2. Three sentences with a figure: a draft fact-check from each (one click), then a number guess on its figure.
    with_figures = editor.locator(
        "li.import-suggestion", has=editor.get_by_role("button", name=re.compile("^Draft a number-guess question"))
    )
    sentences = [text.strip() for text in with_figures.locator("blockquote").all_inner_texts()[:3]]
    assert len(sentences) == 3, "the demo article should give at least three suggestions with a figure to guess"
    claims: list[Claim] = []
    for index, sentence in enumerate(sentences):
        card = with_figures.filter(has=editor.locator("blockquote", has_text=sentence)).first
        walk.click(
            editor, f"write a fact-check {index + 1}", card.get_by_role("button", name="Draft a fact-check from it")
        )
        claim = Claim.objects.get(pk=int(re.search(r"/claim/(\d+)/change/", editor.url).group(1)))
        claims.append(claim)
        # The import filled in the source: the article, quoting the sentence.
        expect(editor.locator("#id_sources-0-quote")).to_have_value(sentence)
        walk.click(
            editor,
            f"write a fact-check {index + 1}",
            editor.get_by_role("link", name="The article's suggested fact-checks"),
        )
        card = with_figures.filter(has=editor.locator("blockquote", has_text=sentence)).first
        walk.click(editor, "build the quiz", card.get_by_role("button", name=re.compile("^Draft a number-guess")).first)
        _success(editor, "A draft number-guess question is in this quiz")
        walk.click(editor, "build the quiz", editor.get_by_role("link", name="The article's suggested fact-checks"))
    quiz = Quiz.objects.get()
    questions = list(quiz.questions.order_by("position"))
    assert [q.kind for q in questions] == [QuestionKind.NUMBER] * 3
    assert [q.claim_id for q in questions] == [c.pk for c in claims], "each question is backed by its fact-check"
    assert Claim.objects.count() == 3, "the number guess reuses the sentence's draft fact-check"

    # 3. The editor completes each fact-check from the desk's drafts and submits it.
    for index, claim in enumerate(claims):
        step = f"write a fact-check {index + 1}"
        walk.click(editor, step, editor.get_by_role("link", name="Home", exact=True))
        walk.click(editor, step, _desk_link(editor, "claim", claim.pk))
        if index == 0:
            walk.height(editor, "claim form")
        expect(editor.locator("#id_sources-0-quote")).to_have_value(sentences[index])
        editor.locator("#id_verdict").select_option(label="Mostly true" if index == 0 else "True")
        walk.fields[step] += 1
        claimant = editor.locator("#id_claimant")
        if claimant.input_value().startswith("Not known yet"):
            walk.fill(step, claimant, "US officials, in a draft memo")
        walk.fill(step, editor.locator("#id_explanation"), EXPLANATION)
        if index == 0:
            # An error on purpose: a bottom line over its 200 characters.
            walk.fill(step, editor.get_by_label("The bottom line"), RULINGS[0] + " " + "x" * 120)
            walk.click(editor, step, editor.get_by_role("button", name="Save and submit for review"))
            expect(editor.locator(".error-summary")).to_be_visible()
            assert any(url.endswith(f"/claim/{claim.pk}/change/") for url, _ in walk.errors_seen)
            walk.height(editor, "claim form with an error")
        walk.fill(step, editor.get_by_label("The bottom line"), RULINGS[index])
        walk.click(editor, step, editor.get_by_role("button", name="Save and submit for review"))
        _success(editor, "is submitted for review.")
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW, claim.status

    # 4. The quiz: its questions came filled in from the figures; the editor checks them and submits it.
    step = "build the quiz"
    walk.click(editor, step, editor.get_by_role("link", name="Home", exact=True))
    walk.click(editor, step, _desk_link(editor, "quiz", quiz.pk).first)
    walk.height(editor, "quiz form (folded)")
    for index, question in enumerate(questions):
        card = editor.locator(f"#questions-{index}")
        walk.click(editor, step, card.locator("summary"), navigates=False)
        expect(card.get_by_label("True value")).to_have_value(re.compile(r"^\d"))
        expect(card.locator("textarea[name$='-value_quote']")).to_have_value(question.value_quote)
    walk.height(editor, "quiz form (questions open)")
    walk.click(editor, step, editor.get_by_role("button", name="Save and submit for review"))
    _success(editor, "is submitted for review.")

    # 5. The chief editor, in one sitting from the desk: the article, its three fact-checks, then the quiz.
    chief = open_page()
    log_in_as(chief, "chief")
    _review(walk, chief, "article", article.pk)
    for claim in claims:
        _review(walk, chief, "claim", claim.pk)
    _review(walk, chief, "quiz", quiz.pk)

    # 6. Published, with three number guesses, and a reader sees it.
    quiz.refresh_from_db()
    article.refresh_from_db()
    assert (quiz.status, article.status) == (Status.PUBLISHED, Status.PUBLISHED)
    assert all(c.status == Status.PUBLISHED for c in Claim.objects.all())
    assert Question.objects.filter(quiz=quiz, kind=QuestionKind.NUMBER).count() == 3
    reader = open_page()
    response = reader.goto(f"/quizzes/{quiz.slug}/")
    assert response is not None and response.status == 200
    expect(reader.get_by_role("heading", level=1)).to_contain_text(quiz.title)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = walk.report()
    (ARTIFACTS / "measurements.txt").write_text(report, encoding="utf-8")
    print("\n" + report)
