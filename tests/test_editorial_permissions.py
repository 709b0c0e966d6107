"""Who may do what to articles, claims and quizzes, in which state: one table, every cell a test.

`TABLE` is the newsroom's rule book for the editorial actions (claims/editorial/): for each action and state,
what each role gets, the same for the three kinds of content. Each cell runs against the action itself, with
the content put in that state through the actions and valid, so that the only reason for a refusal is the rule
the cell is about; a refusal must leave everything as it was. A sample of the refusals is then replayed as the
crafted admin POSTs an editor could send, expecting the same refusal and, again, no change.

The states are draft, in review, and published, with "in review" in two columns: without an approval yet
(IN_REVIEW) and approved by a chief editor other than the author (APPROVED), since publishing depends on it.

Where the code disagrees with the table, the table says what SHOULD happen and the test fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from claims import editorial
from claims.editorial.actors import identity
from claims.models import Article, Claim, Question, Quiz, Source, Status
from claims.revisions import revisions_of
from claims.roles import CHIEF_EDITOR, EDITOR
from claims.verdicts import Verdict
from tests.factories import ArticleFactory, ChiefEditorFactory, EditorFactory, PublishedClaimFactory, UserFactory
from tests.helpers.admin_posts import change_url, changelist_url, client_for, delete_url, form_data, messages_of

pytestmark = pytest.mark.django_db


# -- the rows and columns of the table --

ANONYMOUS, EDITOR_AUTHOR, EDITOR_OTHER, CHIEF_AUTHOR, CHIEF_OTHER = (
    "anonymous",
    "editor_author",
    "editor_other",
    "chief_author",
    "chief_other",
)
ROLES = (ANONYMOUS, EDITOR_AUTHOR, EDITOR_OTHER, CHIEF_AUTHOR, CHIEF_OTHER)

DRAFT, IN_REVIEW, APPROVED, PUBLISHED = "draft", "in_review", "approved", "published"
STATES = (DRAFT, IN_REVIEW, APPROVED, PUBLISHED)  # APPROVED: in review, approved by a third person, a chief editor

ACTIONS = ("save", "submit", "approve", "send_back", "publish", "unpublish", "delete")
KINDS = ("article", "claim", "quiz")
ALL_KINDS = KINDS


@dataclass(frozen=True)
class Outcome:
    """Allowed (the action does its work), a no-op (allowed, nothing to do), or refused with an error and code."""

    kind: str  # "allowed", "no-op", "refused"
    error: type[Exception] | None = None
    code: str | None = None

    def __str__(self) -> str:
        if self.kind != "refused":
            return self.kind
        return self.error.__name__ + (f":{self.code}" if self.code else "")


OK = Outcome("allowed")
NOOP = Outcome("no-op")
DENIED = Outcome("refused", PermissionDenied)


def invalid(code: str) -> Outcome:
    return Outcome("refused", ValidationError, code)


NOT_A_DRAFT = invalid("not_a_draft")
NOT_IN_REVIEW = invalid("not_in_review")
OWN_WORK = invalid("own_work")
NEEDS_APPROVAL = invalid("needs_approval")
PUBLISHED_DELETE = invalid("published_delete")
ALREADY_PUBLISHED = invalid("already_published")
NOT_PUBLISHED = invalid("not_published")

# Short names for the table's cells.
D, NAD, NIR, OWN, NEED, PUB = DENIED, NOT_A_DRAFT, NOT_IN_REVIEW, OWN_WORK, NEEDS_APPROVAL, PUBLISHED_DELETE
AP, NP = ALREADY_PUBLISHED, NOT_PUBLISHED

# The rule book. One row per action and state; the columns are the roles, in ROLES order:
#   anonymous reader, Editor who wrote it, another Editor, Chief editor who wrote it, another Chief editor.
# OK: allowed; D: PermissionDenied; NAD, NIR, OWN, NEED, PUB, AP, NP: ValidationError
# "not_a_draft", "not_in_review", "own_work", "needs_approval", "published_delete", "already_published",
# "not_published".
# Nobody signed out ever acts. Editors draft, edit and submit anything not yet published; chief editors
# also approve (never their own work), send back, publish (after an approval by someone else), unpublish
# and delete (never what readers can see). Steps that do not apply to a state are refused with the state's
# code: publishing what is published is "already_published", unpublishing what is not "not_published".
# fmt: off
TABLE: list[tuple[str, str, tuple[str, ...], tuple[Outcome, ...]]] = [
    # action      state       kinds       anon  ed. author  ed. other  chief author  chief other
    ("save",      DRAFT,      ALL_KINDS, (D,    OK,         OK,        OK,           OK)),
    ("save",      IN_REVIEW,  ALL_KINDS, (D,    OK,         OK,        OK,           OK)),
    ("save",      APPROVED,   ALL_KINDS, (D,    OK,         OK,        OK,           OK)),
    ("save",      PUBLISHED,  ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("submit",    DRAFT,      ALL_KINDS, (D,    OK,         OK,        OK,           OK)),
    ("submit",    IN_REVIEW,  ALL_KINDS, (D,    NAD,        NAD,       NAD,          NAD)),
    ("submit",    APPROVED,   ALL_KINDS, (D,    NAD,        NAD,       NAD,          NAD)),
    ("submit",    PUBLISHED,  ALL_KINDS, (D,    NAD,        NAD,       NAD,          NAD)),
    ("approve",   DRAFT,      ALL_KINDS, (D,    D,          D,         NIR,          NIR)),
    ("approve",   IN_REVIEW,  ALL_KINDS, (D,    D,          D,         OWN,          OK)),
    ("approve",   APPROVED,   ALL_KINDS, (D,    D,          D,         OWN,          OK)),
    ("approve",   PUBLISHED,  ALL_KINDS, (D,    D,          D,         NIR,          NIR)),
    ("send_back", DRAFT,      ALL_KINDS, (D,    D,          D,         NIR,          NIR)),
    ("send_back", IN_REVIEW,  ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("send_back", APPROVED,   ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("send_back", PUBLISHED,  ALL_KINDS, (D,    D,          D,         NIR,          NIR)),
    ("publish",   DRAFT,      ALL_KINDS, (D,    D,          D,         NIR,          NIR)),
    ("publish",   IN_REVIEW,  ALL_KINDS, (D,    D,          D,         NEED,         NEED)),
    ("publish",   APPROVED,   ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("publish",   PUBLISHED,  ALL_KINDS, (D,    D,          D,         AP,           AP)),
    ("unpublish", DRAFT,      ALL_KINDS, (D,    D,          D,         NP,           NP)),
    ("unpublish", IN_REVIEW,  ALL_KINDS, (D,    D,          D,         NP,           NP)),
    ("unpublish", APPROVED,   ALL_KINDS, (D,    D,          D,         NP,           NP)),
    ("unpublish", PUBLISHED,  ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("delete",    DRAFT,      ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("delete",    IN_REVIEW,  ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("delete",    APPROVED,   ALL_KINDS, (D,    D,          D,         OK,           OK)),
    ("delete",    PUBLISHED,  ALL_KINDS, (D,    D,          D,         PUB,          PUB)),
]
# fmt: on


@dataclass(frozen=True)
class Case:
    kind: str
    state: str
    action: str
    role: str
    expected: Outcome

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.state}-{self.action}-{self.role}-{self.expected}"


def expected_outcome(kind: str, state: str, action: str, role: str) -> Outcome:
    for row_action, row_state, kinds, outcomes in TABLE:
        if (row_action, row_state) == (action, state) and kind in kinds:
            return outcomes[ROLES.index(role)]
    raise LookupError((kind, state, action, role))


CASES = [
    Case(kind, state, action, role, outcomes[ROLES.index(role)])
    for action, state, kinds, outcomes in TABLE
    for kind in kinds
    for role in ROLES
]


def test_the_table_covers_every_role_action_state_and_kind_once():
    cells = [(c.kind, c.state, c.action, c.role) for c in CASES]
    assert len(cells) == len(set(cells)) == len(KINDS) * len(STATES) * len(ACTIONS) * len(ROLES)
    assert all(len(outcomes) == len(ROLES) for *_row, outcomes in TABLE)


# -- content, valid and in the state a cell needs, made through the actions --

ARTICLE_BODY = (
    "First paragraph of the article.\n\nSecond paragraph, with a quotable sentence in it.\n\nThird paragraph."
)
EDITED_FIELD = {"article": "standfirst", "claim": "explanation", "quiz": "intro"}
EDITED_VALUE = "Changed by the action under test."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REQUIRED_APPROVALS = 1


@dataclass
class Cast:
    actor: Any
    author: Any
    approver: Any  # a third person, a chief editor, who approves and publishes when the state needs it


def person(*, chief: bool):
    """A staff user in the Editor or Chief editor group (as EditorFactory makes them, with fewer queries: the
    groups exist after migrate, claims/roles.py)."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=CHIEF_EDITOR if chief else EDITOR))
    return user


def test_the_cast_has_the_permissions_of_the_factories_roles():
    assert person(chief=False).get_all_permissions() == EditorFactory().get_all_permissions()
    assert person(chief=True).get_all_permissions() == ChiefEditorFactory().get_all_permissions()


def cast_for(role: str) -> Cast:
    approver = person(chief=True)
    if role in (EDITOR_AUTHOR, CHIEF_AUTHOR):
        actor = person(chief=role == CHIEF_AUTHOR)
        return Cast(actor, actor, approver)
    author = person(chief=False)
    actor = AnonymousUser() if role == ANONYMOUS else person(chief=role == CHIEF_OTHER)
    return Cast(actor, author, approver)


def draft_of(kind: str, author) -> Article | Claim | Quiz:
    """A valid draft written by `author`: ready to submit, and to publish once approved."""
    if kind == "article":
        article = Article(title="An article under review", slug="article-under-review", body=ARTICLE_BODY)
        return editorial.article_save(article=article, by=author)
    article = ArticleFactory(body=ARTICLE_BODY)  # published: what is drawn from it may be published
    if kind == "claim":
        claim = Claim(
            slug="the-claim",
            statement="The border is closed.",
            claimant="A spokesperson",
            verdict=Verdict.FALSE,
            ruling="False. The article says otherwise.",
            article=article,
        )
        source = Source(publisher="Example News", title="The article", quote="a quotable sentence")
        return editorial.claim_save(claim=claim, sources=[source], by=author)
    backing = PublishedClaimFactory(article=article)
    question = Question(prompt="True or false?", explanation="Because the record says so.", claim=backing)
    quiz = Quiz(article=article, title="The quiz", slug="the-quiz")
    return editorial.quiz_save(
        quiz=quiz, questions=[editorial.QuestionDraft(question, [("True", True), ("False", False)])], by=author
    )


def content_in(kind: str, state: str, cast: Cast):
    obj = draft_of(kind, cast.author)
    if state == DRAFT:
        return obj
    obj = editorial.submit_for_review(obj=obj, by=cast.author)
    if state == IN_REVIEW:
        return obj
    editorial.approve(obj=obj, by=cast.approver)
    if state == APPROVED:
        return obj
    return editorial.publish(obj=obj, by=cast.approver)


def stored(obj):
    return type(obj).objects.filter(pk=obj.pk).first()


def record(obj) -> dict | None:
    """What a refused action must leave as it was."""
    row = stored(obj)
    if row is None:
        return None
    kind = row._meta.model_name
    return {
        "status": row.status,
        "approvals": len(editorial.approvers(row)),
        "revisions": revisions_of(row).count(),
        "review_events": row.review_events.count(),
        "submitted_at": row.submitted_at,
        "published_at": row.published_at,
        "edited_field": getattr(row, EDITED_FIELD[kind]),
    }


def act(action: str, obj, by):
    """Run `action` as `by` on a fresh copy of `obj` from the database."""
    fresh = stored(obj)
    kind = fresh._meta.model_name
    if action == "save":
        setattr(fresh, EDITED_FIELD[kind], EDITED_VALUE)
        if kind == "article":
            return editorial.article_save(article=fresh, by=by)
        if kind == "claim":
            return editorial.claim_save(claim=fresh, sources=list(fresh.sources.all()), by=by)
        return editorial.quiz_save(quiz=fresh, questions=editorial.drafts_of(fresh), by=by)
    if action == "submit":
        return editorial.submit_for_review(obj=fresh, by=by)
    if action == "send_back":
        return editorial.send_back(obj=fresh, by=by, note="Please check the second source.")
    return getattr(editorial, action)(obj=fresh, by=by)


def assert_done(case: Case, obj, before: dict, by) -> None:
    """What an allowed action must have done."""
    after = record(obj)
    if case.action == "delete":
        assert after is None
        return
    if case.expected == NOOP:
        assert after == before
        return
    if case.action == "save":
        assert after["edited_field"] == EDITED_VALUE and after["status"] == before["status"]
        assert after["revisions"] == before["revisions"] + 1
        if case.state in (IN_REVIEW, APPROVED):
            assert after["approvals"] == 0, "an edit in review voids the approvals given before it"
        return
    expected_status = {
        "submit": Status.IN_REVIEW,
        "approve": Status.IN_REVIEW,
        "send_back": Status.DRAFT,
        "publish": Status.PUBLISHED,
        "unpublish": Status.DRAFT,
    }[case.action]
    assert after["status"] == expected_status
    if case.action == "approve":
        assert identity(by) in editorial.approvers(stored(obj))
        assert after["approvals"] == before["approvals"] + 1


def assert_refused(excinfo: pytest.ExceptionInfo, expected: Outcome) -> None:
    assert excinfo.type is expected.error, f"{excinfo.type.__name__}: {excinfo.value}"
    if expected.code is not None:
        codes = [error.code for errors in excinfo.value.error_dict.values() for error in errors]
        assert codes == [expected.code], codes


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission_matrix(case: Case):
    cast = cast_for(case.role)
    obj = content_in(case.kind, case.state, cast)
    before = record(obj)
    if case.expected.kind == "refused":
        with pytest.raises((PermissionDenied, ValidationError)) as excinfo:
            act(case.action, obj, cast.actor)
        assert_refused(excinfo, case.expected)
        assert record(obj) == before, "a refused action changed something"
    else:
        act(case.action, obj, cast.actor)
        assert_done(case, obj, before, cast.actor)


# -- a sample of the refusals, as crafted admin POSTs --

# (kind, state, action, role, what the editor is shown): the expected refusal itself comes from TABLE.
FORBIDDEN = 403
TO_LOGIN = "login"
ADMIN_SAMPLE = [
    ("claim", APPROVED, "publish", EDITOR_AUTHOR, "was not published. Only a chief editor can publish claims."),
    ("quiz", APPROVED, "publish", EDITOR_OTHER, "was not published. Only a chief editor can publish quizzes."),
    ("article", APPROVED, "publish", EDITOR_AUTHOR, "was not published. Only a chief editor can publish articles."),
    ("claim", IN_REVIEW, "approve", EDITOR_OTHER, "was not approved. Only a chief editor can approve claims."),
    ("claim", IN_REVIEW, "approve", CHIEF_AUTHOR, "You wrote this claim, so another chief editor must approve it."),
    ("article", IN_REVIEW, "approve", CHIEF_AUTHOR, "You wrote this article, so another chief editor must approve it."),
    ("quiz", IN_REVIEW, "publish", CHIEF_OTHER, "It needs 1 approval(s) from a chief editor other than its author"),
    ("claim", PUBLISHED, "save", EDITOR_OTHER, FORBIDDEN),
    ("claim", PUBLISHED, "save", EDITOR_AUTHOR, FORBIDDEN),
    ("quiz", PUBLISHED, "save", EDITOR_OTHER, FORBIDDEN),
    ("article", PUBLISHED, "save", EDITOR_OTHER, FORBIDDEN),
    ("claim", DRAFT, "delete", EDITOR_AUTHOR, FORBIDDEN),
    ("quiz", IN_REVIEW, "delete", EDITOR_OTHER, FORBIDDEN),
    ("article", DRAFT, "delete", EDITOR_OTHER, FORBIDDEN),
    ("claim", APPROVED, "publish", ANONYMOUS, TO_LOGIN),
    ("quiz", DRAFT, "save", ANONYMOUS, TO_LOGIN),
]
BUTTONS = {"submit": "_submit", "approve": "_approve", "send_back": "_send_back", "publish": "_publish",
           "unpublish": "_unpublish"}  # fmt: skip


def test_the_admin_sample_is_made_of_refusals_in_the_table():
    for kind, state, action, role, _shown in ADMIN_SAMPLE:
        assert expected_outcome(kind, state, action, role).kind == "refused"


@pytest.mark.parametrize(
    ("kind", "state", "action", "role", "shown"),
    [pytest.param(*row, id="-".join(row[:4])) for row in ADMIN_SAMPLE],
)
def test_refusals_through_crafted_admin_posts(kind, state, action, role, shown):
    cast = cast_for(role)
    obj = content_in(kind, state, cast)
    before = record(obj)
    # The form as a chief editor's browser has it (an Editor is shown published content read-only).
    data = form_data(client_for(person(chief=True)).get(change_url(obj)))
    client = Client() if role == ANONYMOUS else client_for(cast.actor)
    if action == "delete":
        response = client.post(delete_url(obj), {"post": "yes"})
    elif action == "save":
        data[EDITED_FIELD[kind]] = EDITED_VALUE
        response = client.post(change_url(obj), data)
    else:
        response = client.post(change_url(obj), {**data, BUTTONS[action]: "1"}, follow=True)

    if shown == FORBIDDEN:
        assert response.status_code == 403
    elif shown == TO_LOGIN:
        chain = getattr(response, "redirect_chain", None) or [(response.get("Location", ""), response.status_code)]
        assert chain[0][1] == 302 and "/admin/login/" in chain[0][0]
    else:
        assert response.redirect_chain and response.redirect_chain[0][1] == 302
        assert response.status_code == 200
        shown_messages = messages_of(response)
        assert any(shown in m for m in shown_messages), shown_messages
    assert record(obj) == before, "a refused admin POST changed something"


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_actions_an_editor_may_not_use_are_not_run(kind):
    """Crafted changelist POSTs: an Editor does not have the publish, approve or delete bulk actions."""
    cast = cast_for(EDITOR_OTHER)
    obj = content_in(kind, APPROVED, cast)
    before = record(obj)
    client = client_for(cast.actor)
    for action in ("publish_selected", "approve_selected", "delete_selected"):
        response = client.post(
            changelist_url(type(obj)), {"action": action, "_selected_action": [obj.pk], "post": "yes"}, follow=True
        )
        assert response.status_code == 200
        assert messages_of(response) == ["No action selected."], action
    assert record(obj) == before
