"""The editors' admin, through its real views."""

import pytest
from django.contrib import admin
from django.urls import reverse

from claims import services
from claims.models import Claim, Question, Quiz, Source, Status
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_changelist_and_add_page_loads(editor_client, editor, rf, model):
    PublishedQuizFactory()
    meta = model._meta
    assert editor_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    request = rf.get("/")
    request.user = editor
    # Some admins (django-axes' log of login attempts) are read-only by design.
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert editor_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == expected


def test_change_pages_load_and_link_to_the_site(editor_client):
    quiz = PublishedQuizFactory()
    claim = quiz.questions.first().claim
    response = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    assert reverse("admin:view_on_site", args=[response.context["content_type_id"], claim.pk]) in response.text
    assert editor_client.get(reverse("admin:claims_quiz_change", args=[quiz.pk])).status_code == 200


def test_claim_changelist_searches_statement_and_claimant(editor_client):
    PublishedClaimFactory(statement="Tariffs were threatened in 2019.", claimant="Someone")
    PublishedClaimFactory(statement="Other statement.", claimant="Christopher Wilson")
    url = reverse("admin:claims_claim_changelist")
    assert editor_client.get(url, {"q": "tariffs"}).context["cl"].result_count == 1
    assert editor_client.get(url, {"q": "wilson"}).context["cl"].result_count == 1
    assert editor_client.get(url, {"verdict__exact": "false"}).context["cl"].result_count == 0


def _claim_post(article, **overrides) -> dict:
    data = {
        "statement": "Mexico apprehends 1,000 immigrants a day.",
        "slug": "mexico-apprehends-1000",
        "claimant": "US officials",
        "claimant_description": "",
        "said_where": "",
        "said_on": "",
        "verdict": "true",
        "ruling": "True, as the documents show.",
        "explanation": "",
        "article": article.pk,
        "updated_at_0": "",
        "updated_at_1": "",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-publisher": "BuzzFeed News",
        "sources-0-title": "The report",
        "sources-0-url": "",
        "sources-0-published_on": "",
        "sources-0-quote": "an average of 1,000 per day",
        "sources-0-position": "1",
        "sources-1-publisher": "Reuters",
        "sources-1-title": "Interview",
        "sources-1-url": "https://example.org/interview",
        "sources-1-published_on": "",
        "sources-1-quote": "another quote",
        "sources-1-position": "2",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        "slug_redirects-TOTAL_FORMS": "0",
        "slug_redirects-INITIAL_FORMS": "0",
        "slug_redirects-MIN_NUM_FORMS": "0",
        "slug_redirects-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_adding_a_claim_with_two_sources(editor_client):
    article = ArticleFactory()
    response = editor_client.post(reverse("admin:claims_claim_add"), _claim_post(article))
    assert response.status_code == 302, response.context and response.context["errors"]
    claim = Claim.objects.get(slug="mexico-apprehends-1000")
    assert claim.status == Status.DRAFT
    assert [s.publisher for s in claim.sources.all()] == ["BuzzFeed News", "Reuters"]


def test_save_and_submit_for_review_from_the_add_form(editor_client, editor):
    article = ArticleFactory()
    response = editor_client.post(reverse("admin:claims_claim_add"), _claim_post(article, _submit="1"), follow=True)
    claim = Claim.objects.get(slug="mexico-apprehends-1000")
    assert claim.status == Status.IN_REVIEW and claim.author == editor
    assert any("is submitted for review" in m for m in _messages(response))


def test_submit_without_sources_saves_a_draft_and_says_why(editor_client):
    article = ArticleFactory()
    data = _claim_post(article, _submit="1", **{"sources-TOTAL_FORMS": "0"})
    response = editor_client.post(reverse("admin:claims_claim_add"), data, follow=True)
    claim = Claim.objects.get(slug="mexico-apprehends-1000")
    assert claim.status == Status.DRAFT
    assert any("not submitted for review" in m and "add at least one source" in m for m in _messages(response))


def test_invalid_claim_form_shows_errors_and_saves_nothing(editor_client):
    article = ArticleFactory()
    data = _claim_post(article, slug="Not a valid slug!", **{"sources-1-url": "not a url"})
    response = editor_client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Claim.objects.count() == 0 and Source.objects.count() == 0
    assert "Enter a valid URL." in response.text


def test_removing_every_source_of_a_published_claim_is_refused(editor_client):
    claim = PublishedClaimFactory()
    source = claim.sources.get()
    data = _claim_post(
        claim.article,
        slug=claim.slug,
        statement=claim.statement,
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "1",
            "sources-0-id": source.pk,
            "sources-0-claim": claim.pk,
            "sources-0-DELETE": "on",
        },
    )
    response = editor_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200
    assert "A published claim must keep its evidence" in response.text
    assert claim.sources.count() == 1


def test_publish_action_reports_what_it_skipped_and_why(editor_client):
    author = StaffFactory(username="author")
    ready = ClaimFactory(statement="Ready claim", author=author)
    SourceFactory(claim=ready)
    services.submit_for_review(obj=ready, by=author)
    services.approve(obj=ready, by=StaffFactory(username="another-chief"))
    unreviewed = ClaimFactory(statement="Unreviewed claim")
    SourceFactory(claim=unreviewed)
    response = editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, unreviewed.pk]},
        follow=True,
    )
    messages = _messages(response)
    assert "Published 1 claim." in messages
    assert any("Skipped “Unreviewed claim”" in m and "submitted for review and approved" in m for m in messages)
    ready.refresh_from_db()
    unreviewed.refresh_from_db()
    assert (ready.status, unreviewed.status) == (Status.PUBLISHED, Status.DRAFT)


def test_unpublish_action(editor_client):
    claim = PublishedClaimFactory()
    editor_client.post(
        reverse("admin:claims_claim_changelist"), {"action": "unpublish_selected", "_selected_action": [claim.pk]}
    )
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


def _quiz_post(article, questions: list[dict], **overrides) -> dict:
    data = {
        "title": "A quiz",
        "slug": "a-quiz",
        "article": article.pk,
        "intro": "",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-{key}": value for key, value in question.items()})
    data.update(overrides)
    return data


def _question(prompt: str, choices: list[tuple[str, bool]]) -> dict:
    fields = {"prompt": prompt, "explanation": "Because.", "position": "1", "claim": ""}
    for n, (text, correct) in enumerate(choices, start=1):
        fields[f"choice_{n}"] = text
        if correct:
            fields[f"correct_{n}"] = "on"
    return fields


def test_quiz_with_questions_and_choices_is_built_on_one_page(editor_client):
    article = ArticleFactory()
    data = _quiz_post(
        article,
        [
            _question("How many a day?", [("100", False), ("1,000", True), ("10,000", False)]),
            _question("Who?", [("Harris", True), ("Sanders", False)]),
        ],
    )
    response = editor_client.post(reverse("admin:claims_quiz_add"), data)
    assert response.status_code == 302
    quiz = Quiz.objects.get(slug="a-quiz")
    first, second = quiz.questions.order_by("id")
    assert [(c.text, c.is_correct) for c in first.choices.all()] == [("100", False), ("1,000", True), ("10,000", False)]
    assert second.correct_choice.text == "Harris"


def test_question_with_two_correct_choices_is_refused_with_a_message(editor_client):
    article = ArticleFactory()
    data = _quiz_post(article, [_question("Which?", [("A", True), ("B", True), ("C", False)])])
    response = editor_client.post(reverse("admin:claims_quiz_add"), data)
    assert response.status_code == 200
    assert "mark exactly one choice as correct (2 marked)" in response.text
    assert Quiz.objects.count() == 0 and Question.objects.count() == 0


def test_editing_choices_keeps_rows_and_moves_the_right_answer(editor_client):
    question = QuestionFactory(choices=[("A", True), ("B", False)])
    ids = list(question.choices.values_list("id", flat=True))
    data = {"quiz": question.quiz.pk, **_question("Edited?", [("A", False), ("B", True)])}
    response = editor_client.post(reverse("admin:claims_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    assert list(question.choices.values_list("id", "is_correct")) == [(ids[0], False), (ids[1], True)]


def test_publish_quiz_action_refuses_a_quiz_with_a_broken_question(editor_client):
    quiz = QuizFactory(title="Broken quiz")
    QuestionFactory(quiz=quiz, choices=[("A", False), ("B", False)])
    response = editor_client.post(
        reverse("admin:claims_quiz_changelist"),
        {"action": "publish_selected", "_selected_action": [quiz.pk]},
        follow=True,
    )
    assert any("Skipped “Broken quiz”" in m and "exactly one choice" in m for m in _messages(response))
    quiz.refresh_from_db()
    assert quiz.status == Status.DRAFT


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
