"""Reading a revealed quiz step's HTML: which choice the reader picked and which is right, as the page marks them."""

from __future__ import annotations

import re
from html import unescape

_ITEM = re.compile(r'<li class="quiz-choice quiz-choice--revealed([^"]*)"[^>]*>(.*?)</li>', re.S)
_TEXT = re.compile(r'<span class="quiz-choice__text"[^>]*>(.*?)</span>', re.S)


def revealed(html: str) -> dict[str, str]:
    """{"yours": text, "right": text} of the revealed choices marked so (in words and by class)."""
    marked: dict[str, str] = {}
    for classes, body in _ITEM.findall(html):
        text = unescape(_TEXT.search(body)[1].strip())
        if "quiz-choice--yours" in classes:
            assert "Your answer" in body, "the reader's choice is marked in words"
            marked["yours"] = text
        if "quiz-choice--right" in classes:
            assert "Right answer" in body, "the right choice is marked in words"
            marked["right"] = text
    return marked
