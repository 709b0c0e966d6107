"""Every public page under /es/ reads in Spanish: a crawl of the site with the demo content, quiz included.

How the test knows a page has no English interface text. Text in an element marked with another language
(`lang="en"`: an English evidence quote, an article title that has no translation) is the content's own and
is left out; everything else on the page must be Spanish, which is checked two ways:
- no interface string of the English catalogue (each msgid whose Spanish differs) appears in it;
- none of its words is one of the commonest English words ("the", "and", "your"…), which no Spanish text
  uses, so English that never went through the catalogue is caught too.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import polib
import pytest
from django.conf import settings
from django.test import Client

from claims.demo.loader import load_demo
from claims.models import Article, Quiz, Source
from tests.helpers.shared_data import built_once

ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "with",
        "your",
        "you",
        "this",
        "that",
        "these",
        "is",
        "are",
        "was",
        "were",
        "what",
        "how",
        "from",
        "our",
        "their",
        "which",
        "when",
        "there",
        "has",
        "have",
        "been",
        "will",
        "would",
        "should",
        "could",
        "answer",
        "question",
        "right",
        "wrong",
        "read",
        "more",
        "share",
        "about",
    ]
)
VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
MAX_PAGES = 150


class _SpanishText(HTMLParser):
    """The text a reader sees or hears, outside elements marked as another language."""

    VOID = frozenset(
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, is this element or an ancestor in another language)
        self.parts: list[str] = []
        self.links: list[str] = []

    def _foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        foreign = self._foreign() or (lang is not None and not lang.startswith("es") and tag != "html")
        skip = foreign or tag in ("script", "style")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if not skip:
            self.parts.extend(values[name] or "" for name in VISIBLE_ATTRIBUTES if values.get(name))
            if tag == "meta" and values.get("name") == "description":
                self.parts.append(values.get("content") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._foreign() and data.strip():
            self.parts.append(data)


def _english_interface_strings() -> list[str]:
    catalog = polib.pofile(str(Path(settings.BASE_DIR) / "locale/es/LC_MESSAGES/django.po"))
    strings = []
    for entry in catalog.translated_entries():
        for fragment in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", entry.msgid):
            fragment = fragment.strip(" .:,;“”")
            # Long enough to be English prose, and not the same words in Spanish (e.g. a name).
            if len(fragment) >= 12 and " " in fragment and fragment not in (entry.msgstr or ""):
                strings.append(fragment)
    return strings


def english_on(page: _SpanishText, english: list[str], names: set[str]) -> list[str]:
    """The English interface strings and English words on a parsed page, outside content marked as English."""
    text = " ".join(" ".join(page.parts).split())
    found = [s for s in english if s in text]
    for name in names:  # a publication's name ("The Washington Post") is a name in any language
        text = text.replace(name, "")
    words = set(re.findall(r"[^\W\d_]+", text.lower()))  # whole words: "dieciséis" holds no "is"
    return found + [f"English word “{w}”" for w in sorted(words & ENGLISH_WORDS)]


def test_the_check_finds_english_and_spares_content_marked_as_english():
    page = _SpanishText()
    page.feed(
        '<html lang="es"><head><title>Verificación</title></head><body><h2>Fuentes</h2>'
        '<blockquote lang="en"><p>the quote, verbatim</p></blockquote>'
        "<p>Leído en The Washington Post</p><button>See this passage in the article</button>"
        '<img alt="Share your result" src="x.png"></body></html>'
    )
    found = english_on(page, ["See this passage in the article"], {"The Washington Post"})
    assert "See this passage in the article" in found
    assert {"English word “your”", "English word “share”", "English word “this”"} <= set(found)
    assert "English word “the”" in found  # from the button, not from the quote or the name
    clean = _SpanishText()
    clean.feed('<p>Leído en The Washington Post</p><blockquote lang="en">the quote</blockquote>')
    assert english_on(clean, [], {"The Washington Post"}) == []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, load_demo)


def _spanish_quiz_pages(client: Client) -> list[str]:
    """Play the Spanish demo quiz without JavaScript: every question, its feedback, and the result."""
    quiz = Quiz.objects.get(language="es")
    start = client.post(f"/es/quizzes/{quiz.slug}/start/")
    assert start.status_code == 303
    pages = [start["Location"]]
    for number, question in enumerate(quiz.original.questions.prefetch_related("choices"), start=1):
        url = f"/es/quizzes/{quiz.slug}/q/{number}/"
        if question.is_number:
            answer = {"guess": str(question.true_value + number * question.number_step)}
        else:
            answer = {"choice": question.choices.all()[number % question.choices.count()].pk}
        answered = client.post(url, {"question": question.pk, **answer})
        assert answered.status_code == 303, url
        pages.append(url)
    finished = Quiz.objects.get(pk=quiz.original.pk).attempts.get().get_absolute_url()
    pages.append(f"/es/quizzes/{quiz.slug}/results/{finished.rstrip('/').rsplit('/', 1)[-1]}/")
    return pages


@pytest.mark.django_db
def test_no_english_interface_text_on_any_spanish_page(demo):
    client = Client()
    english = _english_interface_strings()
    assert len(english) > 100  # the catalogue was read
    names = set(Source.objects.values_list("publisher", flat=True)) | set(
        Article.objects.values_list("publisher", flat=True)
    )
    queue, seen, problems = deque(["/es/", *_spanish_quiz_pages(client)]), set(), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            queue.append(response["Location"])
            continue
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = _SpanishText()
        parser.feed(response.text)
        problems += [(path, problem) for problem in english_on(parser, english, names)]
        for href in parser.links:
            href = urldefrag(href)[0]
            if href.startswith("/es/") and not href.endswith((".png", "/feed/")) and href not in seen:
                queue.append(href)
    assert len(seen) > 30, sorted(seen)  # the crawl reached the permalinks, the quiz and the lists
    assert not problems, problems[:20]
