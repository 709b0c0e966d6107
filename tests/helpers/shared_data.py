"""Data built once for a module's tests, like Django's TestCase.setUpTestData.

`built_once(django_db_blocker, build)`, used from a module- or class-scoped fixture, runs `build()` in a
transaction of its own and yields what it returns. Each `django_db` test of the module then runs in a
savepoint inside that transaction (pytest-django's usual per-test transaction, nested), so whatever a test
writes is rolled back before the next one starts, and the built data itself is rolled back after the last.

Only for tests marked `django_db` without `transaction=True` (a transactional test, or another thread's
connection, would not see the uncommitted data, and on SQLite would wait for its lock). Hand tests primary
keys rather than model instances, and let a function-scoped fixture read them afresh, so that no test sees
attributes another test cached or changed on a shared instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import transaction


def built_once[T](django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its own: durable blocks may run inside
        atomic.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
