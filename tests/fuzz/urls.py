"""Every URL pattern of the site, filled in with real objects' slugs and ids or with junk.

`patterns()` walks the resolver (the admin included); `real_path()` fills a
pattern's parameters from a Site (one published quiz, its claims, article and a
finished attempt), `junk_paths()` with values no object has. A new kind of path
parameter makes `real_path()` raise: teach `_real_value` its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

# Django's <converter:name> syntax, and a named group of a regex pattern.
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")

# Values no object has, per converter ("regex" for a regex pattern's group); the 10,000 characters make a
# 10,000-character path segment.
JUNK = {
    "slug": ["no-such-thing", "-", "a" * 10_000],
    "int": ["0", "99999999999999999999", "9" * 5_000],
    "path": ["0", "99999999999999999999", "no-such-id", "1/2", "%00"],
    "str": ["0", "no-such-id", "%C3%A9"],
    "regex": ["no-such-thing", "", "%FF"],
}


@dataclass(frozen=True)
class Pattern:
    pieces: tuple[tuple[str, bool], ...]  # (pattern text, is a regex) from the root URLconf down
    name: str | None
    callback: Callable

    @property
    def route(self) -> str:
        return "".join(text for text, _ in self.pieces)

    @property
    def has_parameters(self) -> bool:
        return any(GROUP.search(text) if regex else PARAMETER.search(text) for text, regex in self.pieces)

    def fill(self, value: Callable[[str, str, str], str]) -> str:
        """The path with each parameter replaced by value(path so far, converter, name)."""
        path = ""
        for text, regex in self.pieces:
            if regex:
                text = GROUP.sub(lambda m, p=path, t=text: value(p + t[: m.start()], "regex", m["name"]), text)
                text = text.removeprefix("^").removesuffix("$")
            else:
                text = PARAMETER.sub(
                    lambda m, p=path, t=text: value(p + t[: m.start()], m["converter"] or "str", m["name"]), text
                )
            path += text
        return "/" + path


def patterns(url_patterns=None, pieces: tuple[tuple[str, bool], ...] = ()) -> Iterator[Pattern]:
    for entry in get_resolver().url_patterns if url_patterns is None else url_patterns:
        piece = (str(entry.pattern), isinstance(entry.pattern, RegexPattern))
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, (*pieces, piece))
        else:
            yield Pattern((*pieces, piece), entry.name, entry.callback)


def _real_value(site: SimpleNamespace, before: str, converter: str, name: str) -> str:
    segments = before.strip("/").split("/")
    if name == "slug":
        # The first of these in the path: the pages', and those under api/ or embed/, take the same slugs.
        slugs = {"claims": site.claim.slug, "articles": site.article.slug, "quizzes": site.quiz.slug}
        return next(slugs[segment] for segment in segments if segment in slugs)
    if name == "token":
        return site.attempt.token
    if name == "number":
        return "1"
    if name == "code":  # the language switcher: language/<code>/
        return "es"
    if name == "app_label":
        return "claims"
    if name == "url":  # the admin's catch-all
        return "no-such-page/"
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(site.claim).pk)
    if name in {"object_id", "id"} and segments[0] == "admin":
        if segments[1] == "r":  # view on site: admin/r/<content_type_id>/<object_id>/
            return str(site.claim.pk)
        model = apps.get_model(segments[1], segments[2])
        first = model._default_manager.order_by("pk").first()
        return str(first.pk) if first else "1"
    raise LookupError(f"No real value for <{converter}:{name}> after {before!r}: add one in tests/fuzz/urls.py")


def real_path(pattern: Pattern, site: SimpleNamespace) -> str:
    return pattern.fill(lambda before, converter, name: _real_value(site, before, converter, name))


def junk_paths(pattern: Pattern) -> list[str]:
    """The pattern filled with each junk value of its parameters' converters (none if it has no parameter)."""
    if not pattern.has_parameters:
        return []
    count = max(len(values) for values in JUNK.values())
    return sorted(
        {
            pattern.fill(lambda before, converter, name, i=i: (v := JUNK.get(converter, JUNK["str"]))[i % len(v)])
            for i in range(count)
        }
    )
