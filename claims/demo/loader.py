"""Loads the demo content (claims/demo/content.json and article.txt) idempotently.

Running it again updates the demo objects in place, matched by slug, so that
editing the data file and reloading is the way to change the demo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from claims import services
from claims.models import Article, Claim, Question, Quiz, Source
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


def read_article_text(content: dict | None = None) -> str:
    content = content or read_content()
    return (DEMO_DIR / content["article_file"]).read_text(encoding="utf-8")


def parse_article(text: str) -> tuple[str, str, str]:
    """The seed's layout: a headline, a standfirst, then the body paragraphs."""
    title, standfirst, *body = split_paragraphs(text)
    return title, standfirst, "\n\n".join(body)


@transaction.atomic
def load_demo() -> DemoSummary:
    content = read_content()
    title, standfirst, body = parse_article(read_article_text(content))
    meta = content["article"]
    article, _ = Article.objects.update_or_create(
        slug=meta["slug"],
        defaults={
            "title": title,
            "standfirst": standfirst,
            "body": body,
            "publisher": meta["publisher"],
            "byline": meta["byline"],
            "url": meta["url"],
            "published_on": meta["published_on"],
        },
    )
    claims_by_slug = {}
    source_count = 0
    for item in content["claims"]:
        claim = Claim.objects.filter(slug=item["slug"]).first() or Claim(slug=item["slug"])
        for field in (
            "statement",
            "claimant",
            "claimant_description",
            "said_where",
            "verdict",
            "ruling",
            "explanation",
        ):
            setattr(claim, field, item[field])
        claim.claimant_is_organization = item.get("claimant_is_organization", False)
        claim.article = article
        claim.save()
        claim.sources.all().delete()
        Source.objects.bulk_create(
            Source(claim=claim, position=position, **source) for position, source in enumerate(item["sources"], 1)
        )
        source_count += len(item["sources"])
        claims_by_slug[claim.slug] = services.claim_publish(claim=claim)

    spec = content["quiz"]
    quiz, _ = Quiz.objects.update_or_create(
        slug=spec["slug"], defaults={"title": spec["title"], "intro": spec["intro"], "article": article}
    )
    _sync_questions(quiz, spec["questions"], claims_by_slug)
    services.quiz_publish(quiz=quiz)
    return DemoSummary(
        articles=1,
        claims=len(claims_by_slug),
        sources=source_count,
        quizzes=1,
        questions=len(spec["questions"]),
    )


def _sync_questions(quiz: Quiz, questions: list[dict], claims_by_slug: dict[str, Claim]) -> None:
    """Update questions and choices in place (by position) so readers' answers keep pointing at them."""
    existing = {q.position: q for q in quiz.questions.all()}
    for position, spec in enumerate(questions, start=1):
        question = existing.pop(position, None) or Question(quiz=quiz, position=position)
        question.prompt = spec["prompt"]
        question.explanation = spec["explanation"]
        question.claim = claims_by_slug[spec["claim"]]
        question.save()
        services.question_set_choices(question=question, choices=[(text, ok) for text, ok in spec["choices"]])
    Question.objects.filter(pk__in=[q.pk for q in existing.values()]).delete()
