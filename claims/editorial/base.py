"""What every editorial action shares: one transaction, a checked actor, errors tied to fields, the record.

`editorial_action` wraps each action: it checks the actor, runs the action in
one transaction (with its revision and review event), marks the code as inside
an action (so tests can prove nothing else writes reader-visible content), and
invalidates the cached public pages once the transaction commits.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.caching import bump_content_version
from claims.editorial.actors import Actor, SystemActor, check_actor, record_fields
from claims.models import Article, Claim, Quiz, ReviewAction, ReviewEvent

Reviewable = Article | Claim | Quiz

_inside_action: contextvars.ContextVar[str | None] = contextvars.ContextVar("editorial_action", default=None)


def current_action() -> str | None:
    """The name of the editorial action running now, or None outside one."""
    return _inside_action.get()


@contextmanager
def _marked(name: str) -> Iterator[None]:
    token = _inside_action.set(name)
    try:
        yield
    finally:
        _inside_action.reset(token)


def editorial_action[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` as one editorial action: checked actor (`by=`), one transaction, caches cleared after commit."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if "by" not in kwargs:
            raise TypeError(f"{func.__name__}() needs its actor: by=<user or system actor>")
        check_actor(kwargs["by"])
        with transaction.atomic(), _marked(func.__name__):
            result = func(*args, **kwargs)
            bump_content_version()
        return result

    return wrapper


@dataclass(frozen=True)
class Problem:
    """One reason an action is refused: a whole sentence with a code, tied to a field of the object or of one
    of its items (a source, a question), numbered from 0 in the order they were given."""

    field: str | None
    message: str
    code: str
    collection: str = ""  # "sources" or "questions" when the problem is in one of the items
    item: int | None = None
    params: dict | None = None

    @property
    def key(self) -> str:
        """ "verdict", "sources.1.quote", "__all__": where the admin, or an API, shows the error."""
        if self.item is not None:
            return f"{self.collection}.{self.item}.{self.field}" if self.field else f"{self.collection}.{self.item}"
        return self.field or "__all__"

    def error(self) -> ValidationError:
        return ValidationError(self.message, code=self.code, params=self.params)


def refuse(problems: list[Problem]) -> None:
    """Raise one ValidationError holding every problem under its field key; do nothing if there are none."""
    if not problems:
        return
    errors: dict[str, list[ValidationError]] = {}
    for problem in problems:
        errors.setdefault(problem.key, []).append(problem.error())
    raise ValidationError(errors)


def refuse_one(message: str, *, code: str, field: str | None = None) -> None:
    refuse([Problem(field, message, code)])


def subject_field(obj: Reviewable) -> str:
    return cast(str, obj._meta.model_name)  # None in the stubs only: set for every concrete model


def record_event(obj: Reviewable, action: ReviewAction, by: Actor, note: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(**{subject_field(obj): obj}, action=action, note=note, **record_fields(by))


def lock_in_order(
    *, articles: Iterable[int | None] = (), claims: Iterable[int | None] = (), quizzes: Iterable[int | None] = ()
) -> None:
    """Lock the rows a step's rules read beyond its own item, always articles, then claims, then quizzes, each
    by id: two steps that read each other's rows (publishing a claim, unpublishing its article) then wait for
    one another instead of both committing on what the other is changing, and never deadlock.
    A no-op on SQLite, where IMMEDIATE transactions already serialise writers."""
    for model, ids in ((Article, articles), (Claim, claims), (Quiz, quizzes)):
        wanted = sorted({pk for pk in ids if pk})
        if wanted:
            list(model.objects.select_for_update().filter(pk__in=wanted).order_by("pk").values_list("pk", flat=True))


def locked[M: Reviewable](obj: M) -> M:
    """The row of `obj` as stored, locked for the rest of the transaction (a concurrent action waits)."""
    return cast(M, type(obj).objects.select_for_update().get(pk=obj.pk))  # a row of type(obj)


# Fields only the lifecycle actions set (review.py); a content save keeps what is stored.
LIFECYCLE_FIELDS = ["status", "published_at", "submitted_at", "author_id", "author_system", "editor_id"]


def keep_lifecycle(obj: Reviewable, previous: Reviewable | None, by: Actor) -> None:
    """A new item starts as `by`'s draft; an existing one keeps its status, dates and people, whatever was posted."""
    if previous is None:
        obj.status = "draft"
        obj.published_at = obj.submitted_at = None
        obj.editor = None
        obj.author, obj.author_system = (None, by.name) if isinstance(by, SystemActor) else (by, "")
        return
    for field in LIFECYCLE_FIELDS:
        setattr(obj, field, getattr(previous, field))
