"""Editors' text never carries script to readers, whatever they paste."""

import re
from html.parser import HTMLParser

import pytest

from claims.text import render_editor_text
from tests.factories import PublishedClaimFactory

# A corpus of common XSS payloads (script tags, handlers, javascript: and data: URLs, SVG, entity tricks).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "javascript:alert(1)",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '"><script>alert(1)</script>',
    "'';!--\"<XSS>=&{()}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "https://example.org/?q=<script>alert(1)</script>",
    'www.example.org/"onmouseover="alert(1)',
]


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML (escaped text builds none)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _assert_harmless(html: str, allowed_tags=frozenset({"p", "br", "a"})) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in allowed_tags, (tag, html)
        assert set(attrs) <= {"href", "rel"}, (attrs, html)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or re.match(r"^(https?:|mailto:)", href), (href, html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    html = str(render_editor_text(f"Before.\n\n{payload}\n\nAfter."))
    _assert_harmless(html)
    assert "Before." in html and "After." in html


def test_plain_text_keeps_paragraphs_and_safe_links():
    html = str(render_editor_text("One.\n\nSee https://example.org/report for more."))
    assert html.count("<p>") == 2
    assert '<a href="https://example.org/report" rel="nofollow noopener noreferrer">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS[:8])
def test_explanations_reach_readers_sanitized(client, payload):
    claim = PublishedClaimFactory(explanation=payload)
    html = client.get(claim.get_absolute_url()).text
    explanation = html.split('id="explanation">Explanation</h2>')[1].split("</section>")[0]
    _assert_harmless(explanation)
