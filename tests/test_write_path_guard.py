"""Nothing but the editorial actions writes what readers see: not the demo loader, not a management command.

A guard records every write to a content model (claims.apps.CONTENT_MODELS, and corrections, which readers
also see) made while no editorial action runs (claims.editorial.base.current_action() is None), at two
levels: the ORM calls (Model.save/delete on each content model, QuerySet.update/delete/bulk_create/
bulk_update on their querysets) and the SQL itself (INSERT/UPDATE/DELETE on their tables, which also
catches raw SQL, cascades and internal updates). It lets every write through, so a failing test lists all
the violations at once. The last tests show the guard does catch a write made outside an action.
"""

from __future__ import annotations

import copy
import io
import re
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone

import claims
from claims import editorial
from claims.apps import CONTENT_MODELS
from claims.demo import loader
from claims.editorial.base import current_action
from claims.models import Article, Choice, Claim, Correction, Question, Quiz, ReviewAction, ReviewEvent, Source, Status
from claims.search.index import UPDATE_POSTGRES
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

GUARDED: list[type[Model]] = [apps.get_model("claims", name) for name in CONTENT_MODELS] + [Correction]
TABLES = {model._meta.db_table: model.__name__ for model in GUARDED}
WRITE_SQL = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"'`\[]?(\w+)", re.IGNORECASE)
ROOT = Path(claims.__file__).resolve().parent.parent
COMMANDS_DIR = ROOT / "claims" / "management" / "commands"


@dataclass(frozen=True)
class Write:
    model: str
    operation: str  # "save", "QuerySet.update", "SQL UPDATE", ...
    action: str | None  # the editorial action it ran in, or None
    where: str  # the innermost project frame that made it

    def __str__(self) -> str:
        return f"{self.operation} on {self.model} from {self.where}"


@dataclass
class WriteGuard:
    writes: list[Write] = field(default_factory=list)

    @property
    def violations(self) -> list[Write]:
        return [write for write in self.writes if write.action is None]

    def record(self, model: str, operation: str) -> None:
        self.writes.append(Write(model, operation, current_action(), _caller()))

    def report(self) -> str:
        return "\n".join(f"  {violation}" for violation in self.violations)


GUARD_FRAMES = {"guarded", "guarded_queryset", "watch_sql", "record", "_caller"}


def _caller() -> str:
    """The innermost frame outside Django and the guard: the code that asked for the write."""
    for frame in reversed(traceback.extract_stack()):
        if "site-packages" in frame.filename or (frame.filename == __file__ and frame.name in GUARD_FRAMES):
            continue
        path = Path(frame.filename)
        return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{frame.lineno} ({frame.name})"
    return "?"


@pytest.fixture
def guard(monkeypatch) -> WriteGuard:
    guard = WriteGuard()

    for model in GUARDED:
        for name in ("save", "delete"):
            original = getattr(model, name)

            def guarded(self, *args, _original=original, _name=name, **kwargs):
                guard.record(type(self).__name__, _name)
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(model, name, guarded)

    for name in ("update", "delete", "bulk_create", "bulk_update"):
        original = getattr(QuerySet, name)

        def guarded_queryset(self, *args, _original=original, _name=name, **kwargs):
            if self.model in GUARDED:
                guard.record(self.model.__name__, f"QuerySet.{_name}")
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(QuerySet, name, guarded_queryset)

    def watch_sql(execute, sql, params, many, context):
        found = WRITE_SQL.match(sql)
        # The search index's own statement (claims/search/index.py): it writes a claim's derived tsvector
        # column on PostgreSQL and nothing readers see. Only that exact statement is let through.
        if sql == UPDATE_POSTGRES:
            return execute(sql, params, many, context)
        if found and found.group(2) in TABLES:
            guard.record(TABLES[found.group(2)], f"SQL {found.group(1).split()[0].upper()}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch_sql):
        yield guard


def assert_no_violations(guard: WriteGuard, when: str) -> None:
    assert not guard.violations, f"{when}: content written outside an editorial action:\n{guard.report()}"


def assert_demo_published() -> None:
    # Each fact-check and the quiz in English, and their Spanish translations.
    assert Claim.objects.count() == Claim.objects.published().count() == 14 * 2
    assert Claim.objects.published().filter(language="es", translation_of__language="en").count() == 14
    assert Quiz.objects.count() == Quiz.objects.published().count() == 2
    assert Article.objects.count() == Article.objects.published().count() == 1
    assert Question.objects.filter(quiz__status=Status.PUBLISHED).count() == len(
        loader.read_content()["quiz"]["questions"]
    )


# -- the demo loader --


def _edited_content() -> tuple[dict, dict, dict]:
    """The demo content with a verdict and its ruling changed (a correction), a source dropped, and a
    question's prompt and a wrong choice reworded; and its Spanish translation brought up to date."""
    content, spanish = copy.deepcopy(loader.read_content()), copy.deepcopy(loader.read_spanish())
    corrected = content["claims"][0]
    assert corrected["verdict"] != "mostly-true"
    corrected["verdict"] = "mostly-true"
    corrected["ruling"] = "Mostly true. The documents list the figure as a goal, not a measured average."
    trimmed = next(claim for claim in content["claims"] if len(claim["sources"]) > 2)
    trimmed["sources"].pop()
    position, question = next((n, q) for n, q in enumerate(content["quiz"]["questions"]) if not q.get("number"))
    question["prompt"] = "The draft memo asks Mexico to repatriate single adult men expelled under Title 42: how many?"
    wrong = next(index for index, (_text, correct) in enumerate(question["choices"]) if not correct)
    question["choices"][wrong][0] = "About 50"
    spanish["claims"][corrected["slug"]]["ruling"] = (
        "Mayormente verdadero. Los documentos presentan la cifra como una meta, no como un promedio medido."
    )
    spanish["claims"][trimmed["slug"]]["quotes"].pop()
    spanish["quiz"]["questions"][position]["choices"][wrong] = "Unos 50"
    return content, spanish, {"corrected": corrected, "trimmed": trimmed, "question": question, "at": position + 1}


def test_demo_loader_writes_only_through_actions(guard, monkeypatch):
    # 1. An empty database: everything is created, submitted, approved and published.
    assert not Claim.objects.exists()
    call_command("load_demo", verbosity=0)
    assert_no_violations(guard, "first load")
    assert_demo_published()
    assert guard.writes, "the guard saw the demo being written"

    # 2. Again, unchanged: the update path.
    call_command("load_demo", verbosity=0)
    assert_no_violations(guard, "reload")
    assert_demo_published()

    # 3. Again, after an edit of the content files: a correction, an edited article, a dropped source,
    # an edited question.
    content, spanish, edited = _edited_content()
    article_text = loader.read_article_text(content) + "\n\nA closing paragraph added to the demo article."
    monkeypatch.setattr(loader, "read_content", lambda: content)
    monkeypatch.setattr(loader, "read_spanish", lambda: spanish)
    monkeypatch.setattr(loader, "read_article_text", lambda content=None: article_text)
    sources_before, writes_before = Source.objects.count(), len(guard.writes)
    call_command("load_demo", verbosity=0)
    assert_no_violations(guard, "reload after an edit")
    assert_demo_published()

    # The edit took the paths it was meant to take.
    claim = Claim.objects.get(slug=edited["corrected"]["slug"])
    assert (claim.verdict, claim.ruling) == ("mostly-true", edited["corrected"]["ruling"])
    correction = Correction.objects.get(claim=claim)
    assert (correction.previous_verdict, correction.verdict) == ("true", "mostly-true")
    # Its translation took the new verdict, was flagged, and was brought up to date by the reload.
    translation = Claim.objects.get(translation_of=claim)
    assert (translation.verdict, translation.ruling) == ("mostly-true", spanish["claims"][claim.slug]["ruling"])
    assert not translation.needs_update
    assert ReviewEvent.objects.filter(claim=translation, action=ReviewAction.FLAGGED).exists()
    assert Source.objects.count() == sources_before - 1
    assert Claim.objects.get(slug=edited["trimmed"]["slug"]).sources.count() == len(edited["trimmed"]["sources"])
    assert Article.objects.get().body.endswith("A closing paragraph added to the demo article.")
    question = Question.objects.get(quiz__slug=content["quiz"]["slug"], position=edited["at"])
    assert question.prompt == edited["question"]["prompt"]
    assert "About 50" in Choice.objects.filter(question=question).values_list("text", flat=True)
    seen = {(w.model, w.operation, w.action) for w in guard.writes[writes_before:]}
    for expected in [
        ("Correction", "save", "claim_save"),
        ("Claim", "QuerySet.update", "claim_save"),
        ("Source", "QuerySet.delete", "claim_save"),
        ("Choice", "save", "quiz_save"),
        ("Question", "save", "quiz_save"),
        ("Article", "save", "article_save"),
        ("Claim", "save", "claim_save"),  # the translation following its original's verdict
        ("Claim", "save", "translation_save"),
        ("ChoiceTranslation", "save", "translation_save"),
    ]:
        assert expected in seen, f"the guard saw no {expected} in the reload"


# -- every other management command --

OTHER_COMMANDS = {
    "add_editor": [
        ("add_editor", "maria", "--email", "maria@example.org", "--name", "Maria Garcia"),
        ("add_editor", "lee", "--chief"),
        ("add_editor", "maria", "--chief", "--reset-password"),
    ],
    "ensure_local_editor": [("ensure_local_editor",), ("ensure_local_editor",)],
    # The search index is derived from content, not content: rebuilding it changes nothing readers see.
    "rebuild_search": [("rebuild_search",)],
    # Readers' tips: they touch only the outbox and readers' tips, never what readers see.
    "send_outbox": [("send_outbox",), ("send_outbox", "--limit", "1")],
    "purge_tip_emails": [("purge_tip_emails",), ("purge_tip_emails", "--days", "0")],
}


def test_every_command_is_covered():
    commands = {path.stem for path in COMMANDS_DIR.glob("*.py") if path.stem != "__init__"}
    assert commands == {"load_demo", "publish_due", *OTHER_COMMANDS}, "a new command: add it to this file's guard tests"


def test_publish_due_writes_through_the_actions_only(guard, monkeypatch):
    """It completes scheduled publications (claims/editorial/review.py) through complete_publication."""
    call_command("load_demo", verbosity=0)
    claim = Claim.objects.filter(language="es").order_by("pk").first()
    assert claim is not None
    claim = editorial.unpublish(obj=claim, by=loader.DEMO_REVIEWER)
    claim = editorial.submit_for_review(obj=claim, by=loader.DEMO_AUTHOR)
    claim = editorial.approve(obj=claim, by=loader.DEMO_REVIEWER)
    later = timezone.now() + timedelta(hours=1)
    editorial.publish(obj=claim, by=loader.DEMO_REVIEWER, at=later)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2))
    before = len(guard.writes)
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert "completed 1" in out.getvalue()
    assert_no_violations(guard, "publish_due")
    assert {w.action for w in guard.writes[before:]} <= {"complete_publication"}


@pytest.mark.parametrize("command", list(OTHER_COMMANDS))
def test_other_commands_write_no_content(guard, command, settings, tmp_path):
    settings.DEBUG = True
    settings.LOCAL_DIR = tmp_path  # ensure_local_editor keeps its password file there
    call_command("load_demo", verbosity=0)  # content a command could touch
    before = len(guard.writes)
    for args in OTHER_COMMANDS[command]:
        call_command(*args, stdout=io.StringIO())
    assert_no_violations(guard, command)
    assert guard.writes[before:] == [], f"{command} wrote content: {guard.writes[before:]}"
    assert_demo_published()


# -- the guard itself can fail --


def test_guard_catches_a_create_outside_an_action(guard):
    Claim.objects.create(slug="sneaky", statement="Written around the actions.", claimant="Someone")
    assert {(v.model, v.operation) for v in guard.violations} == {("Claim", "save"), ("Claim", "SQL INSERT")}
    [orm] = [v for v in guard.violations if v.operation == "save"]
    assert orm.where.startswith("tests/test_write_path_guard.py:"), "the report names the code that wrote"


def test_guard_catches_queryset_writes_and_raw_sql_outside_an_action(guard):
    claim = Claim.objects.create(slug="sneaky", statement="Written around the actions.", claimant="Someone")
    guard.writes.clear()
    Claim.objects.filter(pk=claim.pk).update(status=Status.PUBLISHED)
    Source.objects.bulk_create([Source(claim=claim, quote="q", position=1)])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Claim._meta.db_table} SET statement = %s WHERE id = %s", ["Raw.", claim.pk])
    Claim.objects.filter(pk=claim.pk).delete()
    caught = {(v.model, v.operation) for v in guard.violations}
    assert {
        ("Claim", "QuerySet.update"),
        ("Source", "QuerySet.bulk_create"),
        ("Claim", "SQL UPDATE"),
        ("Claim", "QuerySet.delete"),
        ("Source", "SQL DELETE"),
    } <= caught


def test_guard_lets_an_action_write(guard):
    claim = Claim(slug="through-the-action", statement="Written by an editor.", claimant="Someone")
    editorial.claim_save(claim=claim, sources=[], by=EditorFactory())
    assert Claim.objects.filter(slug="through-the-action").exists()
    assert {(w.model, w.action) for w in guard.writes} >= {("Claim", "claim_save")}
    assert_no_violations(guard, "claim_save")
