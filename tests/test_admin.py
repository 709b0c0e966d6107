"""The editors' admin, through its real views."""

import pytest
from django.contrib import admin
from django.urls import reverse

from claims import editorial
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
from tests.helpers.admin_posts import claim_post as _claim_post
from tests.helpers.admin_posts import messages_of as _messages
from tests.helpers.admin_posts import question_fields as _question
from tests.helpers.admin_posts import quiz_post as _quiz_post

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("name", ["admin:index", "editor-notifications"])
def test_the_desk_and_the_notifications_page_load(editor_client, name):
    """The pages outside the ModelAdmins: the front page (the editors' desk) and "Your notifications"."""
    PublishedQuizFactory()
    assert editor_client.get(reverse(name)).status_code == 200


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


def test_adding_a_claim_with_two_sources(editor_client):
    article = ArticleFactory()
    response = editor_client.post(reverse("admin:claims_claim_add"), _claim_post(article))
    assert response.status_code == 302, response.context and response.context["errors"]
    claim = Claim.objects.get(slug="mexico-apprehends-1000")
    assert claim.status == Status.DRAFT
    assert [s.publisher for s in claim.sources.all()] == ["Example News", "Reuters"]


def test_save_and_submit_for_review_from_the_add_form(editor_client, editor):
    article = ArticleFactory()
    response = editor_client.post(reverse("admin:claims_claim_add"), _claim_post(article, _submit="1"), follow=True)
    claim = Claim.objects.get(slug="mexico-apprehends-1000")
    assert claim.status == Status.IN_REVIEW and claim.author == editor
    assert any("is submitted for review" in m for m in _messages(response))


def test_submit_without_sources_shows_why_at_the_form_and_saves_nothing(editor_client):
    article = ArticleFactory()
    data = _claim_post(article, _submit="1", ruling="", **{"sources-TOTAL_FORMS": "0"})
    response = editor_client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["ruling"] == ["Write the bottom line: the verdict and why, in a sentence or two."]
    assert "Add at least one source with its evidence quote." in form.non_field_errors()
    assert not Claim.objects.exists()


def test_submit_with_a_quote_not_in_the_article_shows_it_at_the_source(editor_client):
    article = ArticleFactory()
    data = _claim_post(article, _submit="1", **{"sources-0-quote": "a quotable sentence that is not there"})
    response = editor_client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    source_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "Source 1's quote is not in the article word for word." in source_form.errors["quote"][0]
    assert not Claim.objects.exists()


def test_the_claim_form_says_where_each_quote_is_in_the_article(editor_client):
    claim = PublishedClaimFactory()
    SourceFactory(claim=claim, quote="not in it at all")
    html = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).text
    assert f"Found in paragraph 2 of “{claim.article.title}”." in html
    assert f"Not found word for word in “{claim.article.title}”." in html


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
    assert "Add at least one source with its evidence quote." in response.text
    assert claim.sources.count() == 1


def test_publish_action_reports_what_it_skipped_and_why(editor_client):
    author = StaffFactory(username="author")
    ready = ClaimFactory(statement="Ready claim", author=author)
    SourceFactory(claim=ready)
    editorial.submit_for_review(obj=ready, by=author)
    editorial.approve(obj=ready, by=StaffFactory(username="another-chief"))
    unreviewed = ClaimFactory(statement="Unreviewed claim")
    SourceFactory(claim=unreviewed)
    response = editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, unreviewed.pk]},
        follow=True,
    )
    messages = _messages(response)
    assert "Published: 1 of 2." in messages
    assert (
        "“Unreviewed claim” was not published. This claim must be submitted for review and approved before it is "
        "published." in messages
    )
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
    assert "exactly one" in response.text and "(2 marked)" in response.text
    assert Quiz.objects.count() == 0 and Question.objects.count() == 0


def test_editing_choices_on_the_quiz_page_keeps_rows_and_moves_the_right_answer(editor_client):
    question = QuestionFactory(choices=[("A", True), ("B", False)])
    quiz = question.quiz
    ids = list(question.choices.values_list("id", flat=True))
    data = _quiz_post(
        quiz.article,
        [{"id": question.pk, "quiz": quiz.pk, **_question("Edited?", [("A", False), ("B", True)])}],
        title=quiz.title,
        slug=quiz.slug,
        **{"questions-INITIAL_FORMS": "1"},
    )
    response = editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 302
    assert list(question.choices.values_list("id", "is_correct")) == [(ids[0], False), (ids[1], True)]


def test_questions_are_read_only_outside_their_quiz(editor_client):
    question = QuestionFactory(choices=[("A", True), ("B", False)])
    page = editor_client.get(reverse("admin:claims_question_change", args=[question.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert reverse("admin:claims_quiz_change", args=[question.quiz_id]) in page.text
    data = {"quiz": question.quiz.pk, **_question("Edited?", [("A", False), ("B", True)])}
    assert editor_client.post(reverse("admin:claims_question_change", args=[question.pk]), data).status_code == 403


def test_publish_quiz_action_refuses_a_quiz_with_a_broken_question(editor_client):
    quiz = QuizFactory(title="Broken quiz")
    QuestionFactory(quiz=quiz, choices=[("A", False), ("B", False)])
    response = editor_client.post(
        reverse("admin:claims_quiz_changelist"),
        {"action": "publish_selected", "_selected_action": [quiz.pk]},
        follow=True,
    )
    assert any(m.startswith("“Broken quiz” was not published.") for m in _messages(response))
    quiz.refresh_from_db()
    assert quiz.status == Status.DRAFT


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
