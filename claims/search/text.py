"""Words and their stems: what the search, its highlighting and the grouping of readers' tips agree on.

PostgreSQL indexes a fact-check with its language's text search configuration (migration 0010: accents
removed, then the Snowball stemmer and stopword list of 'english' or 'spanish'). This module does the same
in Python with the same stemmers and the same stopword files, so that SQLite's FTS5 index, the queries
sent to either database, and the highlighting all agree on what a word is.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import snowballstemmer

# Words as both databases' parsers see them: runs of letters and digits.
WORD = re.compile(r"\w+", re.UNICODE)
CONFIGURATIONS = {"en": "english", "es": "spanish"}
LANGUAGES = tuple(CONFIGURATIONS)


def _stopwords(configuration: str) -> frozenset[str]:
    # PostgreSQL's own lists (tsearch_data/<configuration>.stop), compared, as PostgreSQL does once accents
    # are removed, with the unaccented word: "más" is not a stopword to either of them.
    path = Path(__file__).with_name("stopwords") / f"{configuration}.stop"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


STOPWORDS = {language: _stopwords(configuration) for language, configuration in CONFIGURATIONS.items()}


def fold(word: str) -> str:
    """Lower case without accents: "Deportación" and "deportacion" are the same word to a reader typing."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of `text` as written, in order ("U.S." gives "U" and "S", as PostgreSQL's parser does)."""
    return WORD.findall(text)


@functools.cache
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(CONFIGURATIONS.get(language, "english"))


@functools.lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """The stem of one word in `language`, or "" for a stopword ("apprehensions" → "apprehens",
    "Deportaciones" → "deport", "the" → "")."""
    folded = fold(word)
    if folded in STOPWORDS.get(language, STOPWORDS["en"]):
        return ""
    return _stemmer(language).stemWord(folded)


def stems(text: str, language: str) -> list[str]:
    """The stems of the words of `text` that are not stopwords, in order."""
    return [found for found in (stem(word, language) for word in words(text)) if found]


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
