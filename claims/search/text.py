"""Words and their stems: what the search, its highlighting and the grouping of readers' tips agree on.

Both databases index the stems made here, in Python, with the Snowball stemmers of English and Spanish
(the `snowballstemmer` package) and PostgreSQL's own stopword lists: PostgreSQL stores them in a tsvector
(its 'simple' configuration: no second stemming), SQLite in FTS5. One tokenizer, one accent rule and one
stemmer for both, so that a query finds the same fact-checks on either (PostgreSQL's own parser and
Snowball version differ: "COVID-19", "U.S.", "organization" and "Łukaszenko" came out differently).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import snowballstemmer

# A word: letters and digits (not the underscore, which \w includes). "COVID-19" is "COVID" and "19", "U.S."
# is "U" and "S", "3.5" is "3" and "5", "@joe_biden" is "joe" and "biden".
WORD = re.compile(r"[^\W_]+")
CONFIGURATIONS = {"en": "english", "es": "spanish"}
LANGUAGES = tuple(CONFIGURATIONS)
# Letters that Unicode does not decompose but a reader types without their mark ("Łukaszenko" as "lukaszenko").
UNMARKED = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "\u0131": "i", "ŀ": "l", "ŧ": "t", "ð": "d"})


def _stopwords(configuration: str) -> frozenset[str]:
    # PostgreSQL's lists (tsearch_data/<configuration>.stop), folded as every word is.
    path = Path(__file__).with_name("stopwords") / f"{configuration}.stop"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(piece for line in lines for piece in WORD.findall(fold(line.strip())))


def fold(text: str) -> str:
    """Lower case without accents or compatibility forms: "Deportación" → "deportacion", "ﬁn" → "fin"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(UNMARKED)


STOPWORDS = {language: _stopwords(configuration) for language, configuration in CONFIGURATIONS.items()}


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` as written (accents composed first, so "Me\u0301xico" is one word)."""
    return WORD.finditer(unicodedata.normalize("NFC", text))


def pieces(word: str) -> list[str]:
    """The folded word, split again where folding made a separator ("⑴" → "1"; "ﾞ" → nothing)."""
    return WORD.findall(fold(word))


def is_stopword(piece: str, language: str) -> bool:
    return piece in STOPWORDS.get(language, STOPWORDS["en"])


@functools.cache
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(CONFIGURATIONS.get(language, "english"))


@functools.lru_cache(maxsize=100_000)
def stem(piece: str, language: str) -> str:
    """The stem of one folded piece in `language`, or "" for a stopword ("apprehensions" → "apprehens",
    "deportaciones" → "deport", "the" → "")."""
    if is_stopword(piece, language):
        return ""
    stemmed = _stemmer(language).stemWord(piece)
    return stemmed if WORD.fullmatch(stemmed) else piece


def word_stems(word: str, language: str) -> list[str]:
    """The stems of one word as written (usually one; none for a stopword)."""
    return [found for found in (stem(piece, language) for piece in pieces(word)) if found]


def stems(text: str, language: str) -> list[str]:
    """The stems of the words of `text` that are not stopwords, in order."""
    return [found for match in words(text) for found in word_stems(match.group(), language)]


def resemblance(a: str, b: str, language: str) -> float:
    """How alike two statements are, from 0 to 1: the share of their distinct stems they have in common
    (Jaccard). Readers' tips saying the same thing in other words score high; unrelated ones near 0."""
    first, second = set(stems(a, language)), set(stems(b, language))
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (a swap of two neighbours counts once), or limit + 1 if it is larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1
