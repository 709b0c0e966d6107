"""Translations: start one from its original, save its words, and keep what it shares with the original in step.

A translation is an article, claim or quiz of its own (claims/models/translations.py) that goes through
review like any other. What it shares with its original (a claim's verdict and sources, a quiz's
questions and right answers, the figures) is never taken from what an editor posts: the write path
copies it from the original here, and flags the translation when the original is corrected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from claims.editorial import rules
from claims.editorial.actors import Actor
from claims.editorial.base import (
    Problem,
    Reviewable,
    editorial_action,
    keep_lifecycle,
    locked,
    record_event,
    refuse,
)
from claims.editorial.permalinks import keep_old_permalink
from claims.editorial.review import void_approvals
from claims.models import (
    Article,
    ChoiceTranslation,
    Claim,
    ClaimSlugRedirect,
    QuestionTranslation,
    Quiz,
    QuoteTranslation,
    ReviewAction,
    Status,
)
from claims.revisions import record_revision

# A translation's own words, copied from the original when it is started, for the translator to replace.
OWN_WORDS: dict[type, tuple[str, ...]] = {
    Article: ("title", "standfirst", "byline", "body"),
    Claim: ("statement", "claimant", "claimant_description", "said_where", "ruling", "explanation"),
    Quiz: ("title", "intro"),
}
# What a translation shares with its original, copied on every save of either.
SHARED: dict[type, tuple[str, ...]] = {
    Article: ("publisher", "url", "published_on", "picture"),
    # updated_at: when readers were told of a change, which for a correction is the translation's too.
    Claim: ("verdict", "claimant_is_organization", "said_on", "updated_at", "picture"),
    Quiz: (),
}
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def version_of[M: Reviewable](original: M, language: str) -> M | None:
    """`original` itself if written in `language`, else its translation into `language`, if any (any status)."""
    if original.language == language:
        return original
    return cast(M | None, type(original).objects.filter(translation_of_id=original.pk, language=language).first())


def _article_in(article: Article | None, language: str) -> Article | None:
    """The article a translation points at: the article's own translation into `language` if there is one."""
    if article is None:
        return None
    original = article.original
    version = version_of(original, language)
    return version if version is not None and version.is_published else original


def sync_shared(translation: Reviewable) -> None:
    """Copy onto `translation` (not saved) what it shares with its original."""
    original = translation.translation_of
    assert original is not None
    for name in SHARED[type(translation)]:
        setattr(translation, name, getattr(original, name))
    if isinstance(translation, Claim | Quiz):
        translation.article = _article_in(cast(Claim | Quiz, original).article, translation.language)


def _free_slug(model: type[Any], base: str) -> str:
    max_length = model._meta.get_field("slug").max_length or 100
    slug, number = base[:max_length], 2

    def taken(slug: str) -> bool:
        # A fact-check's old address still redirects to it: a new one must not take it over.
        old = model is Claim and ClaimSlugRedirect.objects.filter(old_slug=slug).exists()
        return old or model.objects.filter(slug=slug).exists()

    while taken(slug):
        suffix = f"-{number}"
        slug, number = base[: max_length - len(suffix)] + suffix, number + 1
    return slug


def start_problems(original: Reviewable, language: str) -> list[Problem]:
    if language not in LANGUAGE_NAMES:
        return [Problem("language", _("Choose one of the site's languages."), "unknown_language")]
    if original.translation_of_id is not None:
        return [Problem(None, _("Translate the original, not a translation of it."), "translation_of_translation")]
    if original.language == language:
        return [Problem("language", _("It is already written in that language."), "same_language")]
    if type(original).objects.filter(translation_of=original, language=language).exists():
        return [
            Problem(
                "language",
                _("It already has a translation into %(language)s: edit that one.")
                % {"language": LANGUAGE_NAMES[language]},
                "translation_exists",
            )
        ]
    return []


@editorial_action
def translation_start[M: Reviewable](*, original: M, language: str, by: Actor) -> M:
    """A draft translation of `original` into `language`, its words copied from the original for the translator
    to replace (readiness refuses words left untranslated), and what it shares copied as on every save."""
    rules.require_may_edit(by, original, creating=True, status=Status.DRAFT)
    # Two "Translate" clicks at once: the second waits for the first and is then told a translation exists,
    # instead of colliding with it on the slug or the one-per-language constraint.
    original = locked(original)
    refuse(start_problems(original, language))
    model = type(original)
    translation = model(language=language, translation_of=original)
    for name in OWN_WORDS[model]:
        setattr(translation, name, getattr(original, name))
    translation.slug = _free_slug(model, slugify(f"{original.slug}-{language}"))
    sync_shared(translation)
    keep_lifecycle(translation, None, by)
    translation.full_clean()
    translation.save()
    if isinstance(original, Claim):
        QuoteTranslation.objects.bulk_create(
            QuoteTranslation(claim_id=translation.pk, source=s, text="") for s in original.sources.all()
        )
    if isinstance(original, Quiz):
        for question in original.questions.prefetch_related("choices"):
            QuestionTranslation.objects.create(
                quiz_id=translation.pk,
                question=question,
                prompt=question.prompt,
                explanation=question.explanation,
                unit=question.number_unit,
            )
            ChoiceTranslation.objects.bulk_create(
                ChoiceTranslation(quiz_id=translation.pk, choice=c, text=c.text) for c in question.choices.all()
            )
    record_revision(
        translation,
        by=by,
        comment=_("Translation into %(language)s started") % {"language": LANGUAGE_NAMES[language]},
    )
    return translation


@editorial_action
def translation_save[M: Reviewable](
    *,
    translation: M,
    by: Actor,
    quotes: Mapping[int, str] | None = None,
    prompts: Mapping[int, tuple[str, str]] | None = None,
    choices: Mapping[int, str] | None = None,
    units: Mapping[int, str] | None = None,
    comment: str = "",
) -> M:
    """Save a translation's own words: its fields, and our translations of its original's evidence quotes
    (`quotes`, by source id), a quiz's prompts and explanations (`prompts`, by the original's question id)
    and choices (`choices`, by the original's choice id), and number guesses' units (`units`, by question id).
    Saving it clears its "needs an update" flag."""
    if translation.translation_of_id is None:
        raise ValueError("translation_save() saves translations; the original goes through its own action.")
    previous = locked(translation)
    refuse(
        translation_problems(
            translation=translation,
            by=by,
            previous=previous,
            quotes=quotes,
            prompts=prompts,
            choices=choices,
        )
    )
    if units and not (
        isinstance(original := translation.translation_of, Quiz)
        and set(units) <= set(original.questions.values_list("pk", flat=True))
    ):
        refuse([Problem(None, _("Translate only this quiz's own questions."), "foreign_question")])
    keep_lifecycle(translation, previous, by)
    translation.language, translation.translation_of_id = previous.language, previous.translation_of_id
    sync_shared(translation)
    translation.needs_update = False
    translation.full_clean()
    translation.save()
    _save_texts(translation, quotes or {}, prompts or {}, choices or {})
    for question_id, unit in (units or {}).items():
        QuestionTranslation.objects.filter(quiz_id=translation.pk, question_id=question_id).update(unit=unit.strip())
    revision = record_revision(translation, by=by, comment=comment or _("Edited"))
    if revision is not None and isinstance(translation, Claim) and previous.slug != translation.slug:
        keep_old_permalink(translation, cast(Claim, previous))
    if revision is not None and previous.status == Status.IN_REVIEW:
        void_approvals(translation, by)
    elif revision is not None and previous.status == Status.PUBLISHED:
        record_event(translation, ReviewAction.EDITED, by, _("Edited while published."))
    return translation


def translation_problems(
    *,
    translation: Reviewable,
    by: Actor,
    previous: Reviewable,
    quotes: Mapping[int, str] | None = None,
    prompts: Mapping[int, tuple[str, str]] | None = None,
    choices: Mapping[int, str] | None = None,
) -> list[Problem]:
    """Why saving `translation` (as `previous`, stored) with these texts would be refused; permission problems
    raise PermissionDenied. The admin's form shows the same problems at its fields before saving."""
    rules.require_may_edit(by, translation, creating=False, status=previous.status)
    problems = _text_problems(translation, quotes or {}, prompts or {}, choices or {})
    if isinstance(translation, Claim):
        problems += rules.claim_length_problems(translation) + rules.claim_slug_problems(translation)
    if previous.status == Status.PUBLISHED:
        # Readers see it now: it must stay ready after the edit.
        problems += rules.translation_readiness(translation, quotes=quotes, prompts=prompts, choices=choices)
    return problems


def _text_problems(
    translation: Reviewable,
    quotes: Mapping[int, str],
    prompts: Mapping[int, tuple[str, str]],
    choices: Mapping[int, str],
) -> list[Problem]:
    """Texts only for what the original has: another claim's source or quiz's question is refused."""
    original = translation.translation_of
    problems = []
    if quotes and not (
        isinstance(original, Claim) and set(quotes) <= set(original.sources.values_list("pk", flat=True))
    ):
        problems.append(Problem(None, _("Translate only this fact-check's own quotes."), "foreign_quote"))
    if prompts or choices:
        if not isinstance(original, Quiz):
            problems.append(Problem(None, _("Only a quiz has questions to translate."), "not_a_quiz"))
        else:
            question_ids = set(original.questions.values_list("pk", flat=True))
            choice_ids = set(original.questions.values_list("choices__pk", flat=True))
            if not set(prompts) <= question_ids or not set(choices) <= choice_ids:
                problems.append(Problem(None, _("Translate only this quiz's own questions."), "foreign_question"))
    return problems


def _save_texts(
    translation: Reviewable,
    quotes: Mapping[int, str],
    prompts: Mapping[int, tuple[str, str]],
    choices: Mapping[int, str],
) -> None:
    for source_id, text in quotes.items():
        QuoteTranslation.objects.update_or_create(
            claim_id=translation.pk, source_id=source_id, defaults={"text": text.strip()}
        )
    for question_id, (prompt, explanation) in prompts.items():
        QuestionTranslation.objects.update_or_create(
            quiz_id=translation.pk,
            question_id=question_id,
            defaults={"prompt": prompt.strip(), "explanation": explanation.strip()},
        )
    for choice_id, text in choices.items():
        ChoiceTranslation.objects.update_or_create(
            quiz_id=translation.pk, choice_id=choice_id, defaults={"text": text.strip()}
        )


def follow_original(original: Reviewable, by: Actor, *, flag: bool, note: str = "") -> None:
    """After `original` is saved: its translations take what they share; with `flag` (a correction or any
    change readers were told of) each is marked as needing an update, and its editors are told why."""
    for translation in type(original).objects.filter(translation_of=original):
        sync_shared(translation)
        fields = [*SHARED[type(original)], "article"] if not isinstance(original, Article) else [*SHARED[Article]]
        if flag:
            translation.needs_update = True
            fields.append("needs_update")
        translation.save(update_fields=fields)
        # What readers of the translation see changed with its original: its history says so.
        record_revision(translation, by=by, comment=_("Followed its original"))
        if flag:
            record_event(
                translation,
                ReviewAction.FLAGGED,
                by,
                note or _("Its original was changed: bring the translation up to date."),
            )
            if translation.status == Status.IN_REVIEW:
                void_approvals(translation, by)


def follow_article(article: Article, by: Actor) -> None:
    """After an article's translation is published or unpublished: the translations of the fact-checks and
    quizzes drawn from its original point at the article their readers can now read in their language."""
    original = article.original
    for model in (Claim, Quiz):
        for translation in model.objects.filter(translation_of__article=original, language=article.language):
            sync_shared(translation)
            translation.save(update_fields=["article"])
            record_revision(translation, by=by, comment=_("Followed its article"))
