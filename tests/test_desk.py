"""The editors' desk (claims/desk.py, the admin's front page), its emails (claims/editorial/notify.py) and the
"Your notifications" page (claims/admin/notifications.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import desk, editorial
from claims.editorial import notify
from claims.models import Claim, EditorPreferences, OutboxEmail, ReviewAction, Status, TipGroup
from claims.verdicts import Verdict
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor():
    return EditorFactory(username="ed", first_name="Eda", last_name="Writer")


@pytest.fixture
def chief():
    return ChiefEditorFactory(username="chief", first_name="Cleo", last_name="Chief")


@pytest.fixture
def other_chief():
    return ChiefEditorFactory(username="chief2")


def _ready_claim(author, statement: str = "A claim ready for review.") -> Claim:
    claim = ClaimFactory(author=author, statement=statement)
    SourceFactory(claim=claim)
    return claim


def _submitted(author, statement: str = "A submitted claim.") -> Claim:
    return editorial.submit_for_review(obj=_ready_claim(author, statement), by=author)


def _section(the_desk: desk.Desk, key: str) -> desk.Section:
    return next(s for s in [*the_desk.sections, *the_desk.flagged] if s.key == key)


def _keys(the_desk: desk.Desk) -> list[str]:
    return [s.key for s in the_desk.sections]


# -- who sees which sections, with which counts --


def test_an_editor_sees_their_drafts_and_no_review_queue(editor, chief):
    ClaimFactory(author=editor, statement="My draft.")
    ClaimFactory(author=chief, statement="Someone else's draft.")
    _submitted(editor)
    the_desk = desk.desk_for(editor)
    assert _keys(the_desk) == [desk.DRAFTS, desk.SENT_BACK, desk.SCHEDULED, desk.PUBLISHED]
    drafts = _section(the_desk, desk.DRAFTS)
    assert drafts.count == 1
    assert [item.title for item in drafts.items] == ["My draft."]
    assert drafts.see_all[0].url == reverse("admin:claims_claim_changelist") + "?desk=drafts"


def test_a_chief_editor_is_waited_for_on_others_work_not_their_own(editor, chief):
    theirs = _submitted(editor, "The editor's claim.")
    _submitted(chief, "The chief's own claim.")
    waiting = _section(desk.desk_for(chief), desk.WAITING)
    assert waiting.count == 1
    assert [item.title for item in waiting.items] == [theirs.statement]
    assert waiting.items[0].url == reverse("admin:claims_claim_change", args=[theirs.pk])


def test_an_item_leaves_the_queue_once_you_approved_it(editor, chief, other_chief):
    claim = _submitted(editor)
    editorial.approve(obj=claim, by=chief)
    assert _section(desk.desk_for(chief), desk.WAITING).count == 0
    assert _section(desk.desk_for(other_chief), desk.WAITING).count == 1


def test_sent_back_shows_the_note_and_who_wrote_it(editor, chief):
    claim = _submitted(editor)
    editorial.send_back(obj=claim, by=chief, note="Add the ministry's figure.")
    sent_back = _section(desk.desk_for(editor), desk.SENT_BACK)
    assert sent_back.count == 1
    assert sent_back.items[0].note == "Add the ministry's figure."
    assert sent_back.items[0].noted_by == "Cleo Chief"
    html = _client(editor).get(reverse("admin:index")).text
    assert "Add the ministry&#x27;s figure." in html
    assert "Sent back by Cleo Chief" in html


def test_published_this_week_is_your_own_for_an_editor_and_everything_for_a_chief(editor, chief, other_chief):
    mine = _submitted(editor, "Mine, published.")
    editorial.approve(obj=mine, by=chief)
    editorial.publish(obj=mine, by=chief)
    PublishedClaimFactory(author=other_chief, statement="Another's, published.")
    PublishedClaimFactory(author=editor, statement="Mine, long ago.", published_at=timezone.now() - timedelta(days=8))
    assert [i.title for i in _section(desk.desk_for(editor), desk.PUBLISHED).items] == ["Mine, published."]
    # Chief editors answer for everything the site publishes (articles from the factories included).
    titles = [i.title for i in _section(desk.desk_for(chief), desk.PUBLISHED).items]
    assert "Mine, published." in titles and "Another's, published." in titles and "Mine, long ago." not in titles


def test_flagged_lists_re_rated_questions_outdated_translations_and_new_tips(editor):
    claim = PublishedClaimFactory(verdict=Verdict.TRUE)
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz, claim=claim, prompt="Is it true?")
    Claim.objects.filter(pk=claim.pk).update(verdict=Verdict.FALSE)
    ClaimFactory(translation_of=claim, language="es", statement="Una traducción.", needs_update=True)
    TipGroup.objects.create(statement="They said the bridge cost a billion.", language="en")
    the_desk = desk.desk_for(editor)
    rerated = _section(the_desk, "rerated")
    assert rerated.count == 1 and rerated.items[0].title == "Is it true?"
    assert rerated.items[0].url == reverse("admin:claims_quiz_change", args=[quiz.pk])
    assert rerated.see_all[0].url.endswith("?rerated=yes")
    outdated = _section(the_desk, desk.OUTDATED)
    assert [i.title for i in outdated.items] == ["Una traducción."] and outdated.items[0].language == "es"
    assert [i.title for i in _section(the_desk, "tips").items] == ["They said the bridge cost a billion."]
    assert the_desk.flagged_count == 3


def test_empty_sections_say_so(editor):
    html = _client(editor).get(reverse("admin:index")).text
    assert "You have no drafts." in html
    assert "Every translation is up to date." in html
    # The app list stays below the desk.
    assert html.index('class="desk"') < html.index('id="content-main"')


@pytest.mark.parametrize(
    "key", [desk.WAITING, desk.DRAFTS, desk.SENT_BACK, desk.SCHEDULED, desk.PUBLISHED, desk.OUTDATED]
)
def test_see_all_opens_the_same_items_in_the_changelist(chief, editor, key):
    _submitted(editor, "Waiting one.")
    sent = _submitted(chief, "Sent back one.")
    editorial.send_back(obj=sent, by=ChiefEditorFactory(username="c3"), note="Fix it.")
    ClaimFactory(author=chief, statement="A draft.")
    PublishedClaimFactory(author=chief, statement="Published one.")
    PublishedClaimFactory(author=chief, statement="Scheduled one.", published_at=timezone.now() + timedelta(hours=2))
    ClaimFactory(translation_of=PublishedClaimFactory(), language="es", needs_update=True, statement="Vieja.")
    section = _section(desk.desk_for(chief), key)
    claims_link = next(link for link in section.see_all if "/claim/" in link.url)
    response = _client(chief).get(claims_link.url)
    assert response.status_code == 200
    shown = {str(claim) for claim in response.context["cl"].result_list}
    assert shown == {item.title for item in section.items if item.kind == "claim"}


def test_the_desk_filter_refuses_a_section_you_do_not_have(editor):
    _submitted(EditorFactory(username="other"))
    response = _client(editor).get(reverse("admin:claims_claim_changelist") + "?desk=waiting")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def _content(n: int, editor, chief) -> None:
    for i in range(n):
        _submitted(editor, f"Waiting {i}.")
        ClaimFactory(author=chief, statement=f"Draft {i}.")
        sent = _submitted(chief, f"Sent back {i}.")
        editorial.send_back(obj=sent, by=ChiefEditorFactory(username=f"c-{n}-{i}"), note="Fix.")
        PublishedClaimFactory(author=chief, statement=f"Published {i}.")
        PublishedClaimFactory(
            author=chief, statement=f"Scheduled {i}.", published_at=timezone.now() + timedelta(days=1)
        )
        claim = PublishedClaimFactory(verdict=Verdict.TRUE)
        QuestionFactory(quiz=QuizFactory(author=chief), claim=claim)
        Claim.objects.filter(pk=claim.pk).update(verdict=Verdict.FALSE)
        ClaimFactory(translation_of=claim, language="es", needs_update=True)
        TipGroup.objects.create(statement=f"Tip {i}.", language="en")


def _desk_queries(user) -> int:
    user.has_perm("claims.view_claim")  # the permissions, cached on the user as for any admin request
    with CaptureQueriesContext(connection) as captured:
        desk.desk_for(user)
    return len(captured)


def test_the_desk_takes_the_same_number_of_queries_whatever_the_amount_of_content(editor, chief):
    _content(1, editor, chief)
    small = _desk_queries(chief)
    _content(9, editor, chief)
    assert _desk_queries(chief) == small
    assert small <= 25
    the_desk = desk.desk_for(chief)
    assert _section(the_desk, desk.WAITING).count == 10
    assert len(_section(the_desk, desk.WAITING).items) == desk.SHOWN
    assert _section(the_desk, desk.SCHEDULED).count == 10
    published = _section(the_desk, desk.PUBLISHED)
    assert "See all 20 claims" in [link.label for link in published.see_all]  # not the scheduled ones


# -- emails --


def _outbox(key_prefix: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(key__startswith=key_prefix).order_by("to"))


def test_submitting_emails_every_chief_editor_but_the_author(editor, chief, other_chief):
    EditorFactory(username="another-editor")
    ChiefEditorFactory(username="no-address", email="")
    claim = _submitted(editor, "Please review me.")
    rows = _outbox("desk-submitted:")
    assert [row.to for row in rows] == ["chief2@example.org", "chief@example.org"]
    assert "Please review me." in rows[0].subject
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in rows[0].body
    assert "Eda Writer" in rows[0].body
    # A chief editor's own submission goes to the other chief editors only.
    _submitted(chief, "The chief's own.")
    assert [row.to for row in _outbox("desk-submitted:")].count("chief@example.org") == 1


def test_sending_back_emails_the_author_with_the_note(editor, chief):
    claim = _submitted(editor)
    editorial.send_back(obj=claim, by=chief, note="The second source is missing its link.")
    [row] = _outbox("desk-sent_back:")
    assert row.to == "ed@example.org"
    assert "The second source is missing its link." in row.body
    assert "Cleo Chief" in row.body


def test_publishing_emails_the_author(editor, chief):
    claim = _submitted(editor, "Soon published.")
    editorial.approve(obj=claim, by=chief)
    editorial.publish(obj=claim, by=chief)
    [row] = _outbox("desk-published:")
    assert row.to == "ed@example.org" and "Soon published." in row.subject


def test_no_email_when_the_person_turned_it_off(editor, chief, other_chief):
    EditorPreferences.objects.create(user=chief, email_on_submitted=False)
    EditorPreferences.objects.create(user=editor, email_on_sent_back=False, email_on_published=False)
    claim = _submitted(editor)
    assert [row.to for row in _outbox("desk-submitted:")] == ["chief2@example.org"]
    editorial.send_back(obj=claim, by=chief, note="Fix it.")
    editorial.submit_for_review(obj=claim, by=editor)
    editorial.approve(obj=claim, by=chief)
    editorial.publish(obj=claim, by=chief)
    assert _outbox("desk-sent_back:") == [] and _outbox("desk-published:") == []


def test_each_person_is_told_once_about_an_event(editor, chief):
    claim = _submitted(editor)
    event = claim.review_events.get(action=ReviewAction.SUBMITTED)
    assert notify.submitted(claim, event, editor) == 0
    assert len(_outbox("desk-submitted:")) == 1


def test_emails_follow_the_chosen_language(editor, chief):
    EditorPreferences.objects.create(user=chief, language="es")
    _submitted(editor, "Una afirmación.")
    [row] = _outbox("desk-submitted:")
    assert row.language == "es"
    assert row.subject.startswith("Espera tu revisión")


def test_an_email_is_written_only_if_the_action_commits(editor):
    claim = ClaimFactory(author=editor)  # no sources: refused
    ChiefEditorFactory(username="chief")
    with pytest.raises(ValidationError):
        editorial.submit_for_review(obj=claim, by=editor)
    assert not OutboxEmail.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


# -- "Your notifications" --


def test_the_notifications_page_shows_and_saves_your_own_settings(editor):
    client = _client(editor)
    page = client.get(reverse("editor-notifications"))
    assert page.status_code == 200
    assert "email_on_sent_back" in page.text
    assert "email_on_submitted" not in page.text  # editors are never emailed about submissions
    response = client.post(reverse("editor-notifications"), {"email_on_published": "on", "language": "es"}, follow=True)
    assert "Your notification settings are saved." in response.text or "guardad" in response.text
    preferences = EditorPreferences.objects.get(user=editor)
    assert (preferences.email_on_sent_back, preferences.email_on_published, preferences.language) == (False, True, "es")


def test_a_chief_editor_can_turn_off_submission_emails(chief):
    _client(chief).post(reverse("editor-notifications"), {"email_on_sent_back": "on", "email_on_published": "on"})
    assert EditorPreferences.objects.get(user=chief).email_on_submitted is False


def test_the_notifications_page_changes_only_your_own_row(editor, chief):
    _client(editor).post(reverse("editor-notifications") + f"?user={chief.pk}", {"user": chief.pk, "language": "es"})
    assert not EditorPreferences.objects.filter(user=chief).exists()
    assert EditorPreferences.objects.get(user=editor).language == "es"


def test_the_notifications_page_needs_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(reverse("editor-notifications"), {"language": "es"}).status_code == 403
    assert not EditorPreferences.objects.exists()


def test_the_notifications_page_sends_anonymous_users_to_the_login_page(client):
    response = client.get(reverse("editor-notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_desk_and_the_user_tools_link_to_the_notifications_page(editor):
    html = _client(editor).get(reverse("admin:index")).text
    assert html.count(f'href="{reverse("editor-notifications")}"') == 2


def test_an_invalid_language_is_refused_with_a_message(editor):
    response = _client(editor).post(reverse("editor-notifications"), {"language": "xx"})
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    assert not EditorPreferences.objects.exists()


def test_the_article_and_quiz_changelists_take_the_desk_filter(chief):
    ArticleFactory(status=Status.DRAFT, published_at=None, author=chief)
    client = _client(chief)
    for model in ("article", "quiz"):
        for key in desk.sections_for(chief):
            assert client.get(reverse(f"admin:claims_{model}_changelist") + f"?desk={key}").status_code == 200


def test_the_desk_is_on_the_front_page_only(editor):
    client = _client(editor)
    assert 'class="desk"' in client.get(reverse("admin:index")).text
    assert 'class="desk"' not in client.get(reverse("admin:app_list", args=["claims"])).text
