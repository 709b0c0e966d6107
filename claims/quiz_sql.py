"""The statements every quiz step runs, written as SQL.

A reader's question page and answer are the busiest requests on the site. Built
with the ORM, composing and compiling these few queries (a subquery, an outer
join, an upsert that adds) cost more than everything else the step
does; as SQL they cost their execution. Each runs on SQLite and PostgreSQL, and
takes only quoted names from the models and values as parameters. Everything
else about quizzes goes through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from claims.models import Answer, Attempt, Choice, OptionTally, Question, QuestionTally, Quiz, Status
from claims.quiz_numbers import PLACES

# An answer as the quiz pages read it: (question id, choice id, right, guess).
AnswerRow = tuple[int, int | None, bool, Decimal | None]


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column  # a concrete column, not a reverse relation
    return connection.ops.quote_name(field.column)


_ATTEMPT_COLUMNS = ("id", "token", "counted", "finished_at", "score", "total")


@dataclass(frozen=True)
class AttemptRow:
    pk: int
    token: str
    counted: bool
    finished_at: datetime | None
    score: int | None
    total: int | None

    def as_attempt(self, *, quiz_id: int, reader: str) -> Attempt:
        return Attempt(
            pk=self.pk,
            quiz_id=quiz_id,
            reader=reader,
            token=self.token,
            counted=self.counted,
            finished_at=self.finished_at,
            score=self.score,
            total=self.total,
        )


def _attempt_row(values: tuple[Any, ...]) -> AttemptRow:
    pk, token, counted, finished_at, score, total = values
    if isinstance(finished_at, str):  # SQLite returns timestamps as text, in UTC
        finished_at = parse_datetime(finished_at)
    if finished_at is not None and timezone.is_naive(finished_at):
        finished_at = timezone.make_aware(finished_at, UTC)
    return AttemptRow(pk, token, bool(counted), finished_at, score, total)


def _latest_attempt_id() -> str:
    """The reader's latest attempt at the quiz (parameters: quiz id, reader); the attempt_reader_latest index."""
    return (
        f"SELECT id FROM {_table(Attempt)} WHERE quiz_id = %s AND reader = %s"  # noqa: S608
        " ORDER BY started_at DESC, id DESC LIMIT 1"
    )


def _guess(value: Any) -> Decimal | None:
    """A guess as the database driver gives it: PostgreSQL a Decimal, SQLite an int, a float or a string."""
    return None if value is None else Decimal(str(value)).quantize(PLACES)


def reader_attempt_with_answers(quiz_id: int, reader: str) -> tuple[AttemptRow | None, list[AnswerRow]]:
    """The reader's latest attempt and its answers (question, choice, right, guess), in one statement."""
    attempt, answer = _table(Attempt), _table(Answer)
    columns = ", ".join(f"a.{name}" for name in _ATTEMPT_COLUMNS)
    sql = (
        f"SELECT {columns}, x.question_id, x.choice_id, x.is_correct, x.guess"  # noqa: S608
        f" FROM {attempt} a LEFT JOIN {answer} x ON x.attempt_id = a.id"
        f" WHERE a.id = ({_latest_attempt_id()})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [quiz_id, reader])
        rows = cursor.fetchall()
    if not rows:
        return None, []
    width = len(_ATTEMPT_COLUMNS)
    # No answers yet: the outer join gives one row of NULLs.
    answers = [(q, c, bool(right), _guess(guess)) for *_, q, c, right, guess in rows if q is not None]
    return _attempt_row(rows[0][:width]), answers


def insert_answer(*, attempt_id: int, quiz_id: int, question_id: int, choice_id: int, public_only: bool) -> bool | None:
    """Record the answer with the choice's rightness as the database has it now; whether it was right.

    None, and nothing written, when the choice is no longer one of the question's, the question no
    longer the quiz's, or (with `public_only`) the quiz no longer public: what the request read from
    the cache may be a moment older than the database, and the database decides.
    """
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    visible = f" AND z.{quote('status')} = %s AND z.published_at <= %s" if public_only else ""
    sql = (
        f"INSERT INTO {_table(Answer)} (attempt_id, question_id, choice_id, is_correct, answered_at)"  # noqa: S608
        f" SELECT %s, q.id, c.id, c.is_correct, %s FROM {_table(Choice)} c"
        f" JOIN {_table(Question)} q ON q.id = c.question_id JOIN {_table(Quiz)} z ON z.id = q.quiz_id"
        f" WHERE c.id = %s AND q.id = %s AND z.id = %s{visible} RETURNING is_correct"
    )
    params: list[Any] = [attempt_id, now, choice_id, question_id, quiz_id]
    if public_only:
        params += [Status.PUBLISHED, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bool(row[0]) if row else None


def answers_of(attempt_id: int) -> list[AnswerRow]:
    sql = f"SELECT question_id, choice_id, is_correct, guess FROM {_table(Answer)} WHERE attempt_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id])
        return [(q, c, bool(right), _guess(guess)) for q, c, right, guess in cursor.fetchall()]


def tallies_of(question_id: int) -> tuple[int, int, dict[int, int]]:
    """The question's counted answers, right answers, and picks per option (claims/models/attempts.py), in one
    statement; zeros before the first counted answer."""
    tally, options = _table(QuestionTally), _table(OptionTally)
    option = _column(OptionTally, "option")
    sql = (
        f"SELECT t.answered, t.correct, o.{option}, o.picked FROM {tally} t"  # noqa: S608
        f" LEFT JOIN {options} o ON o.question_id = t.question_id WHERE t.question_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [question_id])
        rows = cursor.fetchall()
    if not rows:
        return 0, 0, {}
    return rows[0][0], rows[0][1], {option: picked for *_, option, picked in rows if option is not None}


def increment(model: type[models.Model], key: dict[str, Any], increments: dict[str, int]) -> tuple[int, ...]:
    """Add `increments` to the counter row at `key`, creating it if missing, in one statement; the new values.

    INSERT ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL, and SQLite 3.35+): concurrent
    writers never lose a count. Django's bulk_create(update_conflicts=True) can only overwrite a
    column with the new row's value, not add to it.
    """
    table = _table(model)
    keys = [_column(model, name) for name in key]
    counters = [_column(model, name) for name in increments]
    columns = ", ".join(keys + counters)
    placeholders = ", ".join(["%s"] * (len(keys) + len(counters)))
    additions = ", ".join(f"{column} = {table}.{column} + EXCLUDED.{column}" for column in counters)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT ({', '.join(keys)})"  # noqa: S608
    sql += f" DO UPDATE SET {additions} RETURNING {', '.join(counters)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key.values(), *increments.values()])
        return tuple(cursor.fetchone())
