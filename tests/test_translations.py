"""Content in two languages: translations go through the write path and review, share their original's verdict,
sources and statistics, and each language's permalink speaks for itself (ClaimReview, hreflang)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from claims import editorial
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
from claims.models import ChoiceTranslation, Claim, QuestionTally, Quiz, ReviewAction, ReviewEvent, Status
from claims.verdicts import Verdict
from tests.factories import PublishedClaimFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

SPANISH_CLAIM = {
    "statement": "El muro está terminado.",
    "ruling": "Falso. Los registros muestran lo contrario.",
    "explanation": "La explicación más larga.",
}


def _publish(obj):
    if obj.status == Status.DRAFT:
        obj = editorial.submit_for_review(obj=obj, by=DEMO_AUTHOR)
    obj = editorial.approve(obj=obj, by=DEMO_REVIEWER)
    return editorial.publish(obj=obj, by=DEMO_REVIEWER)


def _spanish_claim(original: Claim, *, publish: bool = True, **words) -> Claim:
    translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
    for name, value in (SPANISH_CLAIM | words).items():
        setattr(translation, name, value)
    quotes = {source.pk: "una frase citable" for source in original.sources.all()}
    translation = editorial.translation_save(translation=translation, quotes=quotes, by=DEMO_AUTHOR)
    return _publish(translation) if publish else translation


@pytest.fixture
def original() -> Claim:
    return PublishedClaimFactory(verdict=Verdict.FALSE, statement="The wall is finished.", slug="wall-finished")


class TestStartingATranslation:
    def test_starts_as_a_draft_in_the_original_words_with_the_shared_verdict(self, original):
        translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
        assert translation.status == Status.DRAFT and translation.language == "es"
        assert translation.translation_of == original and translation.verdict == original.verdict
        assert translation.statement == original.statement  # for the translator to replace
        assert translation.slug == "wall-finished-es"

    def test_one_translation_per_language_and_none_of_a_translation(self, original):
        translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
        with pytest.raises(ValidationError, match="already has a translation"):
            editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
        with pytest.raises(ValidationError, match="original"):
            editorial.translation_start(original=translation, language="en", by=DEMO_AUTHOR)
        with pytest.raises(ValidationError, match="already written in that language"):
            editorial.translation_start(original=original, language="en", by=DEMO_AUTHOR)
        assert Claim.objects.filter(translation_of=original).count() == 1


class TestReviewingATranslation:
    def test_untranslated_words_cannot_be_submitted(self, original):
        translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
        with pytest.raises(ValidationError) as refused:
            editorial.submit_for_review(obj=translation, by=DEMO_AUTHOR)
        assert "still the original's text" in str(refused.value)
        assert Claim.objects.get(pk=translation.pk).status == Status.DRAFT

    def test_every_quote_needs_our_translation(self, original):
        translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
        for name, value in SPANISH_CLAIM.items():
            setattr(translation, name, value)
        editorial.translation_save(translation=translation, by=DEMO_AUTHOR)
        with pytest.raises(ValidationError, match="Translate every evidence quote"):
            editorial.submit_for_review(obj=translation, by=DEMO_AUTHOR)

    def test_published_only_after_its_original(self):
        draft = PublishedClaimFactory(status=Status.DRAFT, published_at=None)
        translation = _spanish_claim(draft, publish=False)
        translation = editorial.submit_for_review(obj=translation, by=DEMO_AUTHOR)
        translation = editorial.approve(obj=translation, by=DEMO_REVIEWER)
        with pytest.raises(ValidationError, match="original is not published"):
            editorial.publish(obj=translation, by=DEMO_REVIEWER)

    def test_the_verdict_cannot_differ_from_the_original(self, original):
        translation = _spanish_claim(original, publish=False)
        translation.verdict = Verdict.TRUE  # whatever an editor posts
        translation = editorial.translation_save(translation=translation, by=DEMO_AUTHOR)
        assert Claim.objects.get(pk=translation.pk).verdict == Verdict.FALSE

    def test_the_original_cannot_be_unpublished_or_deleted_under_its_translation(self, original):
        _spanish_claim(original)
        with pytest.raises(ValidationError, match="translation is published"):
            editorial.unpublish(obj=original, by=DEMO_REVIEWER)
        assert Claim.objects.get(pk=original.pk).is_published


class TestACorrectionOfTheOriginal:
    def test_moves_the_verdict_and_flags_the_translation_until_it_is_updated(self, original):
        translation = _spanish_claim(original)
        original.verdict, original.ruling = Verdict.MOSTLY_FALSE, "Mostly false. New records emerged."
        editorial.claim_save(
            claim=original, sources=list(original.sources.all()), by=DEMO_REVIEWER, correction_note="New records."
        )
        translation.refresh_from_db()
        assert translation.verdict == Verdict.MOSTLY_FALSE and translation.needs_update
        assert ReviewEvent.objects.filter(claim=translation, action=ReviewAction.FLAGGED).exists()
        translation.ruling = "Mayormente falso. Surgieron registros nuevos."
        translation = editorial.translation_save(translation=translation, by=DEMO_REVIEWER)
        assert not Claim.objects.get(pk=translation.pk).needs_update


class TestPermalinksInBothLanguages:
    def test_each_language_has_its_own_claimreview_naming_the_other(self, client, original):
        translation = _spanish_claim(original)
        english = client.get(f"/claims/{original.slug}/")
        spanish = client.get(f"/es/claims/{translation.slug}/")
        en_review, es_review = _claim_review(english.text), _claim_review(spanish.text)
        assert en_review["inLanguage"] == "en" and es_review["inLanguage"] == "es"
        assert es_review["claimReviewed"] == "El muro está terminado."
        assert es_review["translationOfWork"]["@id"] == en_review["url"]
        assert [w["@id"] for w in en_review["workTranslation"]] == [es_review["url"]]
        assert es_review["reviewRating"]["ratingValue"] == en_review["reviewRating"]["ratingValue"] == 1
        assert es_review["reviewRating"]["alternateName"] == "Falso"

    def test_hreflang_alternates_and_x_default(self, client, original):
        translation = _spanish_claim(original)
        html = client.get(f"/es/claims/{translation.slug}/").text
        site = settings.SITE_URL
        assert f'hreflang="en" href="{site}/claims/{original.slug}/"' in html
        assert f'hreflang="es" href="{site}/es/claims/{translation.slug}/"' in html
        assert f'hreflang="x-default" href="{site}/claims/{original.slug}/"' in html

    def test_the_other_languages_address_moves_to_this_languages_version(self, client, original):
        translation = _spanish_claim(original)
        assert client.get(f"/es/claims/{original.slug}/")["Location"] == f"/es/claims/{translation.slug}/"
        assert client.get(f"/claims/{translation.slug}/")["Location"] == f"/claims/{original.slug}/"

    def test_without_a_translation_the_original_shows_marked_with_its_language(self, client, original):
        response = client.get(f"/es/claims/{original.slug}/")
        assert response.status_code == 200
        assert 'lang="en"' in response.text and "The wall is finished." in response.text

    def test_quotes_stay_verbatim_with_our_translation_marked_as_ours(self, client, original):
        translation = _spanish_claim(original)
        html = client.get(f"/es/claims/{translation.slug}/").text
        assert "a quotable sentence" in html and "una frase citable" in html
        assert "Traducción nuestra" in html

    def test_listings_show_each_fact_check_once_in_the_readers_language(self, client, original):
        _spanish_claim(original)
        spanish = client.get("/es/claims/").text
        assert "El muro está terminado." in spanish and "The wall is finished." not in spanish
        english = client.get("/claims/").text
        assert "The wall is finished." in english and "El muro está terminado." not in english


def _claim_review(html: str) -> dict:
    return json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])


@pytest.fixture
def bilingual_quiz():
    """A published quiz of two questions and its published Spanish translation."""
    quiz = QuizFactory(slug="border-quiz", status=Status.PUBLISHED, published_at=timezone.now())
    for position in (1, 2):
        QuestionFactory(
            quiz=quiz, position=position, prompt=f"Question {position}?", choices=[("Right", True), ("Wrong", False)]
        )
    translation = editorial.translation_start(original=quiz, language="es", by=DEMO_AUTHOR)
    translation.title = "Cuestionario de la frontera"
    prompts, choices = {}, {}
    for question in quiz.questions.prefetch_related("choices"):
        prompts[question.pk] = (f"¿Pregunta {question.position}?", "Porque lo dicen los registros.")
        for choice in question.choices.all():
            choices[choice.pk] = "Correcta" if choice.is_correct else "Incorrecta"
    translation = editorial.translation_save(translation=translation, prompts=prompts, choices=choices, by=DEMO_AUTHOR)
    return quiz, _publish(translation)


class TestOneQuizInTwoLanguages:
    def test_answers_in_both_languages_count_in_the_same_statistics(self, client, bilingual_quiz, settings):
        settings.QUIZ_MIN_SAMPLE = 2  # the shares show from the second reader on
        quiz, translation = bilingual_quiz
        first = quiz.questions.order_by("position").first()
        right = first.choices.get(is_correct=True)
        english, spanish = Client(), Client()
        english.post(f"/quizzes/{quiz.slug}/start/")
        english.post(f"/quizzes/{quiz.slug}/q/1/", {"question": first.pk, "choice": right.pk})
        spanish.post(f"/es/quizzes/{translation.slug}/start/")
        response = spanish.post(f"/es/quizzes/{translation.slug}/q/1/", {"question": first.pk, "choice": right.pk})
        assert response.status_code == 303
        assert QuestionTally.objects.get(question=first).answered == 2
        feedback = spanish.get(f"/es/quizzes/{translation.slug}/q/1/").text
        assert "¿Pregunta 1?" in feedback and "Correcta" in feedback and "100" in feedback

    def test_switching_language_mid_quiz_carries_on(self, bilingual_quiz):
        quiz, translation = bilingual_quiz
        first = quiz.questions.order_by("position").first()
        reader = Client()
        reader.post(f"/es/quizzes/{translation.slug}/start/")
        reader.post(f"/es/quizzes/{translation.slug}/q/1/", {"question": first.pk, "choice": first.choices.first().pk})
        # The same reader, now in English: question 2 is next, question 1 shows the answer given in Spanish.
        assert reader.get(f"/quizzes/{quiz.slug}/q/2/").status_code == 200
        assert reader.get(f"/quizzes/{quiz.slug}/q/1/").status_code == 200
        assert "Question 2?" in reader.get(f"/quizzes/{quiz.slug}/q/2/").text
        # The Spanish address of the English quiz moves to the Spanish version, at the same question.
        assert reader.get(f"/es/quizzes/{quiz.slug}/q/2/")["Location"] == f"/es/quizzes/{translation.slug}/q/2/"

    def test_a_translated_quiz_is_public_only_while_both_are(self, client, bilingual_quiz):
        quiz, translation = bilingual_quiz
        assert client.get(f"/es/quizzes/{translation.slug}/").status_code == 200
        editorial.unpublish(obj=translation, by=DEMO_REVIEWER)
        assert client.get(f"/es/quizzes/{translation.slug}/").status_code == 404
        assert Quiz.objects.get(pk=quiz.pk).is_published


class TestTranslationsInTheRestOfTheWritePath:
    def test_a_quiz_question_from_a_claim_never_lands_in_a_translated_quiz(self, bilingual_quiz):
        quiz, translation = bilingual_quiz
        editorial.unpublish(obj=translation, by=DEMO_REVIEWER)
        assert Quiz.objects.get(pk=translation.pk).status == Status.DRAFT
        claim = PublishedClaimFactory(article=quiz.article)
        question = editorial.question_from_claim(claim=claim, by=DEMO_AUTHOR)
        assert question.quiz.translation_of_id is None and question.quiz.pk != translation.pk

    def test_a_question_is_made_from_the_original_not_its_translation(self, original):
        translation = _spanish_claim(original)
        with pytest.raises(ValidationError, match="original fact-check"):
            editorial.question_from_claim(claim=translation, by=DEMO_AUTHOR)

    def test_renaming_a_published_translation_keeps_its_old_address(self, client, original):
        translation = _spanish_claim(original)
        old = translation.slug
        translation.slug = "el-muro-esta-terminado"
        editorial.translation_save(translation=translation, by=DEMO_REVIEWER)
        response = client.get(f"/es/claims/{old}/")
        assert response.status_code == 301 and response["Location"] == "/es/claims/el-muro-esta-terminado/"

    def test_a_translation_cannot_take_a_reserved_slug(self, original):
        translation = _spanish_claim(original, publish=False)
        translation.slug = "feed"
        with pytest.raises(ValidationError, match="reserved"):
            editorial.translation_save(translation=translation, by=DEMO_AUTHOR)


class TestWhatTheReviewFound:
    """Each a case an independent review of the first version proved wrong."""

    def test_reordered_choices_never_show_a_wrong_answer_as_right_in_the_translation(self, client, bilingual_quiz):
        quiz, translation = bilingual_quiz
        drafts = editorial.drafts_of(quiz)
        drafts[0].choices = list(reversed(drafts[0].choices))  # "Wrong" first, "Right" second
        editorial.quiz_save(quiz=quiz, questions=drafts, by=DEMO_REVIEWER)
        first = quiz.questions.order_by("position").first()
        words = dict(ChoiceTranslation.objects.filter(choice__question=first).values_list("choice__text", "text"))
        assert words == {}  # the Spanish words no longer say what these choices say: gone, not misplaced
        assert Quiz.objects.get(pk=translation.pk).needs_update

    def test_a_flagged_translation_cannot_be_published_until_updated(self, original):
        translation = _spanish_claim(original, publish=False)
        translation = editorial.submit_for_review(obj=translation, by=DEMO_AUTHOR)
        translation = editorial.approve(obj=translation, by=DEMO_REVIEWER)
        original.verdict, original.ruling = Verdict.TRUE, "True. New records."
        editorial.claim_save(
            claim=original, sources=list(original.sources.all()), by=DEMO_REVIEWER, correction_note="New records."
        )
        translation.refresh_from_db()
        assert editorial.approvers(translation) == []  # the approval was for what the translation said before
        with pytest.raises(ValidationError, match="original was changed"):
            editorial.publish(obj=translation, by=DEMO_REVIEWER)

    def test_a_correction_moves_the_translations_updated_date_and_history(self, original):
        translation = _spanish_claim(original)
        revisions = translation_revisions(translation)
        original.verdict, original.ruling = Verdict.MOSTLY_FALSE, "Mostly false. New records."
        editorial.claim_save(
            claim=original, sources=list(original.sources.all()), by=DEMO_REVIEWER, correction_note="New records."
        )
        translation.refresh_from_db()
        assert (
            translation.updated_at is not None
            and translation.updated_at == Claim.objects.get(pk=original.pk).updated_at
        )
        assert translation_revisions(translation) == revisions + 1

    def test_a_new_translation_never_takes_an_old_permalink(self, client, original):
        other = PublishedClaimFactory(slug="wall-finished-es")
        other.slug = "renamed"
        editorial.claim_save(claim=other, sources=list(other.sources.all()), by=DEMO_REVIEWER, minor_edit=True)
        translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
        assert translation.slug != "wall-finished-es"
        assert client.get("/claims/wall-finished-es/")["Location"] == "/claims/renamed/"

    def test_an_editors_preview_of_a_draft_translation_counts_nowhere(self, editor_client, bilingual_quiz):
        quiz, translation = bilingual_quiz
        editorial.unpublish(obj=translation, by=DEMO_REVIEWER)
        editor_client.post(f"/es/quizzes/{translation.slug}/start/")
        first = quiz.questions.order_by("position").first()
        editor_client.post(
            f"/es/quizzes/{translation.slug}/q/1/", {"question": first.pk, "choice": first.choices.first().pk}
        )
        assert not QuestionTally.objects.filter(question=first, answered__gt=0).exists()

    def test_an_english_article_filter_followed_into_spanish_keeps_working(self, client, original):
        _spanish_claim(original)
        response = client.get("/es/claims/", {"article": original.article.slug})
        assert response.status_code == 200 and "El muro está terminado." in response.text

    def test_translations_follow_their_article_into_its_language(self, client, original):
        translation = _spanish_claim(original)
        article = original.article
        spanish_article = editorial.translation_start(original=article, language="es", by=DEMO_AUTHOR)
        spanish_article.title, spanish_article.body = "Artículo sobre la frontera", "Primer párrafo.\n\nSegundo."
        spanish_article = _publish(editorial.translation_save(translation=spanish_article, by=DEMO_AUTHOR))
        assert Claim.objects.get(pk=translation.pk).article_id == spanish_article.pk
        filtered = client.get("/es/claims/", {"article": spanish_article.slug})
        assert filtered.status_code == 200 and "El muro está terminado." in filtered.text
        editorial.unpublish(obj=spanish_article, by=DEMO_REVIEWER)
        assert Claim.objects.get(pk=translation.pk).article_id == article.pk

    def test_a_spanish_article_page_asks_the_same_number_of_queries_whatever_it_lists(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(count: int) -> int:
            article = PublishedClaimFactory().article
            for _ in range(count):
                claim = PublishedClaimFactory(article=article)
                _spanish_claim(claim)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"/es/articles/{article.slug}/").status_code == 200
            return len(captured)

        assert queries(1) == queries(5)


def translation_revisions(claim: Claim) -> int:
    from claims.revisions import revisions_of

    return revisions_of(claim).count()
