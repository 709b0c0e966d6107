"""The one quote-matching rule (claims/editorial/quotes.py), on its own, in the editorial rules, and on the pages.

A quote matches when it is the article's text word for word; only whitespace runs and typographic versus
straight quotation marks and apostrophes may differ, and it must lie within one paragraph.
"""

# This file is about typographic quotation marks and dashes: they are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import re

import pytest

from claims.editorial import rules
from claims.editorial.quotes import find_quote, normalize, span_in
from claims.models import Claim, Source
from claims.verdicts import Verdict
from tests.factories import ArticleFactory, PublishedClaimFactory

NBSP = "\u00a0"

# The article's own text, as a news site prints it: typographic quotes and apostrophes.
CURLY = "The minister said “we will build 1,000 homes this year” and added that it’s ‘a promise’, not a hope."
# The same paragraph as a plain-text copy has it: straight quotes.
STRAIGHT = "The minister said \"we will build 1,000 homes this year\" and added that it's 'a promise', not a hope."
# The same paragraph with the whitespace a copy from a web page brings.
SPACED = "The minister said “we will\nbuild  1,000\u00a0homes\tthis year” and added that it’s ‘a promise’, not a hope."

# (id, paragraph, quote, matches)
CASES = [
    # Same words: match.
    ("verbatim", CURLY, "we will build 1,000 homes this year", True),
    ("verbatim-whole-paragraph", CURLY, CURLY, True),
    ("straight-double-in-quote", CURLY, 'said "we will build 1,000 homes this year" and', True),
    ("curly-double-in-quote", STRAIGHT, "said “we will build 1,000 homes this year” and", True),
    ("low-double-in-quote", CURLY, "said „we will build 1,000 homes this year“ and", True),
    ("straight-apostrophe-in-quote", CURLY, "added that it's", True),
    ("curly-apostrophe-in-quote", STRAIGHT, "added that it’s", True),
    ("straight-single-quotes-in-quote", CURLY, "it’s 'a promise', not", True),
    ("curly-single-quotes-in-quote", STRAIGHT, "it's ‘a promise’, not", True),
    ("line-break-in-quote", CURLY, "we will\nbuild 1,000 homes", True),
    ("crlf-in-quote", CURLY, "we will\r\nbuild 1,000 homes", True),
    ("tab-in-quote", CURLY, "we will\tbuild 1,000 homes", True),
    ("double-space-in-quote", CURLY, "we will  build 1,000 homes", True),
    ("nbsp-in-quote", CURLY, f"we will build 1,000{NBSP}homes", True),
    ("outer-whitespace-in-quote", CURLY, "  \n we will build 1,000 homes \t", True),
    ("whitespace-in-paragraph", SPACED, "we will build 1,000 homes this year", True),
    ("whitespace-in-both", SPACED, f'said "we will  build\n1,000{NBSP}homes this year"', True),
    # Different words, numbers or punctuation: no match.
    ("changed-word", CURLY, "we will build 1,000 houses this year", False),
    ("dropped-word", CURLY, "we build 1,000 homes this year", False),
    ("added-not", CURLY, "we will not build 1,000 homes this year", False),
    ("changed-number-separator", CURLY, "we will build 1.000 homes this year", False),
    ("changed-number", CURLY, "we will build 10,000 homes this year", False),
    ("changed-punctuation-comma", CURLY, "it’s ‘a promise’ not a hope", False),
    ("changed-punctuation-full-stop", CURLY, "‘a promise’, not a hope!", False),
    ("changed-capital", CURLY, "We will build 1,000 homes this year", False),
    ("double-quote-for-apostrophe", CURLY, 'added that it"s', False),
    ("apostrophe-for-double-quote", CURLY, "said 'we will build", False),
    ("space-removed", CURLY, "we will build 1,000homes", False),
    ("space-added-in-word", CURLY, "we will build 1,000 ho mes", False),
    ("not-in-paragraph", CURLY, "something else entirely", False),
    # Nothing to match.
    ("empty", CURLY, "", False),
    ("whitespace-only", CURLY, f" \n\t{NBSP} ", False),
]


def _ids(cases):
    return [case[0] for case in cases]


MATCHING = [case for case in CASES if case[3]]


class TestNormalize:
    def test_straightens_quotes_and_collapses_whitespace(self):
        assert normalize(f"  “a”\n\n‘b’{NBSP}c\td  ") == "\"a\" 'b' c d"

    def test_keeps_everything_else(self):
        assert normalize("1,000 – «x» ¿y?") == "1,000 – «x» ¿y?"

    def test_a_curly_and_a_straight_copy_normalize_alike(self):
        assert normalize(CURLY) == normalize(STRAIGHT) == normalize(SPACED)


@pytest.mark.parametrize(("paragraph", "quote", "matches"), [case[1:] for case in CASES], ids=_ids(CASES))
def test_span_in(paragraph, quote, matches):
    assert (span_in(paragraph, quote) is not None) is matches


@pytest.mark.parametrize(("paragraph", "quote", "matches"), [case[1:] for case in CASES], ids=_ids(CASES))
def test_find_quote(paragraph, quote, matches):
    paragraphs = ["An opening paragraph.", paragraph, "A closing paragraph."]
    assert find_quote(paragraphs, quote) == (2 if matches else None)


@pytest.mark.parametrize(("paragraph", "quote", "_matches"), [case[1:] for case in MATCHING], ids=_ids(MATCHING))
def test_span_is_in_the_paragraphs_own_text(paragraph, quote, _matches):
    start, end = span_in(paragraph, quote)
    found = paragraph[start:end]
    # The paragraph's own characters (so the page can mark them), the same words as the quote.
    assert normalize(found) == normalize(quote)
    assert found == found.strip()
    assert paragraph.find(found) == start


def test_span_keeps_the_paragraphs_typography_and_whitespace():
    start, end = span_in(SPACED, 'said "we will build 1,000 homes this year" and')
    assert SPACED[start:end] == "said “we will\nbuild  1,000\u00a0homes\tthis year” and"


class TestFindQuote:
    PARAGRAPHS = ["The first paragraph ends here.", "The second begins here, and says “yes”."]

    @pytest.mark.parametrize(
        "quote",
        [
            "ends here. The second begins",
            "ends here.\n\nThe second begins",
            "ends here.\nThe second",
            "The first paragraph ends here. The second begins here, and says “yes”.",
        ],
    )
    def test_a_quote_spanning_two_paragraphs_is_not_found(self, quote):
        assert find_quote(self.PARAGRAPHS, quote) is None

    def test_numbers_paragraphs_from_one(self):
        assert find_quote(self.PARAGRAPHS, "The first paragraph") == 1
        assert find_quote(self.PARAGRAPHS, 'says "yes".') == 2

    @pytest.mark.parametrize("quote", ["", "   ", "\n\n"])
    def test_an_empty_quote_never_matches(self, quote):
        assert find_quote(self.PARAGRAPHS, quote) is None
        assert find_quote(["", " "], quote) is None
        assert span_in("", quote) is None

    def test_no_paragraphs(self):
        assert find_quote([], "anything") is None


# -- the same rule in the editorial rules: a source's quote must be in its claim's article --


def _claim_on(paragraph: str) -> Claim:
    article = ArticleFactory(body=f"An opening paragraph.\n\n{paragraph}\n\nA closing paragraph.")
    return Claim(article=article, statement="The minister promised homes.", verdict=Verdict.TRUE, ruling="True.")


def _quote_problems(problems) -> list[str]:
    return [problem.key for problem in problems if problem.code == "quote_not_in_article"]


@pytest.mark.django_db
@pytest.mark.parametrize(("paragraph", "quote", "matches"), [case[1:] for case in CASES], ids=_ids(CASES))
def test_source_problems(paragraph, quote, matches):
    claim = _claim_on(paragraph)
    sources = [Source(quote=quote, quotes_article=True, publisher="Example News")]
    assert _quote_problems(rules.source_problems(claim, sources)) == ([] if matches else ["sources.0.quote"])


@pytest.mark.django_db
@pytest.mark.parametrize(("paragraph", "quote", "matches"), [case[1:] for case in CASES], ids=_ids(CASES))
def test_claim_readiness(paragraph, quote, matches):
    claim = _claim_on(paragraph)
    sources = [
        Source(quote="An opening paragraph.", quotes_article=True),
        Source(quote=quote, quotes_article=True),
    ]
    problems = rules.claim_readiness(claim, sources)
    assert _quote_problems(problems) == ([] if matches else ["sources.1.quote"])
    if matches:
        assert problems == []


@pytest.mark.django_db
def test_readiness_refuses_a_quote_spanning_two_paragraphs():
    claim = _claim_on(CURLY)
    sources = [Source(quote="An opening paragraph. The minister said", quotes_article=True)]
    assert _quote_problems(rules.claim_readiness(claim, sources)) == ["sources.0.quote"]


@pytest.mark.django_db
def test_a_source_not_from_the_article_is_not_matched_against_it():
    claim = _claim_on(CURLY)
    sources = [Source(quote="Words from an interview.", quotes_article=False, no_link_reason="Phone interview.")]
    assert rules.claim_readiness(claim, sources) == []


# -- on the pages: the article marks the passage, the permalink links to its paragraph --


MARK = re.compile(r'<mark class="passage__mark">(.*?)</mark>', re.S)


def _marked(html: str) -> list[str]:
    body = html.split('class="article__body"', 1)[1]
    return MARK.findall(body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("paragraph", "quote", "shown"),
    [
        (CURLY, "we will build 1,000 homes this year", "we will build 1,000 homes this year"),
        (CURLY, 'said "we will build 1,000 homes this year" and', "said “we will build 1,000 homes this year” and"),
        (CURLY, "added that it's 'a promise'", "added that it’s ‘a promise’"),
        (SPACED, "we will build 1,000 homes", "we will\nbuild  1,000\u00a0homes"),
    ],
    ids=["verbatim", "straight-quotes-curly-article", "straight-apostrophes-curly-article", "whitespace"],
)
def test_article_page_marks_the_passage_as_the_article_prints_it(client, paragraph, quote, shown):
    claim = PublishedClaimFactory(
        article=ArticleFactory(body=f"An opening paragraph.\n\n{paragraph}\n\nA closing paragraph."),
        source__quote=quote,
    )
    html = client.get(claim.article.get_absolute_url()).text
    assert _marked(html) == [shown]
    paragraph_html = html.split('<p id="p2">', 1)[1].split("</p>", 1)[0]
    assert f'<a class="passage" href="{claim.get_absolute_url()}">' in paragraph_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "quote",
    ["we will build 1,000 homes this year", 'said "we will build 1,000 homes this year" and', "it's 'a promise'"],
    ids=["verbatim", "straight-quotes", "straight-apostrophes"],
)
def test_permalink_links_to_the_paragraph_holding_the_quote(client, quote):
    article = ArticleFactory(body=f"An opening paragraph.\n\nA second one.\n\n{CURLY}\n\nA closing paragraph.")
    claim = PublishedClaimFactory(article=article, source__quote=quote)
    html = client.get(claim.get_absolute_url()).text
    link = f'<a href="{article.get_absolute_url()}#p3">See this passage in the article</a>'
    assert link in html


@pytest.mark.django_db
def test_permalink_has_no_passage_link_for_a_quote_not_in_the_article(client):
    claim = PublishedClaimFactory(article=ArticleFactory(body=CURLY), source__quote="we will build 1.000 homes")
    assert "See this passage in the article" not in client.get(claim.get_absolute_url()).text
