"""Suggested fact-checks: an article's sentences ranked by how checkable they look, with the reasons shown.

Explainable rules, in English (the language of the articles imported so far; other languages get fewer
reasons, never wrong ones): a sentence scores for a figure (digits, money, a percentage, a number word), a
direct quote, an attribution ("said", "according to", "told"…), a comparison ("more than", "highest",
"increased"…), and for naming who said it. No model, nothing downloaded. Each suggestion is a slice of one
paragraph, word for word, so it is a valid evidence quote from the article (claims/editorial/quotes.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Weights: a figure is the most checkable thing a sentence can hold; the rest add up.
FIGURE, QUOTE, ATTRIBUTION, COMPARISON, CLAIMANT = 3, 2, 2, 2, 1
SHORT = 6  # words: a shorter sentence rarely says something checkable
SHORT_PENALTY = 2

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "prof", "inc", "co", "corp", "ltd",
    "vs", "etc", "no", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "lt", "col", "sgt",
}  # fmt: skip
# A sentence ends at . ! or ? (and any closing quotes or brackets), before whitespace and a capital, a digit or an
# opening quote or bracket.
_SENTENCE_END = re.compile(r"[.!?][\"”\u2019')\]]*(?=\s+[\"“\u2018'(\[]?[A-Z0-9ÁÉÍÓÚÑ])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")

_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<currency>[$€£])?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])"
    r"(?:\s(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?P<percent>\s?%|\s(?:percent|per cent)\b)?"
    r"|\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")\b"
    r"|\b(?P<vague>hundreds|thousands|millions|billions|dozens)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# "Title 42", "Route 9", "Section 230": a number that is part of a name, not a figure.
_NAMED_NUMBER = re.compile(
    r"\b(?:Title|Section|Article|Chapter|Route|Highway|Interstate|Amendment|Proposition|Prop|Flight|Room|Bill|"
    r"Resolution|Order|Rule|Phase|Stage|Level|Grade|Class|Number|No\.)\s$"
)
_UNIT_STOP = {
    "to", "in", "on", "at", "the", "a", "an", "and", "or", "of", "from", "by", "for", "with", "than", "as", "is",
    "are", "was", "were", "be", "that", "this", "who", "which", "into", "over", "under", "last", "since",
    "each", "every", "per", "before", "after", "during", "between", "said", "says",
}  # fmt: skip
_UNIT_RATE = re.compile(r"\s+(?:per|a|an|each|every)\s+[a-z]+\b")

_QUOTE = re.compile(r"[“\"][^”\"]{3,}[”\"]|[“\"][^”\"]{12,}$")
_ATTRIBUTION = re.compile(
    r"\b(according to|said|says|say|told|tells|wrote|writes|stated|states|claimed|claims|argued|argues|"
    r"announced|reported|reports|estimated|estimates|noted|added|confirmed|warned|insisted|testified)\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    r"\b(more than|less than|fewer than|at least|at most|than|highest|lowest|largest|smallest|biggest|most|least|"
    r"record|increase[sd]?|increasing|decrease[sd]?|decreasing|rose|risen|rise[sn]?|fell|fallen|drop(?:ped|s)?|"
    r"doubled?|tripled?|twice|half|up from|down from|compared|nearly|almost|just over|just under|"
    r"grew|grown|shrank|higher|lower|larger|smaller|bigger)\b",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"\b(said|says|told|tells|wrote|writes|stated|states|claimed|claims|argued|argues|announced|noted|added|"
    r"confirmed|warned|insisted|testified)\b"
)
_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<who>[^,.;:“”\"]+)", re.IGNORECASE)
_CLOSING_QUOTE = re.compile(r"[”\"]")
MAX_CLAIMANT_WORDS = 8
_NOT_CLAIMANTS = {"it", "he", "she", "they", "we", "i", "you", "this", "that", "which", "who"}


@dataclass(frozen=True)
class Figure:
    """A figure in a sentence: its exact text (as the sentence writes it), its value, and, for a number-guess
    question, the words after it that look like its unit and the span to quote for its value."""

    text: str
    value: Decimal | None  # None for "thousands", "dozens": no one value to guess
    unit: str = ""
    value_quote: str = ""  # the figure and its unit words, word for word from the sentence

    @property
    def guessable(self) -> bool:
        return self.value is not None and Decimal(0) < self.value < Decimal(10) ** 11


@dataclass
class Suggestion:
    sentence: str
    paragraph: int  # 1-based, as claims.models.Article.paragraph_containing counts
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    claimant: str = ""
    figures: list[Figure] = field(default_factory=list)


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences, each a slice of its text (verbatim, outer whitespace stripped)."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = _WORD_BEFORE.search(paragraph[: match.start()])
        word = before.group(1) if before else ""
        # "Mr. Smith", "U.S. officials", "J. Doe": an abbreviation or an initial, not the end of a sentence.
        if word.lower().rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):
            continue
        found.append(paragraph[start : match.end()].strip())
        start = match.end()
    found.append(paragraph[start:].strip())
    return [sentence for sentence in found if sentence]


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _unit_after(sentence: str, end: int) -> tuple[str, int]:
    """The words after a figure that look like its unit ("immigrants", "per day", "people a day"), and where
    they end."""
    rest = sentence[end:]
    unit, used = "", 0
    word = re.match(r"\s+([a-z][a-z-]*)\b", rest)
    if word and word.group(1) not in _UNIT_STOP:
        unit, used = word.group(1), word.end()
    rate = _UNIT_RATE.match(rest, used)
    if rate:
        unit, used = (unit + rate.group(0)).strip(), rate.end()
    return " ".join(unit.split()), end + used


def figures_in(sentence: str) -> list[Figure]:
    """The figures a sentence gives; years ("in 2019") are dates, not figures."""
    figures = []
    for match in _FIGURE.finditer(sentence):
        if match.group("vague"):
            figures.append(Figure(text=match.group(0), value=None))
            continue
        if match.group("word"):
            value: Decimal | None = Decimal(_NUMBER_WORDS[match.group("word").lower()])
        else:
            number = match.group("number")
            if _NAMED_NUMBER.search(sentence[: match.start()]):
                continue
            if _YEAR.match(number) and not (match.group("currency") or match.group("scale") or match.group("percent")):
                continue
            value = _decimal(number)
            if value is not None and match.group("scale"):
                value *= _SCALES[match.group("scale").lower()]
        if match.group("percent"):
            unit, end = "%", match.end()
        elif match.group("currency"):
            unit, end = _CURRENCIES[match.group("currency")], match.end()
        else:
            unit, end = _unit_after(sentence, match.end())
        figures.append(Figure(text=match.group(0), value=value, unit=unit, value_quote=sentence[match.start() : end]))
    return figures


def _claimant_before(sentence: str, verb: re.Match[str]) -> str:
    """Who the sentence says spoke: the words before "said" (after any closing quote), e.g. "the official",
    "A National Security Council spokesperson", or "Christopher Wilson" in "“…,” Christopher Wilson, a fellow
    at …, said"."""
    before = sentence[: verb.start()]
    quotes = list(_CLOSING_QUOTE.finditer(before))
    segment = before[quotes[-1].end() :] if quotes else before
    parts = [part.strip() for part in segment.split(",")]
    # "Symone Sanders, the vice president's spokesperson, told": the name stands before the description.
    who = parts[-1] or (parts[-3] if len(parts) >= 3 else parts[0])
    if not who:
        # "…,” said Jane Doe.": the name comes after the verb.
        after = re.match(r"\s+((?:[A-Z][\w\u2019'.-]*\s?){1,4})", sentence[verb.end() :])
        who = after.group(1).strip() if after else ""
    return who


def guess_claimant(sentence: str) -> str:
    """The attributed speaker, as the sentence names them, or "" when it names nobody."""
    according = _ACCORDING_TO.search(sentence)
    said = _SAID.search(sentence)
    who = ""
    if said:
        who = _claimant_before(sentence, said)
    if not who and according:
        who = according.group("who")
    who = " ".join(who.strip(" “”\"'\u2018\u2019[]()").split())
    words = who.split()
    if not words or len(words) > MAX_CLAIMANT_WORDS or who.lower() in _NOT_CLAIMANTS:
        return ""
    return who[0].upper() + who[1:]


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(f"“{word}”" for word in dict.fromkeys(w.lower() for w in words))


def suggestion_for(sentence: str, paragraph: int, neighbours: Sequence[str] = ()) -> Suggestion:
    """One sentence, scored, with the reasons for its score (each a whole sentence for the editor)."""
    found = Suggestion(sentence=sentence, paragraph=paragraph)
    found.figures = figures_in(sentence)
    if found.figures:
        found.score += FIGURE
        figures = _quoted([figure.text for figure in found.figures])
        found.reasons.append(_("It gives a figure: %(figures)s.") % {"figures": figures})
    quoted = bool(_QUOTE.search(sentence))
    if quoted:
        found.score += QUOTE
        found.reasons.append(_("It quotes someone directly."))
    attributions = [m.group(0) for m in _ATTRIBUTION.finditer(sentence)]
    if attributions:
        found.score += ATTRIBUTION
        found.reasons.append(_("It says who said it: %(words)s.") % {"words": _quoted(attributions)})
    comparisons = [m.group(0) for m in _COMPARISON.finditer(sentence)]
    if comparisons:
        found.score += COMPARISON
        found.reasons.append(_("It compares: %(words)s.") % {"words": _quoted(comparisons)})
    found.claimant = guess_claimant(sentence)
    if not found.claimant and quoted:
        # A quote alone in its sentence: its speaker is named next to it ("“…,” the official said. “…”").
        found.claimant = next((who for who in map(guess_claimant, neighbours) if who), "")
    if found.claimant:
        found.score += CLAIMANT
        found.reasons.append(_("It names who made the claim: %(claimant)s.") % {"claimant": found.claimant})
    if len(sentence.split()) < SHORT:
        found.score -= SHORT_PENALTY
    return found


def all_suggestions(paragraphs: Sequence[str]) -> list[Suggestion]:
    """Every sentence of the article that has at least one reason, best first (ties in the article's order)."""
    found = []
    for number, paragraph in enumerate(paragraphs, start=1):
        its_sentences = sentences(paragraph)
        for index, sentence in enumerate(its_sentences):
            neighbours = its_sentences[max(0, index - 1) : index] + its_sentences[index + 1 : index + 2]
            suggestion = suggestion_for(sentence, number, neighbours)
            if suggestion.reasons:
                found.append(suggestion)
    return sorted(found, key=lambda s: -s.score)  # sorted() is stable: ties stay in the article's order


def suggest_claims(paragraphs: Sequence[str], limit: int = 20) -> list[Suggestion]:
    """The `limit` sentences most worth a fact-check."""
    return all_suggestions(paragraphs)[:limit]
