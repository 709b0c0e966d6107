"""The editors' desk on the admin's front page: what waits for the signed-in person, read in a fixed number of
queries whatever the amount of content (tests/test_desk.py pins it).

Each section is a filter on articles, claims and quizzes (translations are rows of those), defined once in
`section_filter`: the desk counts and lists with it, and the changelists' "desk" list filter
(claims/admin/review.py) applies the same one, so "See all 12" opens the same 12 items.

- "Waiting for your review": in review, not written by you, not approved by you since its last submission;
  only for someone who may approve that kind of item (chief editors).
- "Your drafts": drafts you wrote. "Sent back to you": those of them whose last review step is a send-back,
  with its note and who wrote it.
- "Scheduled": published for a time still to come (claims/editorial/review.py), soonest first, with that time;
  like "Published this week", everything for someone who may publish, else your own work.
- "Published this week" (the last seven days, up to now): everything for someone who may publish (chief editors answer
  for all the site publishes, and publish others' work), your own work for everyone else.
- "Flagged": quiz questions whose fact-check was re-rated after they were written, translations whose
  original changed, and readers' tips waiting for a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import Article, Claim, Question, Quiz, ReviewAction, ReviewEvent, Status, TipGroup, TipStatus

SHOWN = 5  # items listed per section; "See all" opens the rest
WEEK = timedelta(days=7)
REVIEWABLE: tuple[type[Article] | type[Claim] | type[Quiz], ...] = (Article, Claim, Quiz)

WAITING, DRAFTS, SENT_BACK, SCHEDULED, PUBLISHED, OUTDATED = (
    "waiting",
    "drafts",
    "sent_back",
    "scheduled",
    "published",
    "outdated",
)
SECTION_TITLES = {
    WAITING: gettext_lazy("Waiting for your review"),
    DRAFTS: gettext_lazy("Your drafts"),
    SENT_BACK: gettext_lazy("Sent back to you"),
    SCHEDULED: gettext_lazy("Scheduled"),
    PUBLISHED: gettext_lazy("Published this week"),
    OUTDATED: gettext_lazy("Translations out of date"),
}
# The order items are listed in, within a section (newest first).
SECTION_ORDER = {
    WAITING: "submitted_at",
    DRAFTS: "modified_at",
    SENT_BACK: "modified_at",
    SCHEDULED: "published_at",
    PUBLISHED: "published_at",
    OUTDATED: "modified_at",
}
SOONEST_FIRST = {SCHEDULED}


@dataclass(frozen=True)
class DeskItem:
    title: str
    kind: str  # "claim", "quiz", "article"
    url: str  # its change page
    language: str = ""  # set on translations only
    when: datetime | None = None
    note: str = ""  # a send-back's note
    noted_by: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SeeAll:
    label: str  # "See all 12 claims"
    url: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    count: int
    items: list[DeskItem]
    see_all: list[SeeAll]
    empty: str  # what an empty section says


@dataclass(frozen=True)
class Desk:
    sections: list[Section]
    flagged: list[Section] = field(default_factory=list)

    @property
    def flagged_count(self) -> int:
        return sum(section.count for section in self.flagged)


def may(user, codename: str, model: type[Model]) -> bool:
    return user.has_perm(f"claims.{codename}_{model._meta.model_name}")


def sections_for(user) -> list[str]:
    keys = [DRAFTS, SENT_BACK, SCHEDULED, PUBLISHED, OUTDATED]
    if any(may(user, "approve", model) for model in REVIEWABLE):
        keys.insert(0, WAITING)
    return keys


def _events(model: type[Model]) -> QuerySet[ReviewEvent]:
    return ReviewEvent.objects.filter(**{str(model._meta.model_name): OuterRef("pk")})


def with_desk_aliases[Q_: QuerySet](queryset: Q_, user) -> Q_:
    """The values the sections filter on: the last review step, and whether `user` approved it since it was
    last submitted."""
    model = queryset.model
    last = _events(model).order_by("-at", "-id")
    approved = _events(model).filter(action=ReviewAction.APPROVED, by=user.pk, at__gt=OuterRef("submitted_at"))
    return queryset.alias(desk_last_action=Subquery(last.values("action")[:1]), desk_approved_by_me=Exists(approved))


def section_filter(key: str, model: type[Model], user) -> Q:
    """Which of `model`'s rows (aliased by with_desk_aliases) are in section `key` for `user`."""
    if key == WAITING:
        if not may(user, "approve", model):
            return Q(pk__in=[])
        return Q(status=Status.IN_REVIEW, desk_approved_by_me=False) & ~Q(author=user.pk)
    if key == DRAFTS:
        return Q(status=Status.DRAFT, author=user.pk)
    if key == SENT_BACK:
        return Q(status=Status.DRAFT, author=user.pk, desk_last_action=ReviewAction.SENT_BACK)
    if key in (SCHEDULED, PUBLISHED):
        mine = Q() if may(user, "publish", model) else Q(author=user.pk)
        now = timezone.now()
        if key == SCHEDULED:
            return Q(status=Status.PUBLISHED, published_at__gt=now) & mine
        return Q(status=Status.PUBLISHED, published_at__gte=now - WEEK, published_at__lte=now) & mine
    if key == OUTDATED:
        return Q(translation_of__isnull=False, needs_update=True)
    raise ValueError(key)


def section_queryset[Q_: QuerySet](queryset: Q_, key: str, user) -> Q_:
    return with_desk_aliases(queryset, user).filter(section_filter(key, queryset.model, user))


def _change_url(model: type[Model], pk: Any) -> str:
    return reverse(f"admin:claims_{model._meta.model_name}_change", args=[pk])


def _changelist_url(model: type[Model], **params: str) -> str:
    return reverse(f"admin:claims_{model._meta.model_name}_changelist") + "?" + urlencode(params)


def _reviewable_items(model, key: str, user) -> list[DeskItem]:
    queryset = section_queryset(model.objects.all(), key, user)
    if key == SENT_BACK:
        sent_back = _events(model).filter(action=ReviewAction.SENT_BACK).order_by("-at", "-id")
        queryset = queryset.annotate(
            desk_note=Subquery(sent_back.values("note")[:1]),
            desk_by_username=Subquery(sent_back.values("by__username")[:1]),
            desk_by_first=Subquery(sent_back.values("by__first_name")[:1]),
            desk_by_last=Subquery(sent_back.values("by__last_name")[:1]),
            desk_by_system=Subquery(sent_back.values("system_actor")[:1]),
        )
    order = SECTION_ORDER[key]
    # The soonest first for what is to come; the newest first for the rest.
    ordering = [F(order).asc(), "id"] if key in SOONEST_FIRST else [F(order).desc(nulls_last=True), "-id"]
    items = []
    for obj in queryset.order_by(*ordering)[:SHOWN]:
        noted_by = ""
        if key == SENT_BACK:
            full_name = f"{obj.desk_by_first or ''} {obj.desk_by_last or ''}".strip()
            noted_by = full_name or obj.desk_by_username or obj.desk_by_system or ""
        items.append(
            DeskItem(
                title=str(obj),
                kind=str(model._meta.verbose_name),
                url=_change_url(model, obj.pk),
                language=obj.language if obj.translation_of_id else "",
                when=getattr(obj, order),
                note=getattr(obj, "desk_note", "") or "",
                noted_by=noted_by,
            )
        )
    return items


def _counts(model, keys: list[str], user) -> dict[str, int]:
    """Every section's count for `model`, in one query."""
    aggregates = {key: Count("pk", filter=section_filter(key, model, user)) for key in keys}
    return with_desk_aliases(model.objects.all(), user).aggregate(**aggregates)


def _see_all_label(count: int, model) -> str:
    # Translators: a link to the full list, e.g. "See all 12 claims".
    return _("See all %(count)s %(things)s") % {
        "count": count,
        "things": model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural,
    }


def _merged(keys: list[str], user) -> dict[str, tuple[int, list[DeskItem], list[SeeAll]]]:
    counts = {model: _counts(model, keys, user) for model in REVIEWABLE}
    merged = {}
    for key in keys:
        items: list[DeskItem] = []
        see_all = []
        for model in REVIEWABLE:
            items += _reviewable_items(model, key, user)
            if counts[model][key]:
                see_all.append(SeeAll(_see_all_label(counts[model][key], model), _changelist_url(model, desk=key)))
        oldest = datetime.min.replace(tzinfo=timezone.get_current_timezone())
        items.sort(key=lambda item: item.when or oldest, reverse=key not in SOONEST_FIRST)
        merged[key] = (sum(counts[model][key] for model in REVIEWABLE), items[:SHOWN], see_all)
    return merged


EMPTY = {
    WAITING: gettext_lazy("Nothing waits for your review."),
    DRAFTS: gettext_lazy("You have no drafts."),
    SENT_BACK: gettext_lazy("Nothing was sent back to you."),
    SCHEDULED: gettext_lazy("Nothing is scheduled."),
    PUBLISHED: gettext_lazy("Nothing was published in the last seven days."),
    OUTDATED: gettext_lazy("Every translation is up to date."),
}


def _rerated(user) -> Section:
    rerated = Question.objects.filter(claim__isnull=False).exclude(claim_verdict=F("claim__verdict"))
    totals = rerated.aggregate(questions=Count("pk"), quizzes=Count("quiz", distinct=True))
    items = [
        DeskItem(
            title=question.prompt,
            kind=str(Question._meta.verbose_name),
            url=_change_url(Quiz, question.quiz_id),
            # Translators: the quiz a question is in, and why it is flagged.
            detail=_("In “%(quiz)s”: its fact-check was re-rated after the question was written.")
            % {"quiz": question.quiz.title},
        )
        for question in rerated.select_related("quiz").order_by("-quiz__modified_at", "-id")[:SHOWN]
    ]
    see_all = []
    if totals["quizzes"]:
        see_all.append(SeeAll(_see_all_label(totals["quizzes"], Quiz), _changelist_url(Quiz, rerated="yes")))
    return Section(
        key="rerated",
        title=_("Questions whose fact-check was re-rated"),
        count=totals["questions"],
        items=items,
        see_all=see_all,
        empty=_("No question rests on a re-rated fact-check."),
    )


def _tips(user) -> Section | None:
    if not user.has_perm("claims.view_tipgroup"):
        return None
    waiting = TipGroup.objects.waiting()
    items = [
        DeskItem(
            title=str(group),
            kind=str(TipGroup._meta.verbose_name),
            url=_change_url(TipGroup, group.pk),
            when=group.last_asked_at,
            language=group.language,
        )
        for group in waiting.order_by("-last_asked_at", "-id")[:SHOWN]
    ]
    count = waiting.count()
    see_all = (
        [SeeAll(_see_all_label(count, TipGroup), _changelist_url(TipGroup, status=TipStatus.NEW))] if count else []
    )
    return Section(
        key="tips",
        title=_("New readers' tips"),
        count=count,
        items=items,
        see_all=see_all,
        empty=_("No tip waits for a decision."),
    )


def desk_for(user) -> Desk:
    """The signed-in person's desk."""
    keys = sections_for(user)
    merged = _merged(keys, user)
    sections = [
        Section(key, str(SECTION_TITLES[key]), *merged[key], empty=str(EMPTY[key])) for key in keys if key != OUTDATED
    ]
    flagged = [
        _rerated(user),
        Section(OUTDATED, str(SECTION_TITLES[OUTDATED]), *merged[OUTDATED], str(EMPTY[OUTDATED])),
    ]
    tips = _tips(user)
    if tips is not None:
        flagged.append(tips)
    return Desk(sections=sections, flagged=flagged)
