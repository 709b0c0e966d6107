"""The quiz's page in the admin: questions folded to one line, their order kept by the server (Move up / Move down
work without a script), and readers' statistics only on a published quiz, below the questions."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import editorial
from claims.admin.question_order import apply_move
from claims.editorial.quizzes import QuestionDraft
from claims.models import Question, Quiz, Status
from claims.verdicts import Verdict
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedQuizFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.helpers.admin_posts import client_for, form_data, messages_of

pytestmark = pytest.mark.django_db
YES_NO = [("Yes", True), ("No", False)]


def _quiz_with(prompts: list[str], **quiz_fields) -> Quiz:
    quiz = QuizFactory(**quiz_fields)
    for position, prompt in enumerate(prompts, start=1):
        QuestionFactory(quiz=quiz, position=position, prompt=prompt, choices=[("Yes", True), ("No", False)])
    return quiz


def _prompts(quiz: Quiz) -> list[str]:
    return list(quiz.questions.order_by("position").values_list("prompt", flat=True))


def _positions(quiz: Quiz) -> list[int]:
    return list(quiz.questions.order_by("position").values_list("position", flat=True))


def _page(client, quiz: Quiz):
    return client.get(reverse("admin:claims_quiz_change", args=[quiz.pk]))


def _form_index(data: dict, prompt: str) -> int:
    return next(int(m[1]) for k, v in data.items() if v == prompt and (m := re.fullmatch(r"questions-(\d+)-prompt", k)))


# The order --------------------------------------------------------------------------------------------------


def test_positions_posted_twice_are_numbered_apart_in_the_posted_order(editor_client):
    quiz = _quiz_with(["First?", "Second?", "Third?"])
    data = form_data(_page(editor_client, quiz))
    # A crafted (or stale) post: two questions say 1, the third says 1 too.
    for n in range(3):
        data[f"questions-{n}-position"] = "1"
    response = editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 302
    assert _prompts(quiz) == ["First?", "Second?", "Third?"]
    assert _positions(quiz) == [1, 2, 3]


def test_the_posted_positions_set_the_order(editor_client):
    quiz = _quiz_with(["First?", "Second?", "Third?"])
    data = form_data(_page(editor_client, quiz))
    data[f"questions-{_form_index(data, 'Third?')}-position"] = "1"
    data[f"questions-{_form_index(data, 'First?')}-position"] = "3"
    assert editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data).status_code == 302
    assert _prompts(quiz) == ["Third?", "Second?", "First?"]
    assert _positions(quiz) == [1, 2, 3]


def test_the_editorial_action_numbers_positions_for_every_caller():
    quiz = _quiz_with(["First?", "Second?"])
    first, second = quiz.questions.order_by("position")
    first.position, second.position = 7, 7
    new = Question(prompt="New?", explanation="Because.")  # no position: it goes last
    editorial.quiz_save(
        quiz=quiz,
        questions=[
            QuestionDraft(second, [("Yes", True), ("No", False)]),
            QuestionDraft(new, [("Yes", True), ("No", False)]),
            QuestionDraft(first, [("Yes", True), ("No", False)]),
        ],
        by=ChiefEditorFactory(),
    )
    assert _prompts(quiz) == ["Second?", "First?", "New?"]
    assert _positions(quiz) == [1, 2, 3]


def test_move_up_without_a_script_saves_the_quiz_with_the_question_moved(editor_client):
    quiz = _quiz_with(["First?", "Second?", "Third?"])
    data = form_data(_page(editor_client, quiz))
    data[f"questions-{_form_index(data, 'Third?')}-move"] = "up"
    response = editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:claims_quiz_change", args=[quiz.pk])
    assert "Question moved: it is number 2 now." in messages_of(response)
    assert _prompts(quiz) == ["First?", "Third?", "Second?"]
    assert _positions(quiz) == [1, 2, 3]


def test_move_down_skips_a_question_ticked_for_deletion(editor_client):
    quiz = _quiz_with(["First?", "Second?", "Third?"])
    data = form_data(_page(editor_client, quiz))
    data[f"questions-{_form_index(data, 'Second?')}-DELETE"] = "on"
    data[f"questions-{_form_index(data, 'First?')}-move"] = "down"
    assert editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data).status_code == 302
    assert _prompts(quiz) == ["Third?", "First?"]
    assert _positions(quiz) == [1, 2]


def test_moving_the_first_question_up_changes_nothing_but_saves_what_was_typed(editor_client):
    # It is also what Enter in a text field does without a script: the form's first submit button is this one.
    quiz = _quiz_with(["First?", "Second?"], title="Old title")
    data = form_data(_page(editor_client, quiz))
    data["title"] = "New title"
    data[f"questions-{_form_index(data, 'First?')}-move"] = "up"
    response = editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:claims_quiz_change", args=[quiz.pk])
    quiz.refresh_from_db()
    assert quiz.title == "New title" and _prompts(quiz) == ["First?", "Second?"]


def test_a_move_with_an_error_on_the_page_saves_nothing(editor_client):
    quiz = _quiz_with(["First?", "Second?"], title="Old title")
    data = form_data(_page(editor_client, quiz))
    data["title"] = "New title"
    data[f"questions-{_form_index(data, 'First?')}-prompt"] = ""
    data[f"questions-{_form_index(data, 'Second?')}-move"] = "up"
    response = editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.text and 'href="#id_questions-0-prompt"' in response.text
    quiz.refresh_from_db()
    assert quiz.title == "Old title" and _prompts(quiz) == ["First?", "Second?"]


def test_an_editor_who_may_not_change_a_published_quiz_cannot_move_its_questions():
    quiz = PublishedQuizFactory()
    prompts = _prompts(quiz)
    chief_page = _page(client_for(ChiefEditorFactory()), quiz)
    data = form_data(chief_page)
    data[f"questions-{_form_index(data, prompts[-1])}-move"] = "up"
    editor = client_for(EditorFactory())  # not a chief editor: a published quiz is read-only to them
    assert editor.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data).status_code == 403
    assert _prompts(quiz) == prompts


@pytest.mark.parametrize(
    "posted",
    [
        {"questions-TOTAL_FORMS": "2", "questions-0-move": "sideways"},
        {"questions-TOTAL_FORMS": "2", "questions-5-move": "up"},
        {"questions-TOTAL_FORMS": "99999", "questions-0-move": "up"},
        {"questions-TOTAL_FORMS": "x", "questions-0-move": "up"},
        {"questions-TOTAL_FORMS": "2", "questions-x-move": "up"},
        {"questions-TOTAL_FORMS": "2"},
    ],
)
def test_a_move_that_makes_no_sense_leaves_the_post_as_it_was(posted):
    data = QueryDict(mutable=True)
    data.update({"questions-0-id": "1", "questions-0-position": "1", "questions-1-id": "2"})
    data.update(posted)
    assert apply_move(data) == (data, None)


# The page ---------------------------------------------------------------------------------------------------


def test_saved_questions_are_folded_to_a_line_with_kind_fact_check_and_warnings(editor_client):
    quiz = QuizFactory()
    claim = ClaimFactory(statement="Crossings doubled in March.", verdict=Verdict.TRUE, status=Status.PUBLISHED)
    QuestionFactory(quiz=quiz, position=1, prompt="Did they double?", claim=claim, choices=YES_NO)
    QuestionFactory(quiz=quiz, position=2, prompt="With no fact-check?", choices=YES_NO)
    claim.verdict = Verdict.FALSE  # re-rated after the question was written
    claim.save(update_fields=["verdict"])
    html = _page(editor_client, quiz).text

    cards = re.findall(r'<details class="question-card__details"( open)?>(.*?)</summary>', html, re.S)
    assert [bool(opened) for opened, _ in cards] == [False, False, False, True]  # + the blank row, the template
    first, second = (unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))).strip() for _, text in cards[:2])
    assert "Question #1 Did they double?" in first and "Choose one answer" in first
    assert "Fact-check: False, “Crossings doubled in March.”" in first
    assert "Its fact-check's verdict changed to False after it was written" in first
    assert "Question #2 With no fact-check?" in second and "It has no backing fact-check" in second


def test_a_question_with_an_error_is_open_and_marked_on_its_line(editor_client):
    quiz = _quiz_with(["First?", "Second?"])
    data = form_data(_page(editor_client, quiz))
    data[f"questions-{_form_index(data, 'Second?')}-correct_1"] = ""  # no right answer left
    html = editor_client.post(reverse("admin:claims_quiz_change", args=[quiz.pk]), data).text
    cards = re.findall(r'<details class="question-card__details"( open)?>(.*?)</summary>', html, re.S)
    assert [bool(opened) for opened, _ in cards[:2]] == [False, True]
    assert "Has errors: see below" in cards[1][1] and "Has errors" not in cards[0][1]


def test_reader_statistics_show_on_a_published_quiz_below_its_questions(editor_client):
    quiz = PublishedQuizFactory()
    html = _page(client_for(ChiefEditorFactory()), quiz).text
    assert 'id="reader-statistics"' in html
    assert html.index('id="questions-group"') < html.index('id="reader-statistics"')


def test_a_draft_quiz_has_no_reader_statistics(editor_client):
    quiz = _quiz_with(["First?"])
    html = _page(editor_client, quiz).text
    assert 'id="reader-statistics"' not in html and "quiz-readers" not in html


def test_a_quiz_made_from_a_fact_check_gets_a_title_readers_could_see(editor_client):
    article = ArticleFactory(title="Border crossings hit a record", slug="border-crossings")
    claim = ClaimFactory(article=article, verdict=Verdict.TRUE, status=Status.PUBLISHED)
    question = editorial.question_from_claim(claim=claim, by=ChiefEditorFactory())
    quiz = question.quiz
    assert quiz.title == "How closely did you read “Border crossings hit a record”?"
    assert quiz.slug == "quiz-border-crossings" and quiz.status == Status.DRAFT


def test_claim_and_quiz_pages_lead_back_to_their_articles_suggestions(editor_client):
    # An editor drafting from an imported article's suggestions goes back there for the next one.
    quiz = _quiz_with(["First?"])
    claim = ClaimFactory(article=quiz.article)
    suggestions = reverse("admin:claims_article_suggestions", args=[quiz.article_id])
    for page in (_page(editor_client, quiz), editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))):
        links = re.findall(r'<a href="([^"]+)">The article(?:\'|&#x27;)s suggested fact-checks</a>', page.text)
        assert links == [suggestions], re.findall(r'<ul class="object-tools">.*?</ul>', page.text, re.S)
    assert editor_client.get(suggestions).status_code == 200


def test_a_published_quiz_shown_read_only_has_no_move_buttons():
    quiz = PublishedQuizFactory()
    page = client_for(EditorFactory()).get(reverse("admin:claims_quiz_change", args=[quiz.pk]))
    assert page.status_code == 200 and 'class="question-card__details"' in page.text
    assert "question-card__move" not in page.text and 'name="_save"' not in page.text


def test_the_quiz_page_costs_one_query_more_per_question_and_no_more(editor_client):
    """Each question's one-line summary reads its fact-check and warnings from the inline's own query; the one
    query a question adds is Django's claim autocomplete looking up the chosen fact-check for its widget."""

    def queries(questions: int) -> int:
        quiz = QuizFactory()
        for position in range(1, questions + 1):
            QuestionFactory(quiz=quiz, position=position, claim=ClaimFactory(), choices=YES_NO)
        with CaptureQueriesContext(connection) as captured:
            assert _page(editor_client, quiz).status_code == 200
        return len(captured.captured_queries)

    few, many = queries(2), queries(8)
    assert many - few <= 6, (few, many)
