"""Who takes an editorial action: a signed-in user, or a named system actor.

Every action takes its actor explicitly (`by=`). There is no value that means
"skip the checks": a system actor has a name that goes into the record and a
fixed set of permissions, checked exactly like a user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from claims.roles import CHIEF_EDITOR_PERMISSIONS, EDITOR_PERMISSIONS

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class SystemActor:
    """A program acting as an editor, e.g. the demo loader; named in every review event and revision."""

    name: str
    permissions: frozenset[str]

    pk = None
    is_authenticated = True

    def has_perm(self, perm: str) -> bool:
        return perm.removeprefix("claims.") in self.permissions

    def __str__(self) -> str:
        return self.name


# The demo content is written in the repository (claims/demo/) and reviewed there: tests/test_demo.py checks
# every quote and name against the article. The loader drafts it as one actor and approves it as another, so
# the same review rules run as for people (an author never approves their own work).
DEMO_AUTHOR = SystemActor("demo content (claims/demo)", frozenset(EDITOR_PERMISSIONS))
DEMO_REVIEWER = SystemActor("demo review (tests/test_demo.py)", frozenset(CHIEF_EDITOR_PERMISSIONS))

# A user is the project's user model (auth.User: no AUTH_USER_MODEL); lazily evaluated, so User is only
# imported for the type checker.
type Actor = User | SystemActor


def check_actor(by: object) -> Actor:
    """`by` if it can act at all; PermissionDenied for nobody, an anonymous visitor or an inactive account."""
    if isinstance(by, SystemActor):
        return by
    if isinstance(by, AbstractBaseUser) and by.is_authenticated and by.is_active and getattr(by, "is_staff", False):
        return cast("User", by)  # AbstractBaseUser, narrowed: the project's user model is auth.User
    raise PermissionDenied(_("Only a signed-in editor can change what readers see."))


def require(by: Actor, codename: str, message: str) -> None:
    """PermissionDenied with `message` (a whole sentence) unless `by` holds claims.<codename>."""
    if not by.has_perm(f"claims.{codename}"):
        raise PermissionDenied(message)


def identity(by: Actor | None) -> str | None:
    """One key per person or system actor, to tell an author from an approver."""
    if by is None:
        return None
    if isinstance(by, SystemActor):
        return f"system:{by.name}"
    return f"user:{by.pk}"


def record_fields(by: Actor) -> dict:
    """How `by` is stored on a review event or revision: a user row, or a system actor's name."""
    if isinstance(by, SystemActor):
        return {"by": None, "system_actor": by.name}
    return {"by": by, "system_actor": ""}


def display_name(by: Actor) -> str:
    if isinstance(by, SystemActor):
        return by.name
    return by.get_full_name() or by.get_username()
