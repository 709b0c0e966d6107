"""Loads the demo content (claims/demo/content.json and article.txt) idempotently, through the editorial actions.

Running it again updates the demo objects in place, matched by slug, so that
editing the data file and reloading is the way to change the demo.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from claims import editorial
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER, QuestionDraft
from claims.models import Article, Claim, Page, Question, QuestionKind, Quiz, Source, Status
from claims.models.articles import split_paragraphs

DEMO_DIR = Path(__file__).resolve().parent


@dataclass
class DemoSummary:
    articles: int
    claims: int
    sources: int
    quizzes: int
    questions: int


def read_content() -> dict:
    return json.loads((DEMO_DIR / "content.json").read_text(encoding="utf-8"))


def read_spanish() -> dict:
    """Our Spanish translation of every demo fact-check and of the quiz (claims/demo/content_es.json)."""
    return json.loads((DEMO_DIR / "content_es.json").read_text(encoding="utf-8"))


def read_article_text(content: dict | None = None) -> str:
    content = content or read_content()
    return (DEMO_DIR / content["article_file"]).read_text(encoding="utf-8")


def parse_article(text: str) -> tuple[str, str, str]:
    """The seed's layout: a headline, a standfirst, then the body paragraphs."""
    title, standfirst, *body = split_paragraphs(text)
    return title, standfirst, "\n\n".join(body)


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo, or bring it up to date, through the editorial actions like any editor's work.

    New items are drafted by the DEMO_AUTHOR system actor and approved and published by DEMO_REVIEWER
    (claims/editorial/actors.py); published items are edited in place by DEMO_REVIEWER, a chief editor's
    path, so a changed verdict gets a public correction and a changed article text keeps quotes checked.
    """
    content = read_content()
    title, standfirst, body = parse_article(read_article_text(content))
    meta = content["article"]
    article = Article.objects.filter(slug=meta["slug"]).first() or Article(slug=meta["slug"])
    article.title, article.standfirst, article.body = title, standfirst, body
    for field in ("publisher", "byline", "url"):
        setattr(article, field, meta[field])
    article.published_on = datetime.date.fromisoformat(meta["published_on"]) if meta["published_on"] else None
    article = _live(article, lambda by: editorial.article_save(article=article, by=by, correction_note=RELOADED))

    claims_by_slug = {}
    source_count = 0
    for item in content["claims"]:
        claim = Claim.objects.filter(slug=item["slug"]).first() or Claim(slug=item["slug"])
        for field in CLAIM_FIELDS:
            setattr(claim, field, item[field])
        claim.claimant_is_organization = item.get("claimant_is_organization", False)
        claim.article = article
        existing = list(claim.sources.order_by("position", "id")) if claim.pk else []
        sources = []
        for position, spec in enumerate(item["sources"], start=1):
            source = existing[position - 1] if position <= len(existing) else Source()
            source.position, source.quotes_article = position, spec.get("quotes_article", True)
            for field in ("publisher", "title", "url", "quote"):
                setattr(source, field, spec.get(field, ""))
            source.no_link_reason = spec.get("no_link_reason", "")
            sources.append(source)
        source_count += len(sources)

        def save_claim(by: editorial.Actor, claim: Claim = claim, sources: list[Source] = sources) -> Claim:
            return editorial.claim_save(claim=claim, sources=sources, by=by, correction_note=RELOADED)

        claims_by_slug[claim.slug] = _live(claim, save_claim)

    spec = content["quiz"]
    quiz = Quiz.objects.filter(slug=spec["slug"]).first() or Quiz(slug=spec["slug"])
    quiz.title, quiz.intro, quiz.article = spec["title"], spec["intro"], article
    questions = _question_drafts(quiz, spec["questions"], claims_by_slug)
    quiz = _live(quiz, lambda by: editorial.quiz_save(quiz=quiz, questions=questions, by=by))
    spanish = read_spanish()
    _load_spanish(spanish, claims_by_slug, quiz)
    _load_pages({settings.LANGUAGE_CODE: content["pages"], SPANISH: spanish["pages"]})
    return DemoSummary(
        articles=1,
        claims=len(claims_by_slug),
        sources=source_count,
        quizzes=1,
        questions=len(spec["questions"]),
    )


CLAIM_FIELDS = ("statement", "claimant", "claimant_description", "said_where", "verdict", "ruling", "explanation")
# Shown to readers only if a reload changes a published verdict, or removes a quoted passage from the article.
RELOADED = "The demo content was updated from the project's source files."


def _live[T: (Article, Claim, Quiz)](obj: T, save: Callable[[editorial.Actor], T]) -> T:
    """Save `obj` through its action and make sure it ends up published, by the review path."""
    if obj.pk and obj.status == Status.PUBLISHED:
        return save(DEMO_REVIEWER)  # nothing recorded when nothing changed
    obj = save(DEMO_AUTHOR if obj.pk is None or obj.status == Status.DRAFT else DEMO_REVIEWER)
    if obj.status == Status.DRAFT:
        obj = editorial.submit_for_review(obj=obj, by=DEMO_AUTHOR)
    obj = editorial.approve(obj=obj, by=DEMO_REVIEWER)
    return editorial.publish(obj=obj, by=DEMO_REVIEWER)


def _question_drafts(quiz: Quiz, questions: list[dict], claims_by_slug: dict[str, Claim]) -> list[QuestionDraft]:
    """Questions matched by position, so readers' answers keep pointing at them."""
    existing = {q.position: q for q in quiz.questions.all()} if quiz.pk else {}
    drafts = []
    for position, spec in enumerate(questions, start=1):
        question = existing.get(position) or Question(position=position)
        question.prompt = spec["prompt"]
        question.explanation = spec["explanation"]
        question.claim = claims_by_slug[spec["claim"]]
        _set_number(question, spec.get("number"))
        drafts.append(QuestionDraft(question, [(text, ok) for text, ok in spec["choices"]]))
    return drafts


def _set_number(question: Question, number: dict[str, str] | None) -> None:
    """A number guess's figures (as strings in the file, read as Decimals), or a question of choices."""
    if number is None:
        question.kind = QuestionKind.CHOICE
        return
    question.kind = QuestionKind.NUMBER
    question.number_min, question.number_max = Decimal(number["min"]), Decimal(number["max"])
    question.number_step, question.number_unit = Decimal(number["step"]), number["unit"]
    question.true_value, question.tolerance = Decimal(number["value"]), Decimal(number["tolerance"])
    question.value_quote = number["quote"]


def _translation_of[T: (Claim, Quiz)](original: T) -> T:
    existing = type(original).objects.filter(translation_of=original, language=SPANISH).first()
    return existing or editorial.translation_start(original=original, language=SPANISH, by=DEMO_AUTHOR)


def _load_spanish(spanish: dict, claims_by_slug: dict[str, Claim], quiz: Quiz) -> None:
    """The Spanish versions, through the same actions and review as any translator's work. The article
    stays in English: the Spanish fact-checks quote it verbatim, with our translation beside each quote."""
    for slug, words in spanish["claims"].items():
        original = claims_by_slug[slug]
        translation = _translation_of(original)
        for field in TRANSLATED_CLAIM_FIELDS:
            setattr(translation, field, words[field])
        sources = list(original.sources.order_by("position", "id"))
        quotes = {source.pk: text for source, text in zip(sources, words["quotes"], strict=True)}

        def save_claim(by: editorial.Actor, claim: Claim = translation, quotes: dict[int, str] = quotes) -> Claim:
            return editorial.translation_save(translation=claim, quotes=quotes, by=by)

        _live(translation, save_claim)

    words = spanish["quiz"]
    translated_quiz = _translation_of(quiz)
    translated_quiz.title, translated_quiz.intro = words["title"], words["intro"]
    prompts: dict[int, tuple[str, str]] = {}
    choices: dict[int, str] = {}
    units: dict[int, str] = {}
    for question, spec in zip(quiz.questions.prefetch_related("choices"), words["questions"], strict=True):
        prompts[question.pk] = (spec["prompt"], spec["explanation"])
        choices.update(zip([c.pk for c in question.choices.all()], spec["choices"], strict=True))
        if "unit" in spec:
            units[question.pk] = spec["unit"]
    _live(
        translated_quiz,
        lambda by: editorial.translation_save(
            translation=translated_quiz, prompts=prompts, choices=choices, units=units, by=by
        ),
    )


SPANISH = "es"
TRANSLATED_CLAIM_FIELDS = ("statement", "claimant", "claimant_description", "said_where", "ruling", "explanation")


def _load_pages(pages: dict[str, dict[str, dict[str, str]]]) -> None:
    """The organisation's own pages in each language (who owns and funds the demo: no one), saved as a chief
    editor saves them; left alone when they already say what the files say."""
    for language, kinds in pages.items():
        for kind, words in kinds.items():
            page = Page.objects.filter(kind=kind, language=language).first() or Page(kind=kind, language=language)
            if page.pk is None or (page.title, page.body) != (words["title"], words["body"]):
                page.title, page.body = words["title"], words["body"]
                editorial.page_save(page=page, by=DEMO_REVIEWER)
