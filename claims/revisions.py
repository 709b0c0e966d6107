"""Revisions: a snapshot of an article, a claim (with its sources), a quiz (with its questions) or one of the
organisation's pages after each save.

Snapshots are plain JSON, so that what a fact-check said at any time can be
read and compared field by field long after the code that wrote it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext

from claims.models import Article, Claim, Page, Quiz, Revision, Status
from claims.verdicts import Verdict

if TYPE_CHECKING:
    from claims.editorial.actors import Actor

CLAIM_FIELDS = [
    "statement", "slug", "claimant", "claimant_description", "said_where", "said_on",
    "verdict", "ruling", "explanation", "article_id", "picture_id", "status",
]  # fmt: skip
QUIZ_FIELDS = ["title", "slug", "intro", "article_id", "status"]
ARTICLE_FIELDS = [
    "title", "slug", "standfirst", "publisher", "byline", "url", "published_on", "body", "picture_id", "status",
]  # fmt: skip
PAGE_FIELDS = ["kind", "language", "title", "body"]


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _source_line(s) -> str:
    where = f" <{s.url}>" if s.url else (f" (no public link: {s.no_link_reason})" if s.no_link_reason else "")
    kind = "" if s.quotes_article else " [another source]"
    return f"{s.position}. {s.publisher}: {s.title}{where}{kind} — “{s.quote}”"


def snapshot(obj: Article | Claim | Quiz | Page) -> dict[str, Any]:
    if isinstance(obj, Page):
        return {name: _value(getattr(obj, name)) for name in PAGE_FIELDS}
    if isinstance(obj, Article):
        return {name: _value(getattr(obj, name)) for name in ARTICLE_FIELDS}
    if isinstance(obj, Claim) and obj.translation_of_id:
        # A translation's sources are its original's: what it has of its own is our translation of each quote.
        data = {name: _value(getattr(obj, name)) for name in CLAIM_FIELDS}
        data["quote_translations"] = [
            f"{t.source.position}. “{t.text}”" for t in obj.quote_translations.select_related("source")
        ]
        return data
    if isinstance(obj, Claim):
        data = {name: _value(getattr(obj, name)) for name in CLAIM_FIELDS}
        data["sources"] = [_source_line(s) for s in obj.sources.order_by("position", "id")]
        return data
    data = {name: _value(getattr(obj, name)) for name in QUIZ_FIELDS}
    if obj.translation_of_id:
        choices: dict[int, str] = dict(obj.choice_translations.values_list("choice_id", "text"))
        data["questions"] = [
            {
                "prompt": t.prompt,
                "explanation": t.explanation,
                "choices": [
                    f"{'✓' if c.is_correct else '·'} {choices.get(c.pk, '')}" for c in t.question.choices.all()
                ],
            }
            for t in obj.question_translations.select_related("question").prefetch_related("question__choices")
        ]
        return data
    data["questions"] = [
        {
            "prompt": q.prompt,
            "explanation": q.explanation,
            "claim_id": q.claim_id,
            "choices": [f"{'✓' if c.is_correct else '·'} {c.text}" for c in q.choices.all()],
            # Only when set: the snapshots written before questions had pictures stay equal to today's.
            **({"picture_id": q.picture_id} if q.picture_id else {}),
        }
        for q in obj.questions.prefetch_related("choices")
    ]
    return data


def revisions_of(obj: Article | Claim | Quiz | Page):
    return Revision.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def record_revision(obj: Article | Claim | Quiz | Page, *, by: Actor, comment: str = "") -> Revision | None:
    """Store a revision if anything changed since the last one (a save that changed nothing adds nothing)."""
    data = snapshot(obj)
    previous = revisions_of(obj).first()
    changes = sorted(key for key in data if previous is None or previous.data.get(key) != data[key])
    if previous is not None and not changes:
        return None
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        by=by if isinstance(by, AbstractBaseUser) and by.is_authenticated else None,
        system_actor=getattr(by, "name", "") if by is not None and not isinstance(by, AbstractBaseUser) else "",
        comment=comment[:300],
        data=data,
        changes=changes,
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def is_list(self) -> bool:
        return isinstance(self.before, list) or isinstance(self.after, list)


def _display(field: str, value: Any, articles: dict[int, str]) -> Any:
    """What an editor reads: labels rather than stored codes, titles rather than ids."""
    if value in (None, ""):
        return None
    if field == "verdict":
        return Verdict(value).label if value in Verdict.values else value
    if field == "status":
        return Status(value).label if value in Status.values else value
    if field == "article_id":
        return articles.get(value, gettext("article %(id)s (deleted)") % {"id": value})
    if field == "picture_id":
        return gettext("picture %(id)s") % {"id": value}
    if field == "questions":
        lines = []
        for q in value:
            line = f"{q['prompt']} [{' | '.join(q['choices'])}]"
            if q.get("claim_id"):
                # Translators: a quiz question with its choices, then the id of the fact-check behind it.
                line = gettext("%(question)s (fact-check %(id)s)") % {"question": line, "id": q["claim_id"]}
            if q.get("picture_id"):
                line = gettext("%(question)s (picture %(id)s)") % {"question": line, "id": q["picture_id"]}
            lines.append(line)
        return lines
    return value


def compare(older: Revision | None, newer: Revision) -> list[FieldChange]:
    before = older.data if older else {}
    ids = {data["article_id"] for data in (before, newer.data) if data.get("article_id") is not None}
    articles = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
    # PostgreSQL's jsonb does not keep key order: show fields in the form's order on every database.
    fields = [*PAGE_FIELDS, *CLAIM_FIELDS, "sources", *QUIZ_FIELDS, "questions", *ARTICLE_FIELDS]
    order = {name: i for i, name in enumerate(fields)}
    keys = sorted(newer.data.keys() | before.keys(), key=lambda key: (order.get(key, len(order)), key))
    return [
        FieldChange(key, _display(key, before.get(key), articles), _display(key, newer.data.get(key), articles))
        for key in keys
    ]
