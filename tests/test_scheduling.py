"""Scheduled publication (claims/editorial/review.py): an approved item published at a later time appears
everywhere readers look at that time, with no one acting and no cache cleared by hand (claims/caching.py);
what must wait for readers to see it waits for `manage.py publish_due`, once."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from claims import desk, editorial
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
from claims.models import Claim, OutboxEmail, ReviewAction, SearchWord, Status, TipGroup
from claims.tips.submit import tip_submit
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedQuizFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

STATEMENT = "The zebra crossing count tripled in Quillborough."


class Clock:
    """timezone.now, moved by the test: every module reads it as timezone.now() (and auto_now fields too)."""

    def __init__(self, monkeypatch) -> None:
        self.offset = timedelta()
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real() + self.offset)

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def author():
    return EditorFactory(username="author", email="author@example.org")


@pytest.fixture
def chief():
    return ChiefEditorFactory(username="chief")


def _approved(author, chief, **fields) -> Claim:
    claim = ClaimFactory(author=author, statement=STATEMENT, slug="zebra-crossings", **fields)
    SourceFactory(claim=claim)
    claim = editorial.submit_for_review(obj=claim, by=author)
    return editorial.approve(obj=claim, by=chief)


def _in(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def _reader_sees(client: Client, claim: Claim) -> dict[str, bool]:
    """Where readers (and crawlers, apps) look for a fact-check: is it there?"""
    url = claim.get_absolute_url()
    api = client.get("/api/claims/").json()
    return {
        "permalink": client.get(url).status_code == 200,
        "card": client.get(reverse("claim-card", args=[claim.slug])).status_code == 200,
        "home": STATEMENT in client.get("/").text,
        "index": STATEMENT in client.get("/claims/").text,
        "search": url in client.get("/claims/", {"q": "zebra crossing"}).text,
        "feed": url in client.get("/claims/feed/").text,
        "sitemap": url in client.get("/sitemap.xml").text,
        "api list": any(item["slug"] == claim.slug for item in api["items"]),
        "api detail": client.get(f"/api/claims/{claim.slug}/").status_code == 200,
        "claimreview": STATEMENT in client.get("/api/claimreview.json").text,
        "oembed": client.get("/oembed", {"url": settings.SITE_URL + url}).status_code == 200,
        "spanish index": STATEMENT in client.get("/es/claims/").text,
    }


# -- the action --


def test_scheduling_stores_a_published_item_for_later_with_its_event_and_revision(author, chief):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(3))
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED and claim.published_at > timezone.now()
    assert editorial.is_scheduled(claim)
    assert not Claim.objects.published().filter(pk=claim.pk).exists()
    event = claim.review_events.latest("at", "id")
    assert event.action == ReviewAction.SCHEDULED and event.note.startswith("For ")
    assert "UTC" in event.note
    assert claim.editor == chief


def test_scheduling_is_refused_when_not_approved(author, chief):
    claim = ClaimFactory(author=author)
    SourceFactory(claim=claim)
    with pytest.raises(ValidationError) as refused:
        editorial.publish(obj=claim, by=chief, at=_in(3))
    assert refused.value.error_dict["__all__"][0].code == "not_in_review"
    claim = editorial.submit_for_review(obj=claim, by=author)
    with pytest.raises(ValidationError) as refused:
        editorial.publish(obj=claim, by=chief, at=_in(3))
    assert refused.value.error_dict["__all__"][0].code == "needs_approval"
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW and claim.published_at is None


def test_scheduling_needs_permission_to_publish(author, chief):
    claim = _approved(author, chief)
    with pytest.raises(PermissionDenied):
        editorial.publish(obj=claim, by=EditorFactory(username="another"), at=_in(3))
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (lambda: timezone.now() + timedelta(days=400), "schedule_too_far"),
        (lambda: (timezone.now() + timedelta(hours=3)).replace(tzinfo=None), "schedule_naive"),
    ],
    ids=["more than a year ahead", "no time zone"],
)
def test_a_time_too_far_or_without_a_zone_is_refused(author, chief, at, code):
    claim = _approved(author, chief)
    with pytest.raises(ValidationError) as refused:
        editorial.publish(obj=claim, by=chief, at=at())
    assert refused.value.error_dict["publish_at"][0].code == code
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW and claim.published_at is None


def test_a_time_already_past_publishes_now(author, chief):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(-1))
    assert not editorial.is_scheduled(claim)
    assert Claim.objects.published().filter(pk=claim.pk).exists()
    assert claim.review_events.latest("at", "id").action == ReviewAction.PUBLISHED


def test_nothing_appears_before_what_it_rests_on(author, chief):
    article = ArticleFactory(status=Status.DRAFT)
    article = editorial.submit_for_review(obj=article, by=author)
    article = editorial.publish(obj=editorial.approve(obj=article, by=chief), by=chief, at=_in(5))
    claim = _approved(author, chief, article=article)
    with pytest.raises(ValidationError) as refused:
        editorial.publish(obj=claim, by=chief)
    assert refused.value.error_dict["publish_at"][0].code == "rests_on_scheduled"
    with pytest.raises(ValidationError):
        editorial.publish(obj=claim, by=chief, at=_in(4))
    editorial.publish(obj=claim, by=chief, at=_in(5))
    # And the article's schedule cannot be cancelled from under its fact-check.
    with pytest.raises(ValidationError):
        editorial.unschedule(obj=article, by=chief)


# -- readers --


def test_it_appears_everywhere_at_its_time_without_anyone_acting(client, author, chief, clock):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(2))
    before = _reader_sees(client, claim)
    assert not any(before.values()), before
    # The pages are cached now (for the version before the time): the next read is served from the cache.
    clock.advance(timedelta(hours=1))
    assert not any(_reader_sees(client, claim).values())
    clock.advance(timedelta(hours=1, seconds=1))
    after = _reader_sees(client, claim)
    assert all(after.values()), after


def test_a_scheduled_quiz_and_its_steps_appear_at_its_time(client, author, chief, clock):
    quiz = PublishedQuizFactory(status=Status.DRAFT, published_at=None, author=author)
    quiz = editorial.submit_for_review(obj=quiz, by=author)
    quiz = editorial.publish(obj=editorial.approve(obj=quiz, by=chief), by=chief, at=_in(1))
    url = quiz.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(reverse("quiz-question", args=[quiz.slug, 1])).status_code == 404
    assert quiz.title not in client.get("/").text
    assert client.get("/api/quizzes/").json()["items"] == []
    clock.advance(timedelta(hours=1, minutes=1))
    assert client.get(url).status_code == 200
    assert quiz.title in client.get("/").text
    assert [item["slug"] for item in client.get("/api/quizzes/").json()["items"]] == [quiz.slug]


def test_the_http_caches_are_told_to_come_back_soon(client, author, chief):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(2))
    assert "max-age=60" in client.get("/claims/")["Cache-Control"]
    # The permalink's 404 before the time is never kept by a browser or a CDN.
    assert client.get(claim.get_absolute_url())["Cache-Control"] == "no-store"


# -- what waits for publish_due --


def _publish_due() -> str:
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    return out.getvalue()


def test_emails_and_search_words_wait_for_publish_due_and_happen_once(author, chief, clock, settings):
    settings.SITE_URL = "https://factcheck.example"
    tip_submit(statement=STATEMENT, claimant="", seen_where="", email="reader@example.org", language="en")
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(2))
    editorial.tip_group_answer(group=TipGroup.objects.get(), claim=claim, by=chief)
    assert not OutboxEmail.objects.filter(key__startswith="tip-answered:").exists()
    assert not OutboxEmail.objects.filter(key__startswith="desk-published:").exists()
    assert not SearchWord.objects.filter(word="quillborough").exists()
    assert "completed 0" in _publish_due()  # not yet due
    clock.advance(timedelta(hours=3))
    assert "completed 1" in _publish_due()
    [tip_email] = OutboxEmail.objects.filter(key__startswith="tip-answered:")
    assert "https://factcheck.example/claims/zebra-crossings/" in tip_email.body
    [author_email] = OutboxEmail.objects.filter(key__startswith="desk-published:")
    assert author_email.to == "author@example.org"
    assert SearchWord.objects.filter(word="quillborough").exists()
    events = list(claim.review_events.order_by("at", "id").values_list("action", flat=True))
    assert events[-2:] == [ReviewAction.SCHEDULED, ReviewAction.PUBLISHED]
    assert "completed 0" in _publish_due()
    assert OutboxEmail.objects.filter(key__regex=r"^(tip-answered|desk-published):").count() == 2
    assert claim.review_events.filter(action=ReviewAction.PUBLISHED).count() == 1


def test_publishing_now_does_what_publishing_does(author, chief):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(2))
    claim = editorial.publish(obj=claim, by=chief)
    assert not editorial.is_scheduled(claim) and Claim.objects.published().filter(pk=claim.pk).exists()
    assert OutboxEmail.objects.filter(key__startswith="desk-published:").count() == 1
    assert "completed 0" in _publish_due()


def test_cancelling_the_schedule_puts_it_back_in_review_with_its_approvals(client, author, chief, clock):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(1))
    claim = editorial.unschedule(obj=claim, by=chief)
    assert (claim.status, claim.published_at) == (Status.IN_REVIEW, None)
    assert claim.review_events.latest("at", "id").action == ReviewAction.UNSCHEDULED
    clock.advance(timedelta(hours=2))
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert "completed 0" in _publish_due()
    # Its approval still counts: it can be published without another.
    editorial.publish(obj=claim, by=chief)
    assert client.get(claim.get_absolute_url()).status_code == 200


def test_only_a_scheduled_item_can_be_unscheduled(author, chief):
    claim = editorial.publish(obj=_approved(author, chief), by=chief)
    with pytest.raises(ValidationError) as refused:
        editorial.unschedule(obj=claim, by=chief)
    assert refused.value.error_dict["__all__"][0].code == "not_scheduled"


def test_unpublishing_a_scheduled_item_forgets_its_time(author, chief):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(1))
    claim = editorial.unpublish(obj=claim, by=chief)
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT and claim.published_at is None


# -- the desk --


def test_the_desk_lists_what_is_scheduled_soonest_first(author, chief):
    later = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(5))
    other = ClaimFactory(author=author, statement="Another one.", slug="another")
    SourceFactory(claim=other)
    other = editorial.approve(obj=editorial.submit_for_review(obj=other, by=author), by=chief)
    sooner = editorial.publish(obj=other, by=chief, at=_in(1))
    section = next(s for s in desk.desk_for(chief).sections if s.key == desk.SCHEDULED)
    assert section.count == 2
    assert [item.title for item in section.items] == [str(sooner), str(later)]
    assert section.items[0].when == Claim.objects.get(pk=sooner.pk).published_at
    published = next(s for s in desk.desk_for(chief).sections if s.key == desk.PUBLISHED)
    assert published.count == 0 or all(item.title not in (str(sooner), str(later)) for item in published.items)
    # An editor sees their own.
    mine = next(s for s in desk.desk_for(author).sections if s.key == desk.SCHEDULED)
    assert mine.count == 2
    html = _logged_in(chief).get(reverse("admin:index")).text
    assert 'id="desk-scheduled"' in html and str(sooner) in html


# -- the admin --


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_url(obj) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def _post_button(client: Client, obj, button: str, **extra: str):
    """Post the change form as it is, with `button` pressed."""
    page = client.get(_change_url(obj))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        data[f"{management.prefix}-TOTAL_FORMS"] = len(formset.formset.initial_forms)  # no empty extra rows
        for inline_form in formset.formset.initial_forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if value is None:
                    continue
                data[f"{inline_form.prefix}-{name}"] = value.pk if hasattr(value, "pk") else value
    data.update(extra)
    data[button] = "1"
    return client.post(_change_url(obj), data)


def test_the_admin_schedules_shows_the_time_and_cancels(author, chief):
    claim = _approved(author, chief)
    client = _logged_in(chief)
    page = client.get(_change_url(claim)).text
    assert 'type="datetime-local" name="publish_at"' in page and "Publish at (time in UTC)" in page
    response = _post_button(client, claim, "_schedule", publish_at="2099-01-01T09:00")
    assert response.status_code == 200  # refused (more than a year ahead): the form again, with the reason
    assert "Choose a time within a year from now" in response.text
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW and claim.published_at is None
    when = timezone.localtime(_in(26)).replace(second=0, microsecond=0)
    response = _post_button(client, claim, "_schedule", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.published_at == when and editorial.is_scheduled(claim)
    page = client.get(_change_url(claim)).text
    assert "Scheduled for" in page and 'name="_unschedule"' in page and 'value="Publish now"' in page
    assert 'name="_unpublish"' not in page
    response = _post_button(client, claim, "_unschedule")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


def test_the_admin_offers_no_schedule_to_who_may_not_publish(author, chief):
    claim = _approved(author, chief)
    reviewer = EditorFactory(username="reviewer")
    page = _logged_in(reviewer).get(_change_url(claim)).text
    assert 'name="publish_at"' not in page
    _post_button(_logged_in(reviewer), claim, "_schedule", publish_at="2030-01-01T09:00")
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW and claim.published_at is None


def test_the_cached_page_is_served_until_the_time_then_replaced(
    client, author, chief, clock, django_assert_num_queries
):
    editorial.publish(obj=_approved(author, chief), by=chief, at=_in(1))
    first = client.get("/claims/")
    with django_assert_num_queries(0):  # from the cache, as in production
        assert client.get("/claims/").content == first.content
    clock.advance(timedelta(minutes=61))
    assert STATEMENT in client.get("/claims/").text


def test_a_scheduled_item_can_be_given_another_time(author, chief, clock):
    claim = editorial.publish(obj=_approved(author, chief), by=chief, at=_in(1))
    claim = editorial.publish(obj=claim, by=chief, at=_in(3))
    assert Claim.objects.get(pk=claim.pk).published_at > _in(2)
    clock.advance(timedelta(hours=2))
    assert not Claim.objects.published().filter(pk=claim.pk).exists()


def test_a_scheduled_translation_is_not_offered_before_its_time(client, author, chief, clock):
    original = editorial.publish(obj=_approved(author, chief), by=chief)
    spanish = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
    spanish.statement = "El número de pasos de cebra se triplicó en Quillborough."
    spanish.ruling = "Verdadero. El registro lo muestra."
    spanish.explanation = "La explicación."
    quotes = {source.pk: "una frase citable" for source in original.sources.all()}
    spanish = editorial.translation_save(translation=spanish, quotes=quotes, by=DEMO_AUTHOR)
    spanish = editorial.submit_for_review(obj=spanish, by=DEMO_AUTHOR)
    spanish = editorial.publish(obj=editorial.approve(obj=spanish, by=DEMO_REVIEWER), by=chief, at=_in(1))
    with translation.override("es"):
        spanish_url = spanish.get_absolute_url()
    english_page = client.get(original.get_absolute_url()).text
    assert spanish_url not in english_page  # no hreflang, no language link yet
    assert client.get(spanish_url).status_code == 404
    assert "pasos de cebra" not in client.get("/es/claims/").text
    clock.advance(timedelta(minutes=61))
    assert spanish_url in client.get(original.get_absolute_url()).text
    assert client.get(spanish_url).status_code == 200
    assert "pasos de cebra" in client.get("/es/claims/").text
