"""Translations in the editors' admin: started from the original's page, edited on a form of their own (our words,
our translation of each quote, question and choice beside the original's), saved and refused through the
editorial actions like anything else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from claims import editorial
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
from claims.models import (
    Article,
    ChoiceTranslation,
    Claim,
    Question,
    QuestionTranslation,
    Quiz,
    QuoteTranslation,
    Status,
)
from claims.verdicts import Verdict
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    PublishedClaimFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers.admin_posts import change_url, changelist_url, client_for, form_data, messages_of

pytestmark = pytest.mark.django_db


def translate_url(obj) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_translate", args=[obj.pk])


@pytest.fixture
def original() -> Claim:
    return PublishedClaimFactory(
        statement="The wall is finished.",
        slug="wall-finished",
        verdict=Verdict.FALSE,
        source__publisher="Reuters",
        source__title="Interview",
        source__quote="a quotable sentence",
    )


def _spanish(original):
    return editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)


def _publish(obj):
    obj = editorial.submit_for_review(obj=obj, by=DEMO_AUTHOR)
    obj = editorial.approve(obj=obj, by=DEMO_REVIEWER)
    return editorial.publish(obj=obj, by=DEMO_REVIEWER)


# -- starting a translation --


def test_the_translate_button_starts_a_draft_and_opens_it(editor_client, original):
    page = editor_client.get(change_url(original)).text
    assert "Translate into Spanish" in page and 'form="translate-form"' in page
    assert f'<form id="translate-form" method="post" action="{translate_url(original)}">' in page

    response = editor_client.post(translate_url(original), {"language": "es"}, follow=True)

    translation = Claim.objects.get(translation_of=original)
    assert (translation.language, translation.status) == ("es", Status.DRAFT)
    assert response.redirect_chain[-1][0] == change_url(translation)
    assert any(
        m.startswith("The Spanish translation of “The wall is finished.” is started") for m in messages_of(response)
    )
    assert f'Translation of: <a href="{change_url(original)}">The wall is finished.</a>' in response.text
    # The original's page now links to it instead of offering the button.
    page = editor_client.get(change_url(original)).text
    assert f'Spanish version: <a href="{change_url(translation)}">The wall is finished.</a> (Draft)' in page
    assert "Translate into Spanish" not in page


def test_a_second_translation_into_the_same_language_is_refused_with_the_reason(editor_client, original):
    _spanish(original)
    response = editor_client.post(translate_url(original), {"language": "es"}, follow=True)
    assert response.redirect_chain[-1][0] == change_url(original)
    assert "No translation was started. It already has a translation into Spanish: edit that one." in messages_of(
        response
    )
    assert Claim.objects.filter(translation_of=original).count() == 1


def test_someone_who_may_not_add_claims_cannot_start_one(original):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client = client_for(viewer)
    assert "Translate into Spanish" not in client.get(change_url(original)).text
    response = client.post(translate_url(original), {"language": "es"}, follow=True)
    assert "No translation was started. You do not have permission to add claims." in messages_of(response)
    assert not Claim.objects.filter(translation_of=original).exists()


def test_visitors_and_get_requests_start_nothing(client, editor_client, original):
    response = client.post(translate_url(original), {"language": "es"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert editor_client.get(translate_url(original)).status_code == 405
    assert not Claim.objects.filter(translation_of=original).exists()


def test_the_add_form_cannot_make_a_translation(editor_client, original):
    form = editor_client.get(reverse("admin:claims_claim_add")).context["adminform"].form
    assert not {"translation_of", "language", "needs_update"} & set(form.fields)


# -- a claim's translation --


def test_a_claim_translation_is_edited_with_its_quotes_beside_the_originals(editor_client, original):
    translation = _spanish(original)
    source = original.sources.get()
    response = editor_client.get(change_url(translation))
    assert "<blockquote>a quotable sentence</blockquote>" in response.text and "Our translation" in response.text
    assert "Source 1: Reuters, “Interview”" in response.text
    assert 'name="_make_question"' not in response.text  # quiz questions are made from originals
    data = form_data(response)
    assert "verdict" not in data and "sources-TOTAL_FORMS" not in data  # shared with the original, not posted
    data.update(
        statement="El muro está terminado.",
        ruling="Falso. Los registros muestran lo contrario.",
        explanation="La explicación.",
        verdict=Verdict.TRUE,  # crafted: a translation's verdict is its original's
        **{f"quote_{source.pk}": "No lo hemos terminado."},
    )

    response = editor_client.post(change_url(translation), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    translation.refresh_from_db()
    assert translation.statement == "El muro está terminado." and translation.verdict == Verdict.FALSE
    assert QuoteTranslation.objects.get(claim=translation, source=source).text == "No lo hemos terminado."
    assert original.sources.get().quote == "a quotable sentence"
    page = editor_client.get(change_url(translation)).text
    assert "No lo hemos terminado." in page and "False" in page


def test_submitting_an_untranslated_claim_shows_what_to_translate_and_saves_nothing(editor_client, original):
    translation = _spanish(original)
    data = form_data(editor_client.get(change_url(translation)))
    data.update(explanation="La explicación.", _submit="1")  # the statement and quote are left untranslated

    response = editor_client.post(change_url(translation), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["statement"] == ["This is still the original's text: translate it."]
    assert any("Translate every evidence quote" in error for error in form.non_field_errors())
    stored = Claim.objects.get(pk=translation.pk)
    assert stored.status == Status.DRAFT and stored.explanation == original.explanation


def test_a_quote_of_another_fact_check_smuggled_into_the_post_is_refused(editor_client, original):
    translation = _spanish(original)
    other = SourceFactory(quote="Another fact-check's quote.")
    data = form_data(editor_client.get(change_url(translation)))
    data.update(statement="El muro está terminado.", **{f"quote_{other.pk}": "Texto ajeno."})

    response = editor_client.post(change_url(translation), data)

    assert response.status_code == 200
    assert any("Nothing was saved" in error for error in response.context["adminform"].form.non_field_errors())
    assert not QuoteTranslation.objects.filter(source=other).exists()
    assert Claim.objects.get(pk=translation.pk).statement == "The wall is finished."


def test_a_published_translation_must_stay_translated(editor_client, original):
    translation = _spanish(original)
    source = original.sources.get()
    translation.statement, translation.ruling, translation.explanation = "El muro.", "Falso.", "Porque sí."
    editorial.translation_save(translation=translation, quotes={source.pk: "No lo hemos terminado."}, by=DEMO_AUTHOR)
    translation = _publish(translation)
    data = form_data(editor_client.get(change_url(translation)))
    data.update(ruling=original.ruling, **{f"quote_{source.pk}": ""})

    response = editor_client.post(change_url(translation), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ruling"] == ["This is still the original's text: translate it."]
    assert Claim.objects.get(pk=translation.pk).ruling == "Falso."
    assert QuoteTranslation.objects.get(claim=translation).text == "No lo hemos terminado."


def test_an_editor_sees_a_published_translation_read_only_with_its_quotes(original):
    translation = _spanish(original)
    source = original.sources.get()
    translation.statement, translation.ruling, translation.explanation = "El muro.", "Falso.", "Porque sí."
    editorial.translation_save(translation=translation, quotes={source.pk: "No lo hemos terminado."}, by=DEMO_AUTHOR)
    translation = _publish(translation)
    page = client_for(EditorFactory()).get(change_url(translation)).text
    assert "No lo hemos terminado." in page and f'name="quote_{source.pk}"' not in page


def test_a_correction_of_the_original_is_flagged_on_both_pages_until_the_translation_is_saved(editor_client, original):
    translation = _spanish(original)
    original.verdict, original.ruling = Verdict.MOSTLY_FALSE, "Mostly false. New records emerged."
    editorial.claim_save(
        claim=original, sources=list(original.sources.all()), by=DEMO_REVIEWER, correction_note="New records."
    )
    assert "The Spanish version needs an update" in editor_client.get(change_url(original)).text
    response = editor_client.get(change_url(translation))
    assert "This translation needs an update" in response.text
    data = form_data(response)
    data.update(ruling="Mayormente falso. Surgieron registros nuevos.")
    assert editor_client.post(change_url(translation), data).status_code == 302
    assert not Claim.objects.get(pk=translation.pk).needs_update
    assert "needs an update" not in editor_client.get(change_url(original)).text


# -- a quiz's translation --


@pytest.fixture
def quiz() -> Quiz:
    quiz = QuizFactory(title="Border quiz", status=Status.PUBLISHED, published_at=timezone.now())
    QuestionFactory(quiz=quiz, position=1, prompt="How many a day?", choices=[("100", False), ("1,000", True)])
    QuestionFactory(quiz=quiz, position=2, prompt="Who said it?", choices=[("Harris", True), ("Sanders", False)])
    return quiz


def _translated_quiz_post(data: dict, quiz: Quiz) -> dict:
    data = {**data, "title": "Cuestionario de la frontera"}
    for question in quiz.questions.all():
        data[f"prompt_{question.pk}"] = f"¿{question.prompt}? (es)"
        data[f"explanation_{question.pk}"] = "Porque lo dicen los registros."
        for choice in question.choices.all():
            data[f"choice_{choice.pk}"] = f"{choice.text} (es)"
    return data


def test_a_quiz_translation_gives_the_originals_questions_and_choices_its_words(editor_client, quiz):
    editor_client.post(translate_url(quiz), {"language": "es"})
    translation = Quiz.objects.get(translation_of=quiz)
    response = editor_client.get(change_url(translation))
    assert "How many a day?" in response.text and "Original: “1,000”, the right answer" in response.text
    assert "questions-TOTAL_FORMS" not in form_data(response)

    data = _translated_quiz_post(form_data(response), quiz)
    response = editor_client.post(change_url(translation), {**data, "_submit": "1"}, follow=True)

    assert "“Cuestionario de la frontera” is submitted for review." in messages_of(response)
    translation.refresh_from_db()
    assert translation.status == Status.IN_REVIEW and not Question.objects.filter(quiz=translation).exists()
    first = quiz.questions.get(position=1)
    assert QuestionTranslation.objects.get(quiz=translation, question=first).prompt == "¿How many a day?? (es)"
    texts = dict(ChoiceTranslation.objects.filter(quiz=translation).values_list("choice__text", "text"))
    assert texts == {"100": "100 (es)", "1,000": "1,000 (es)", "Harris": "Harris (es)", "Sanders": "Sanders (es)"}


def test_an_untranslated_choice_is_shown_at_its_question(editor_client, quiz):
    translation = _spanish(quiz)
    data = _translated_quiz_post(form_data(editor_client.get(change_url(translation))), quiz)
    second = quiz.questions.get(position=2)
    data[f"choice_{second.choices.first().pk}"] = ""

    response = editor_client.post(change_url(translation), {**data, "_submit": "1"})

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors[f"prompt_{second.pk}"] == ["Translate the question, its explanation and every choice."]
    assert Quiz.objects.get(pk=translation.pk).status == Status.DRAFT
    assert not QuestionTranslation.objects.filter(quiz=translation, prompt__endswith="(es)").exists()


# -- an article's translation --


def test_an_article_translation_has_its_own_words_and_its_originals_publisher(editor_client):
    article = ArticleFactory(publisher="Example News", title="The border in numbers")
    translation = _spanish(article)
    response = editor_client.get(change_url(translation))
    data = form_data(response)
    assert "publisher" not in data and "Example News" in response.text
    data.update(title="La frontera en cifras", byline="Por Ana", body="Primer párrafo.\n\nSegundo párrafo.")
    assert editor_client.post(change_url(translation), data).status_code == 302
    stored = Article.objects.get(pk=translation.pk)
    assert (stored.title, stored.byline, stored.publisher) == ("La frontera en cifras", "Por Ana", "Example News")


# -- the change lists --


def test_the_change_list_shows_the_language_and_filters_by_it_and_by_needs_update(editor_client, original):
    fresh = _spanish(original)
    flagged = _spanish(PublishedClaimFactory(statement="Taxes went up."))
    Claim.objects.filter(pk=flagged.pk).update(needs_update=True)
    url = changelist_url(Claim)

    response = editor_client.get(url)
    assert "Spanish" in response.text and "English" in response.text
    spanish = editor_client.get(url, {"language__exact": "es"}).context["cl"].result_list
    assert {c.pk for c in spanish} == {fresh.pk, flagged.pk}
    assert [c.pk for c in editor_client.get(url, {"needs_update__exact": "1"}).context["cl"].result_list] == [
        flagged.pk
    ]
    assert editor_client.get(url, {"q": "taxes", "language__exact": "es"}).context["cl"].result_count == 1


def test_a_translated_quiz_counts_its_originals_questions(editor_client, quiz):
    translation = _spanish(quiz)
    rows = {q.pk: q._question_count for q in editor_client.get(changelist_url(Quiz)).context["cl"].result_list}
    assert rows[quiz.pk] == rows[translation.pk] == 2
