"""The cleaner on its own (claims.text.clean_html), fed raw markup that nothing escaped first.

tests/test_sanitizing.py goes through render_editor_text, whose escaping runs before the cleaner: there a
cleaner that allowed onclick would still pass. Here the cleaner is the only defence, and the last test
shows these checks fail when its allow-lists are loosened.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from claims import text
from claims.text import clean_html


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML (entities in values decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def tags(html: str) -> set[str]:
    return {tag for tag, _attrs in elements(html)}


def attributes(html: str) -> set[str]:
    return {name for _tag, attrs in elements(html) for name in attrs}


def hrefs(html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in elements(html) if tag == "a" and "href" in attrs]


# -- what must go --


def assert_no_script(html: str) -> None:
    assert "script" not in tags(html), html
    assert "alert(1)" not in html, html


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        '<script src="https://evil.example/x.js">alert(1)</script>',
        "<p>before<script>alert(1)</script>after</p>",
    ],
)
def test_script_and_its_content_are_removed(raw):
    assert_no_script(clean_html(raw))


def assert_no_handlers_or_style(html: str) -> None:
    found = attributes(html)
    assert not {name for name in found if name.startswith("on")}, html
    assert "style" not in found, html


@pytest.mark.parametrize(
    "raw",
    [
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<p onclick="alert(1)">x</p>',
        '<a href="https://example.org" onerror="alert(1)">x</a>',
        '<p onmouseover="alert(1)">x</p>',
        '<a href="https://example.org" OnMouseOver="alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<a href="https://example.org" style="position:fixed;top:0">x</a>',
    ],
)
def test_event_handlers_and_style_attributes_are_removed(raw):
    html = clean_html(raw)
    assert_no_handlers_or_style(html)
    assert "x" in html  # the text stays; only the attribute goes


def assert_only_safe_hrefs(html: str) -> None:
    for href in hrefs(html):
        assert href.strip().lower().startswith(("http:", "https:", "mailto:")), html


@pytest.mark.parametrize(
    "raw",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="&#x6A;avascript&#58;alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
    ],
)
def test_dangerous_link_schemes_lose_their_href(raw):
    html = clean_html(raw)
    assert hrefs(html) == [], html
    assert_only_safe_hrefs(html)
    assert ">x</a>" in html  # the link text stays


@pytest.mark.parametrize(
    ("raw", "gone"),
    [
        ("<img src=x onerror=alert(1)>", "img"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "iframe"),
        ("<svg onload=alert(1)><circle r=1 /></svg>", "svg"),
        ('<form action="https://evil.example"><input name="password"></form>', "form"),
        ('<input type="image" src=x onerror=alert(1)>', "input"),
        ("<object data=x></object><embed src=x>", "object"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "meta"),
        ('<style>body{background:url("javascript:alert(1)")}</style>', "style"),
        ("<details open ontoggle=alert(1)>x</details>", "details"),
    ],
)
def test_elements_outside_the_allow_list_are_removed(raw, gone):
    html = clean_html(raw)
    assert tags(html) <= {"p", "br", "a"}, html
    assert gone not in tags(html)
    assert_no_handlers_or_style(html)


# -- what must stay --


def test_https_link_is_kept_with_nofollow_and_noopener():
    html = clean_html('<a href="https://example.org/report">the report</a>')
    [(tag, attrs)] = elements(html)
    assert tag == "a"
    assert attrs["href"] == "https://example.org/report"
    assert {"nofollow", "noopener"} <= set((attrs.get("rel") or "").split())
    assert ">the report</a>" in html


def test_an_editors_rel_cannot_drop_nofollow():
    html = clean_html('<a href="https://example.org" rel="opener">x</a>')
    rel = set((elements(html)[0][1].get("rel") or "").split())
    assert {"nofollow", "noopener"} <= rel and "opener" not in rel


@pytest.mark.parametrize("raw", ["<p>One.</p><p>Two.</p>", "<p>Line one<br>line two</p>", "<p>a<br/>b</p>"])
def test_paragraphs_and_line_breaks_are_kept(raw):
    html = clean_html(raw)
    assert tags(html) == tags(raw)
    assert html.count("<p>") == raw.count("<p>")


def test_render_editor_text_still_escapes_then_cleans():
    html = str(text.render_editor_text('One <b onclick="x">bold</b>.\n\nhttps://example.org'))
    assert "&lt;b onclick" in html  # escaped text, not an element
    assert tags(html) == {"p", "a"}
    assert_only_safe_hrefs(html)


# -- the checks above are sensitive to a loosened allow-list --


def assert_no_tag(html: str, tag: str) -> None:
    assert tag not in tags(html), html


@pytest.mark.parametrize(
    ("constant", "loosened", "raw", "check"),
    [
        (
            "ALLOWED_ATTRIBUTES",
            {"a": {"href", "onclick"}},
            '<a href="https://e.org" onclick="alert(1)">x</a>',
            assert_no_handlers_or_style,
        ),
        (
            "ALLOWED_SCHEMES",
            {"http", "https", "mailto", "javascript"},
            '<a href="javascript:alert(1)">x</a>',
            assert_only_safe_hrefs,
        ),
        ("ALLOWED_TAGS", {"p", "br", "a", "svg"}, "<svg onload=alert(1)>", lambda html: assert_no_tag(html, "svg")),
    ],
    ids=["onclick-allowed", "javascript-scheme-allowed", "svg-allowed"],
)
def test_a_loosened_allow_list_makes_these_checks_fail(monkeypatch, constant, loosened, raw, check):
    check(clean_html(raw))  # passes as configured
    monkeypatch.setattr(text, constant, loosened)
    with pytest.raises(AssertionError):
        check(clean_html(raw))
