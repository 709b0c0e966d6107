"""Tips that say the same thing are grouped, by the same resemblance the search uses (claims/tips/grouping.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims.models import TipGroup, TipStatus
from claims.tips.submit import tip_submit
from tests.helpers.tips import tip_data

pytestmark = pytest.mark.django_db


def send(statement: str, language: str = "en", **fields):
    values = {"claimant": "", "seen_where": "", "email": ""} | fields
    return tip_submit(statement=statement, language=language, **values)


def test_the_same_claim_in_other_words_is_one_group_counted_twice():
    first = send("Crime doubled in the city last year.")
    second = send("crime has doubled in the city in the last year")
    assert first.group == second.group
    group = TipGroup.objects.get()
    assert group.tip_count == 2
    assert group.statement == "Crime doubled in the city last year."  # the first reader's words
    assert group.last_asked_at == second.group.last_asked_at >= group.created_at


def test_different_claims_are_different_groups():
    send("Crime doubled in the city last year.")
    send("The mayor built 300 new schools.")
    send("Unemployment fell to its lowest level in fifty years.")
    assert TipGroup.objects.count() == 3
    assert set(TipGroup.objects.values_list("tip_count", flat=True)) == {1}


def test_languages_do_not_mix():
    send("Crime doubled in the city last year.")
    send("Crime doubled in the city last year.", language="es")
    assert sorted(TipGroup.objects.values_list("language", "tip_count")) == [("en", 1), ("es", 1)]


def test_spanish_tips_group_by_their_stems():
    send("Las deportaciones aumentaron el año pasado.", language="es")
    send("las deportaciones aumentaron en el año pasado", language="es")
    assert TipGroup.objects.get().tip_count == 2


def test_a_tip_joins_the_group_it_most_resembles():
    send("Crime doubled in the city last year.")
    send("Crime in the city fell last year.")
    tip = send("Crime doubled in the city last year, the mayor says.")
    assert tip.group.statement == "Crime doubled in the city last year."


@pytest.mark.parametrize("status", [TipStatus.ACCEPTED, TipStatus.DECLINED, TipStatus.ANSWERED])
def test_a_decided_group_takes_no_more_tips(status):
    first = send("Crime doubled in the city last year.")
    TipGroup.objects.filter(pk=first.group_id).update(
        status=status, decline_reason="out_of_scope" if status == TipStatus.DECLINED else ""
    )
    second = send("Crime doubled in the city last year.")
    assert second.group != first.group and second.group.status == TipStatus.NEW
    assert TipGroup.objects.get(pk=first.group_id).tip_count == 1


def test_readers_sending_the_same_claim_through_the_form_are_counted(client, settings):
    settings.TIP_RATE = "100/3600"
    for number in range(3):
        assert client.post("/tips/", tip_data(), REMOTE_ADDR=f"192.0.2.{number}").status_code == 303
    assert TipGroup.objects.get().tip_count == 3


@pytest.mark.django_db(transaction=True)
def test_two_readers_at_once_make_one_group():
    """Tips in one language take turns choosing their group (PostgreSQL: an advisory lock; SQLite's writers are
    serialised anyway): two arriving together with the same words are one group asked twice."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are PostgreSQL's; SQLite serialises writers")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            barrier.wait(5)
            send("Crime doubled in the city last year.")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors
    assert list(TipGroup.objects.values_list("tip_count", flat=True)) == [2]
