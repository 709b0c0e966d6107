"""Every user-facing string in templates/ and in the public site's JavaScript goes through translation.

Templates: text outside `{% translate %}`/`{% blocktranslate %}` is what a reader would see untranslated,
so the scan removes those tags, every other tag, variable and comment, and reports any text node or
user-facing attribute (alt, title, aria-label, placeholder, a button's value, a literal meta description,
the data-* attributes our scripts read text from) that still holds a letter.

JavaScript: site.js and quiz.js show only text the page gives them (data-* attributes, rendered
translated); admin-choices.js passes every string through the admin's JavaScript catalog (gettext).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
JS = Path(settings.BASE_DIR) / "static" / "js"

# Translation tags, whatever text they hold; then any other tag, variable or comment.
TRANSLATED = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}|{%\s*trans(?:late)?\s.*?%}", re.DOTALL
)
TEMPLATE_SYNTAX = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{{.*?}}|{%.*?%}", re.DOTALL)
LETTER = re.compile(r"[^\W\d_]")

USER_FACING_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder", "data-announce"}
# <meta name|property=…> whose content is read by people (search results, link previews).
READABLE_META = {
    "description",
    "og:title",
    "og:description",
    "og:image:alt",
    "og:site_name",
    "twitter:title",
    "twitter:description",
    "twitter:image:alt",
}


def _blank(match: re.Match[str]) -> str:
    """A removed span leaves its line breaks, so that what follows keeps its line number."""
    return "\n" * match.group().count("\n")


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._in_code = 0

    def _check(self, text: str | None) -> None:
        if text and LETTER.search(text):
            self.found.append((self.getpos()[0], " ".join(text.split())))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            # data-*-text: the strings site.js shows (see static/js/site.js).
            if name in USER_FACING_ATTRIBUTES or (name.startswith("data-") and name.endswith("-text")):
                self._check(value)
        if tag == "meta" and (values.get("name") in READABLE_META or values.get("property") in READABLE_META):
            self._check(values.get("content"))
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self._check(values.get("value"))
        if tag in {"script", "style"}:
            self._in_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._in_code:
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_code:
            self._check(data)


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of each piece of user-facing text in a template that no translation tag holds."""
    html = TEMPLATE_SYNTAX.sub(_blank, TRANSLATED.sub(_blank, source))
    finder = _TextFinder()
    finder.feed(html)
    finder.close()
    return finder.found


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_translate_every_user_facing_string(template):
    found = untranslated_text(template.read_text())
    assert not found, "\n".join(f"{template.relative_to(settings.BASE_DIR)}:{line}: {text}" for line, text in found)


def test_the_template_scan_reports_untranslated_text():
    source = """{% load i18n %}<!doctype html>
<html lang="{{ LANGUAGE_CODE }}">
<head>
  <title>{% translate "Fact-checks" %} · {{ SITE_NAME }}</title>
  <meta name="description" content="What was said">
  <meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
  {# A comment is not shown. #}
  <!-- Nor is an HTML comment. -->
  <p>{% blocktranslate trimmed with name=claim.claimant %}
    Said by {{ name }}
  {% endblocktranslate %}</p>
  <p>{% if claim.author %}Written by {{ claim.author }}{% endif %}</p>
  <img src="x.png" alt="A chart">
  <button type="button" aria-label="{% translate 'Close' %}">&times;</button>
  <input type="submit" value="Send">
  <div data-copied-text="Copied" data-hx-target="#results"></div>
  <script type="application/ld+json">{"name": "not shown"}</script>
</body>
</html>
"""
    assert untranslated_text(source) == [
        (5, "What was said"),
        (14, "Written by"),
        (15, "A chart"),
        (17, "Send"),
        (18, "Copied"),
    ]


# A string literal, "…" '…' or `…` (prose_literals reads the code in a template literal's ${…} as code).
JS_STRING = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)""")
JS_COMMENT = re.compile(r"""//[^\n]*|/\*.*?\*/""", re.DOTALL)
# Prose: two words in a row ("Link copied."), or one capitalised word alone ("Copied", "Share…"). Not prose:
# class lists ("button choice-rows__add"), selectors ("h1, h2"), event names ("htmx:afterSettle").
WORD = re.compile(r"(?:[^\W\d_]+|%\(\w+\)[sd])[.,:;!?…]?")  # a placeholder, "%(count)s", counts as a word
ONE_WORD = re.compile(r"[A-Z][a-z]+[.!?…:]?")
NOT_TEXT = {"use strict"}  # the directive
# A translated literal in admin-choices.js: an argument of the catalog's gettext, ngettext or pgettext.
GETTEXT_CALL = re.compile(
    rf"""\b(?:gettext|ngettext|pgettext|npgettext)\(\s*(?:{JS_STRING.pattern}\s*,\s*)*{JS_STRING.pattern}"""
)


def _js_code(source: str) -> str:
    """`source` without its comments (strings are kept whole, so "//" inside one is not a comment)."""

    def keep_strings(match: re.Match[str]) -> str:
        return match.group() if match.group()[0] in "\"'`" else _blank(match)

    return re.sub(rf"{JS_STRING.pattern}|{JS_COMMENT.pattern}", keep_strings, source, flags=re.DOTALL)


def _reads_as_text(text: str) -> bool:
    """Whether a literal's text is prose (see WORD and ONE_WORD)."""
    words = text.split()
    is_word = [WORD.fullmatch(word) is not None for word in words]
    two_in_a_row = any(a and b for a, b in pairwise(is_word))
    one_word = len(words) == 1 and ONE_WORD.fullmatch(words[0]) is not None
    return " ".join(words) not in NOT_TEXT and (two_in_a_row or one_word)


def _substitutions(body: str) -> list[tuple[int, int]]:
    """(start, end) of each `${…}` in a template literal's body, braces inside it counted."""
    spans, at = [], body.find("${")
    while at != -1:
        depth, end = 0, at + 1
        for end in range(at + 1, len(body)):
            depth += {"{": 1, "}": -1}.get(body[end], 0)
            if depth == 0:
                break
        spans.append((at, end + 1))
        at = body.find("${", end + 1)
    return spans


def prose_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) of each string literal in JavaScript `source` that reads like text for people,
    including those in the code of a template literal's `${…}`."""
    code = _js_code(source)
    found = []
    for match in JS_STRING.finditer(code):
        line = code.count("\n", 0, match.start()) + 1
        literal, text = match.group(), match.group()[1:-1]
        if literal[0] == "`":
            for start, end in reversed(_substitutions(text)):
                inner = prose_literals(text[start + 2 : end - 1])
                found += [(line + text.count("\n", 0, start) + at - 1, nested) for at, nested in inner]
                text = f"{text[:start]} {text[end:]}"
        if _reads_as_text(text):
            found.append((line, literal))
    return sorted(found, key=lambda item: item[0])


@pytest.mark.parametrize("name", ["site.js", "quiz.js"])
def test_public_scripts_take_their_text_from_the_page(name):
    found = prose_literals((JS / name).read_text())
    assert not found, "\n".join(f"static/js/{name}:{line}: {literal}" for line, literal in found)


def test_the_admin_script_translates_its_text_with_the_javascript_catalog():
    source = (JS / "admin-choices.js").read_text()
    found = prose_literals(GETTEXT_CALL.sub(_blank, _js_code(source)))
    assert not found, "\n".join(f"static/js/admin-choices.js:{line}: {literal}" for line, literal in found)
    # The catalog's own functions: makemessages -d djangojs finds gettext(…), not a helper of ours.
    assert GETTEXT_CALL.search(source)
    assert not re.search(r"\bt\(", source)


def test_the_script_scan_reports_text_literals():
    source = """"use strict";
// "A comment" is not text.
document.querySelector("h1, h2").focus();
node.className = "button choice-rows__add";
say("Link copied.");
button.textContent = 'Share';
status.textContent = `Choice ${number} removed.`;
url = "https://example.com/"; // "Another comment"
say(gettext("Choice added."));
say(ngettext("One choice", "%(count)s choices", count));
hidden.textContent = ` ${format(t("choice %(number)s"), { number: 3 })}`;
"""
    assert prose_literals(source) == [
        (5, '"Link copied."'),
        (6, "'Share'"),
        (7, "`Choice ${number} removed.`"),
        (9, '"Choice added."'),
        (10, '"One choice"'),
        (10, '"%(count)s choices"'),
        (11, '"choice %(number)s"'),
    ]
    assert [line for line, _literal in prose_literals(GETTEXT_CALL.sub(_blank, source))] == [5, 6, 7, 11]


def test_no_one_line_comment_spans_lines():
    """Django's {# … #} ends on its line: one that goes on to the next is not a comment, and readers see its
    text (it once showed inside the admin's list of links). Longer notes use {% comment %}."""
    spanning = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"{#(?!.*#})", line)
    ]
    assert not spanning, spanning
