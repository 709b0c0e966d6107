"""Which version of an article, claim or quiz a reader sees in their language, and its other languages' addresses.

Each version has its own slug. A page asked for in one language at another version's address moves to
the version in the page's language when one is published (/es/claims/<english-slug>/ → the Spanish
version's address); where none is, the reader sees the original, marked with its language, under the
interface of the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.conf import settings
from django.utils import translation

from claims.models import Article, Claim, Quiz
from factcheck.languages import path_in

# Open Graph's locale for each language: Spanish for Latin America, as our Spanish is written.
OG_LOCALES = {"en": "en_US", "es": "es_LA"}


def published_versions[V: (Article | Claim | Quiz)](obj: V) -> list[V]:
    """The original of `obj` and its published translations, the original first (one query, two if a translation)."""
    original = obj.original
    model = cast(type[Article], type(obj))  # any of the three: they share the queryset and the fields
    translations = model.objects.published().filter(translation_of_id=original.pk).order_by("language")
    return cast(list[V], [v for v in (original, *translations) if v.is_published])


def version_for_reader[V: (Article | Claim | Quiz)](obj: V, language: str) -> V | None:
    """The published version of `obj` written in `language`, if there is one."""
    if obj.language == language:
        return obj
    return next((v for v in published_versions(obj) if v.language == language), None)


def for_readers_of[V: (Article | Claim | Quiz)](objs: Sequence[V], language: str) -> list[V]:
    """Each of `objs` as a reader of `language` reads it: its published version in that language, else itself.
    One query for the lot (a page listing fact-checks must not ask once per item)."""
    others = [obj for obj in objs if obj.language != language]
    if not others:
        return list(objs)
    model = cast(type[Article], type(others[0]))
    wanted = {obj.translation_of_id or obj.pk for obj in others}
    published = model.objects.published().filter(language=language)
    found = {v.translation_of_id: v for v in published.filter(translation_of_id__in=wanted)}
    found |= {v.pk: v for v in published.filter(pk__in=wanted)} if any(o.translation_of_id for o in others) else {}
    versions = [obj if obj.language == language else found.get(obj.translation_of_id or obj.pk, obj) for obj in objs]
    return cast(list[V], versions)


def url_in_own_language(obj: Article | Claim | Quiz) -> str:
    """The address of `obj` under its own language's prefix."""
    with translation.override(obj.language):
        return obj.get_absolute_url()


def alternates(obj: Article | Claim | Quiz) -> list[tuple[str, str]]:
    """(language, path) of each published version of `obj`, the original first: hreflang and the switcher."""
    return [(v.language, url_in_own_language(v)) for v in published_versions(obj)]


def page_alternates(path: str) -> list[tuple[str, str]]:
    """(language, path) of a page that exists in every language (the home page, the index...)."""
    return [(code, path_in(code, path)) for code, _name in settings.LANGUAGES]
