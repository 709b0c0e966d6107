"""Words and their stems: what the search, its highlighting and the grouping of readers' tips agree on.

PostgreSQL stems with the Snowball stemmers of its 'english' and 'spanish' configurations; these are the
same algorithms in Python, so SQLite's index and the highlighting find what PostgreSQL finds.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

# Words as both databases' tokenizers see them: letters and digits, apostrophes inside a word dropped.
WORD = re.compile(r"\w+(?:['’]\w+)*")
STEMMERS = {"en": "english", "es": "spanish"}

# The words too common to tell one statement from another (PostgreSQL's own lists for each configuration
# are longer; these are the ones that matter for short statements).
STOPWORDS = {
    "en": frozenset(
        "a an and are as at be been but by for from had has have he her his i in is it its of on or our she "
        "that the their them they this to was we were which who will with would you".split()
    ),
    "es": frozenset(
        "a al con de del el ella ellas ellos en era es esta este fue ha han la las le les lo los más mas no "
        "nos o para pero por que se sin su sus un una uno y ya".split()
    ),
}


def fold(word: str) -> str:
    """Lower case without accents: "Deportación" and "deportacion" are the same word to a reader typing."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return [match.group().replace("’", "'").replace("'", "") for match in WORD.finditer(text)]


@functools.cache
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(STEMMERS.get(language, "english"))


@functools.lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    """The folded stem of one word in `language` ("apprehensions" → "apprehens", "deportaciones" → "deport")."""
    return fold(_stemmer(language).stemWord(word.lower()))


def stems(text: str, language: str) -> list[str]:
    """The stems of the words of `text` that are not stopwords, in order."""
    stop = STOPWORDS.get(language, STOPWORDS["en"])
    return [stem(word, language) for word in words(text) if word.lower() not in stop]


def resemblance(a: str, b: str, language: str) -> float:
    """How alike two statements are, from 0 to 1: the share of their distinct stems they have in common
    (Jaccard). Readers' tips saying the same thing in other words score high; unrelated ones near 0."""
    first, second = set(stems(a, language)), set(stems(b, language))
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
