"""Importing an article (claims/imports/, claims/admin/imports.py): extraction from a saved news page and from
pasted text, the fetcher's refusals (SSRF) without any network, the admin's two steps, and the suggested
fact-checks with their drafts and their coverage of the demo's hand-written fact-checks."""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.text import Truncator

from claims.demo.loader import DEMO_DIR
from claims.editorial import rules
from claims.editorial.imports import guess_range
from claims.editorial.quotes import find_quote, normalize
from claims.imports import fetch
from claims.imports.extract import ExtractionFailed, extract_article, from_text
from claims.imports.fetch import FetchError, FetchRefused, fetch_page
from claims.imports.suggest import figures_in, guess_claimant, sentences, suggest_claims
from claims.models import Article, Claim, Question, QuestionKind, Quiz, Status
from tests.factories import ArticleFactory, EditorFactory, UserFactory
from tests.helpers.admin_posts import messages_of

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = (FIXTURES / "news_article.html").read_text(encoding="utf-8")
SEED_TEXT = (DEMO_DIR / "article.txt").read_text(encoding="utf-8")
PUBLIC = "93.184.215.14"  # a public-looking address the tests' resolver gives; connections to it reach a local server
COVERAGE_FLOOR = 11  # of the demo's 14 fact-checks, measured when the rules were written


# Extraction


def test_a_saved_news_page_gives_its_article_without_nav_ads_or_footer():
    found = extract_article(PAGE)
    assert found.title == "Harbour Town Council Votes To Double Ferry Subsidy"
    assert found.byline == "Maria Okafor"
    assert found.publisher == "The Coastal Ledger"
    assert str(found.published_on) == "2026-03-14"
    assert found.canonical_url == "https://www.coastal-ledger.example/news/2026/03/ferry-subsidy-vote"
    assert found.paragraphs[-1].startswith("The new subsidy takes effect in July")
    assert any(p.startswith("“Without the ferry, nearly 3,000 islanders") for p in found.paragraphs)
    body = found.body
    for noise in ("Advertisement", "Subscribe", "Related stories", "All rights reserved", "Privacy"):
        assert noise not in body
    assert found.title not in found.paragraphs


def test_a_page_without_an_article_is_a_clear_error():
    with pytest.raises(ExtractionFailed, match="No article text"):
        extract_article("<html><head><title>Empty</title></head><body></body></html>")


def test_pasted_text_is_read_as_the_demo_article_is():
    found = from_text(SEED_TEXT)
    assert found.title.startswith("US Officials Have Discussed Asking Mexico")
    assert found.paragraphs[0].startswith("Some of the measures discussed included")
    assert found.byline == found.publisher == found.canonical_url == ""
    with pytest.raises(ExtractionFailed):
        from_text("Only a title")


# The fetcher's refusals, without network


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8000/admin/",
        "http://[::1]/",
        "http://localhost/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://100.64.0.1/",
    ],
)
def test_local_private_and_reserved_addresses_are_refused(url):
    with pytest.raises(FetchRefused, match="not on the public internet"):
        fetch_page(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://example.org/", "javascript:alert(1)", "//x.org/"]
)
def test_other_schemes_are_refused(url):
    with pytest.raises(FetchRefused, match="http:// or https://"):
        fetch_page(url)


def test_a_url_with_credentials_or_without_a_host_is_refused():
    with pytest.raises(FetchRefused):
        fetch_page("http://user:secret@example.org/")
    with pytest.raises(FetchRefused):
        fetch_page("http:///path")


def _resolver(answers: dict[str, list[str]], calls: list[str] | None = None):
    def getaddrinfo(host, port, *args, **kwargs):
        if host == "127.0.0.1":  # the test server itself, which the tests' open_socket connects to
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]
        if calls is not None:
            calls.append(host)
        if host not in answers:
            raise socket.gaierror("no such host")
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    return getaddrinfo


def test_a_hostname_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({"intranet.example": ["10.1.2.3"]}))
    with pytest.raises(FetchRefused, match=r"intranet\.example"):
        fetch_page("https://intranet.example/")


def test_a_hostname_with_any_private_address_among_its_addresses_is_refused(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({"mixed.example": [PUBLIC, "::1"]}))
    with pytest.raises(FetchRefused):
        fetch_page("http://mixed.example/")


def test_an_unknown_host_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({}))
    with pytest.raises(FetchError, match="could not be found"):
        fetch_page("http://nowhere.example/")


# A local server stands for the public site: the resolver gives a public address, and connecting to it reaches
# the server on 127.0.0.1 (the fetcher itself would refuse 127.0.0.1, as the redirect test shows).


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
    seen: list[dict[str, str]] = []

    def do_GET(self):
        type(self).seen.append({"path": self.path, **dict(self.headers)})
        status, headers, body, delay = self.routes.get(self.path, (404, {}, b"", 0.0))
        time.sleep(delay)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def site(monkeypatch) -> Iterator[type[_Handler]]:
    handler = type("Handler", (_Handler,), {"routes": {}, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    handler.lookups = []  # type: ignore[attr-defined]
    handler.connections = []  # type: ignore[attr-defined]
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({"news.example": [PUBLIC]}, handler.lookups))  # type: ignore[attr-defined]
    real_open = fetch.open_socket

    def open_socket(address, port_, timeout):
        handler.connections.append(address)  # type: ignore[attr-defined]
        assert address == PUBLIC, "the fetcher connects only to the address it checked"
        return real_open("127.0.0.1", port, timeout)

    monkeypatch.setattr(fetch, "open_socket", open_socket)
    handler.server, handler.monkeypatch = server, monkeypatch  # type: ignore[attr-defined]  # for tls_site
    yield handler
    server.shutdown()
    server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_a_public_page_is_fetched_with_our_user_agent_at_the_checked_address(site):
    site.routes["/story"] = (200, HTML, PAGE.encode(), 0.0)
    page = fetch_page("http://news.example/story")
    assert page.final_url == "http://news.example/story"
    assert "Harbour Town" in page.html
    assert site.seen[0]["User-Agent"].startswith("FactcheckBot/1.0 (+")
    assert site.seen[0]["Host"] == "news.example"
    assert site.lookups == ["news.example"] and site.connections == [PUBLIC]  # type: ignore[attr-defined]


def test_redirects_are_followed_and_each_hop_checked(site):
    site.routes["/old"] = (301, {"Location": "/story"}, b"", 0.0)
    site.routes["/story"] = (200, HTML, PAGE.encode(), 0.0)
    assert fetch_page("http://news.example/old").final_url == "http://news.example/story"
    assert site.lookups == ["news.example", "news.example"]  # type: ignore[attr-defined]


def test_a_redirect_to_loopback_is_refused(site):
    site.routes["/go"] = (302, {"Location": "http://127.0.0.1/admin/"}, b"", 0.0)
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.1"):
        fetch_page("http://news.example/go")
    assert [s["path"] for s in site.seen] == ["/go"]


def test_a_redirect_to_a_name_resolving_to_the_metadata_address_is_refused(site, monkeypatch):
    site.routes["/go"] = (302, {"Location": "http://metadata.example/"}, b"", 0.0)
    monkeypatch.setattr(
        socket, "getaddrinfo", _resolver({"news.example": [PUBLIC], "metadata.example": ["169.254.169.254"]})
    )
    with pytest.raises(FetchRefused, match=r"metadata\.example"):
        fetch_page("http://news.example/go")


@override_settings(IMPORT_MAX_REDIRECTS=2)
def test_endless_redirects_stop(site):
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"", 0.0)
    with pytest.raises(FetchError, match="too many times"):
        fetch_page("http://news.example/loop")
    assert len(site.seen) == 3


@override_settings(IMPORT_MAX_BYTES=10_000)
def test_a_body_over_the_size_limit_is_refused_while_reading(site):
    # No Content-Length: the limit holds while the body streams in.
    site.routes["/big"] = (200, HTML, b"<p>" + b"x" * 50_000 + b"</p>", 0.0)
    with pytest.raises(FetchError, match="larger than"):
        fetch_page("http://news.example/big")
    site.routes["/declared"] = (200, {**HTML, "Content-Length": "50000"}, b"x" * 50_000, 0.0)
    with pytest.raises(FetchError, match="larger than"):
        fetch_page("http://news.example/declared")


@override_settings(IMPORT_TIMEOUT=0.3)
def test_a_slow_page_times_out(site):
    site.routes["/slow"] = (200, HTML, PAGE.encode(), 1.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than"):
        fetch_page("http://news.example/slow")
    assert time.monotonic() - started < 1.2


# HTTPS: the same local server behind TLS, with a certificate made for the test (openssl, from Debian's base).


def _certificate(directory: Path, hostname: str) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for `hostname`, valid for a day."""
    cert, key = directory / f"{hostname}.pem", directory / f"{hostname}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={hostname}",
         "-addext", f"subjectAltName=DNS:{hostname}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_site(site, tmp_path) -> Iterator:
    """`site` behind TLS: start(serving=name) gives it a certificate for `name`; trust(name) makes the fetcher
    trust that certificate, as it trusts the system's authorities for a real site."""
    server_contexts: list[ssl.SSLContext] = []

    def start(serving: str) -> None:
        cert, key = _certificate(tmp_path, serving)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server_contexts.append(context)
        site.server.socket = context.wrap_socket(site.server.socket, server_side=True)

    def trust(name: str) -> None:
        cert, _key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
        real = ssl.create_default_context
        site.monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: real(cafile=str(cert)))

    yield SimpleNamespace(start=start, trust=trust, site=site)


def test_an_https_page_is_fetched_with_its_certificate_checked_for_the_hostname(tls_site):
    tls_site.start(serving="news.example")
    tls_site.trust("news.example")
    tls_site.site.routes["/story"] = (200, HTML, PAGE.encode(), 0.0)
    page = fetch_page("https://news.example/story")
    assert page.final_url == "https://news.example/story" and "Harbour Town" in page.html
    assert tls_site.site.connections == [PUBLIC]  # still the checked address, with TLS for the name


def test_an_https_certificate_for_another_name_is_refused(tls_site):
    tls_site.start(serving="other.example")  # a trusted certificate, but not for the host asked for
    tls_site.trust("other.example")
    tls_site.site.routes["/story"] = (200, HTML, PAGE.encode(), 0.0)
    with pytest.raises(FetchError, match=r"secure connection \(HTTPS\) could not be trusted"):
        fetch_page("https://news.example/story")
    assert tls_site.site.seen == []  # no request was sent over it


def test_an_untrusted_https_certificate_is_refused(tls_site):
    tls_site.start(serving="news.example")  # self-signed, and nobody trusts it
    tls_site.site.routes["/story"] = (200, HTML, PAGE.encode(), 0.0)
    with pytest.raises(FetchError, match=r"could not be trusted"):
        fetch_page("https://news.example/story")
    assert tls_site.site.seen == []


def test_errors_and_other_content_are_clear(site):
    site.routes["/image"] = (200, {"Content-Type": "image/png"}, b"\x89PNG", 0.0)
    with pytest.raises(FetchError, match="not a web page"):
        fetch_page("http://news.example/image")
    with pytest.raises(FetchError, match="error 404"):
        fetch_page("http://news.example/missing")


# Suggestions


def test_sentences_are_verbatim_slices_and_keep_abbreviations():
    paragraph = "Mr. Smith said the U.S. figure rose 5%. “It is high,” he said. Prices fell."
    found = sentences(paragraph)
    assert found == ["Mr. Smith said the U.S. figure rose 5%.", "“It is high,” he said.", "Prices fell."]
    assert all(s in paragraph for s in found)


def test_figures_with_their_values_units_and_quotes():
    figures = figures_in("More than 172,000 immigrants crossed in 2019, up 12.5% to $4.2 million at 1,000 per day.")
    found = {(f.text, f.value, f.unit, f.value_quote) for f in figures}
    assert ("172,000", Decimal(172000), "immigrants", "172,000 immigrants") in found
    assert ("12.5%", Decimal("12.5"), "%", "12.5%") in found
    assert ("$4.2 million", Decimal(4_200_000), "dollars", "$4.2 million") in found
    assert ("1,000", Decimal(1000), "per day", "1,000 per day") in found
    assert not any(f.text == "2019" for f in figures)  # a year is a date
    assert not figures_in("under the Title 42 policy")  # a number in a name


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("“Mexico is doing a lot,” the official said.", "The official"),
        ("A Security Council spokesperson said the items would not come up.", "A Security Council spokesperson"),
        ("“It works,” Christopher Wilson, a fellow at the Wilson Center, said in an email.", "Christopher Wilson"),
        ("In confirming it, Symone Sanders, the spokesperson, told Reuters that it will.", "Symone Sanders"),
        ("Arrests were level, according to the Washington Post.", "The Washington Post"),
        ("Prices rose sharply.", ""),
        ("He said it was fine.", ""),
    ],
)  # fmt: skip
def test_the_claimant_guess(sentence, claimant):
    assert guess_claimant(sentence) == claimant


def test_suggestions_carry_their_reasons():
    top = suggest_claims(from_text(SEED_TEXT).paragraphs)
    assert len(top) == 20
    assert [s.score for s in top] == sorted((s.score for s in top), reverse=True)
    first = top[0]
    assert "1,000 per day" in first.sentence
    assert any("figure" in r and "1,000" in r for r in first.reasons)
    assert any("who said it" in r and "according to" in r for r in first.reasons)
    record = next(s for s in top if s.sentence.startswith("More than 172,000"))
    assert any("compares" in r and "highest" in r for r in record.reasons)
    quote = next(s for s in top if s.sentence == "“Mexico is doing a lot,” the official said.")
    assert "It quotes someone directly." in quote.reasons and quote.claimant == "The official"
    paragraphs = from_text(SEED_TEXT).paragraphs
    assert all(find_quote(paragraphs, s.sentence) == s.paragraph for s in top)


def test_the_top_20_cover_the_demo_fact_checks():
    """How many of the demo's hand-written fact-checks a top-20 suggestion covers: one that contains one of the
    claim's article quotes, or lies inside one. The floor is what the rules reached: a regression fails."""
    top = [normalize(s.sentence) for s in suggest_claims(from_text(SEED_TEXT).paragraphs, limit=20)]
    claims = json.loads((DEMO_DIR / "content.json").read_text(encoding="utf-8"))["claims"]
    covered = [
        claim["slug"]
        for claim in claims
        if any(
            quote in sentence or sentence in quote
            for source in claim["sources"]
            if source.get("quotes_article", True)
            for quote in [normalize(source["quote"])]
            for sentence in top
        )
    ]
    assert len(claims) == 14
    assert len(covered) >= COVERAGE_FLOOR, covered


@pytest.mark.parametrize(
    ("value", "percent", "expected"),
    [
        (Decimal(1000), False, (0, 5000, 50, 100)),
        (Decimal(172000), False, (0, 1_000_000, 10_000, 20_000)),
        (Decimal(700), False, (0, 2500, 25, 75)),
        (Decimal("12.5"), True, (0, 50, "0.5", "1.5")),
        (Decimal(60), True, (0, 100, 1, 6)),
        (Decimal(2), False, (0, 10, "0.1", "0.2")),
    ],
)
def test_a_number_guess_range_around_a_figure(value, percent, expected):
    assert guess_range(value, percent=percent) == tuple(Decimal(str(e)) for e in expected)


# The admin


@pytest.fixture
def writer(db):
    return EditorFactory()


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


IMPORT = "admin:claims_article_import"


def test_the_article_list_offers_the_import(writer_client):
    page = writer_client.get(reverse("admin:claims_article_changelist"))
    assert reverse(IMPORT) in page.text
    assert "Import an article" in page.text


@pytest.mark.django_db
def test_import_pasted_text_then_save_a_draft(writer_client, writer):
    step1 = writer_client.post(reverse(IMPORT), {"text": SEED_TEXT, "_extract": "1"})
    assert step1.status_code == 200
    form = step1.context["form"]
    assert form.initial["title"].startswith("US Officials Have Discussed")
    assert Article.objects.count() == 0  # nothing saved before the editor confirms
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["byline"] = "Hamed Aleaziz"  # corrected by the editor
    step2 = writer_client.post(reverse(IMPORT), {**data, "_save": "1"})
    article = Article.objects.get()
    assert step2.status_code == 302 and step2["Location"] == reverse("admin:claims_article_change", args=[article.pk])
    assert article.status == Status.DRAFT and article.author == writer and article.byline == "Hamed Aleaziz"
    assert article.paragraphs == from_text(SEED_TEXT).paragraphs
    change = writer_client.get(step2["Location"])
    assert reverse("admin:claims_article_suggestions", args=[article.pk]) in change.text


@pytest.mark.django_db
def test_import_pasted_html_shows_the_extracted_metadata(writer_client):
    step1 = writer_client.post(reverse(IMPORT), {"html": PAGE})
    assert step1.status_code == 200
    initial = step1.context["form"].initial
    assert initial["publisher"] == "The Coastal Ledger" and initial["byline"] == "Maria Okafor"
    assert initial["url"].startswith("https://www.coastal-ledger.example/")
    assert "Harbour Town Council Votes To Double Ferry Subsidy" in step1.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Give exactly one of these"),
        ({"url": "https://example.org/", "text": "A\n\nB"}, "Give exactly one of these"),
        ({"url": "http://127.0.0.1:8000/admin/"}, "not on the public internet"),
        ({"url": "http://169.254.169.254/latest/"}, "not on the public internet"),
        ({"url": "file:///etc/passwd"}, "http:// or https://"),
        ({"text": "Only a title"}, "Paste the title on the first line"),
        ({"html": "<html><body></body></html>"}, "No article text"),
    ],
)
def test_import_errors_are_readable_4xx_and_save_nothing(writer_client, data, error):
    page = writer_client.post(reverse(IMPORT), data)
    assert page.status_code == 400
    assert error in page.text
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_saving_with_a_taken_slug_or_no_body_shows_the_errors(writer_client):
    ArticleFactory(slug="taken")
    page = writer_client.post(reverse(IMPORT), {"_save": "1", "title": "T", "slug": "taken", "body": ""})
    assert page.status_code == 400
    assert page.context["form"].errors.keys() >= {"slug", "body"}
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_users_without_the_permissions_get_403(client):
    article = ArticleFactory(status=Status.DRAFT, body=SEED_TEXT)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(IMPORT)).status_code == 403
    assert client.post(reverse(IMPORT), {"text": SEED_TEXT}).status_code == 403
    assert client.get(reverse("admin:claims_article_suggestions", args=[article.pk])).status_code == 403
    draft = reverse("admin:claims_article_suggestion_draft", args=[article.pk])
    assert client.post(draft, {"sentence": "x"}).status_code == 403
    assert Claim.objects.count() == 0


@pytest.fixture
def seed_article(db, writer):
    seed = from_text(SEED_TEXT)
    return ArticleFactory(
        status=Status.DRAFT, title=seed.title, body=seed.body, publisher="BuzzFeed News", author=writer
    )


def test_the_suggestions_page_lists_twenty_with_reasons(writer_client, seed_article):
    page = writer_client.get(reverse("admin:claims_article_suggestions", args=[seed_article.pk]))
    assert page.status_code == 200
    assert len(page.context["suggestions"]) == 20
    assert page.text.count("Draft a fact-check from it") == 20
    assert "It gives a figure" in page.text and "Draft a number-guess question on “1,000 per day”" in page.text


def test_a_suggestion_becomes_a_draft_fact_check_with_its_quote(writer_client, writer, seed_article):
    sentence = "“Mexico is doing a lot,” the official said."
    draft = reverse("admin:claims_article_suggestion_draft", args=[seed_article.pk])
    assert writer_client.get(draft).status_code == 405
    response = writer_client.post(draft, {"sentence": sentence})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert (claim.statement, claim.claimant, claim.status, claim.author) == (sentence, "The official", "draft", writer)
    source = claim.sources.get()
    assert source.quote == sentence and source.quotes_article and source.publisher == "BuzzFeed News"
    assert seed_article.paragraph_containing(source.quote) is not None


def test_a_sentence_naming_nobody_gets_the_placeholder_claimant(writer_client, seed_article):
    sentence = next(s.sentence for s in suggest_claims(seed_article.paragraphs) if not s.claimant)
    response = writer_client.post(
        reverse("admin:claims_article_suggestion_draft", args=[seed_article.pk]), {"sentence": sentence}, follow=True
    )
    assert Claim.objects.get().claimant == "Not known yet: who made this claim?"
    assert any("fill in the claimant" in m for m in messages_of(response))


def test_a_sentence_not_in_the_article_is_refused(writer_client, seed_article):
    response = writer_client.post(
        reverse("admin:claims_article_suggestion_draft", args=[seed_article.pk]),
        {"sentence": "Crime doubled last year, the mayor said."},
        follow=True,
    )
    assert Claim.objects.count() == 0
    assert any(m.startswith("Nothing was changed.") for m in messages_of(response))


def test_a_figure_becomes_a_draft_number_guess_backed_by_the_draft_fact_check(writer_client, seed_article):
    sentence = next(s.sentence for s in suggest_claims(seed_article.paragraphs) if "1,000 per day" in s.sentence)
    draft = reverse("admin:claims_article_suggestion_draft", args=[seed_article.pk])
    response = writer_client.post(draft, {"sentence": sentence, "figure": "0"})
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_quiz_change", args=[question.quiz_id])
    assert question.kind == QuestionKind.NUMBER and question.quiz.status == Status.DRAFT
    assert (question.true_value, question.number_min, question.number_max) == (Decimal(1000), 0, Decimal(5000))
    assert (question.number_step, question.tolerance, question.number_unit) == (Decimal(50), Decimal(100), "per day")
    assert question.value_quote == "1,000 per day"
    # The sentence is longer than a statement may be: the draft's statement is cut for its author to rewrite.
    assert len(sentence) > rules.STATEMENT_MAX
    assert question.claim is not None and question.claim.statement == Truncator(sentence).chars(rules.STATEMENT_MAX)
    assert question.claim.sources.get().quote == sentence
    assert rules.number_problems(question) == [] and rules.value_quote_problems(question) == []
    # A second figure question on the same sentence reuses its draft fact-check, in the same draft quiz.
    writer_client.post(draft, {"sentence": sentence, "figure": "0"})
    assert Claim.objects.count() == 1 and Quiz.objects.count() == 1 and Question.objects.count() == 2
    assert writer_client.post(draft, {"sentence": sentence, "figure": "9"}).status_code == 302
    assert Question.objects.count() == 2


def test_a_figure_question_needs_the_question_permission(client, seed_article):
    user = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "add_claim", "add_source"]))
    client.force_login(user)
    sentence = next(s.sentence for s in suggest_claims(seed_article.paragraphs) if "1,000 per day" in s.sentence)
    response = client.post(
        reverse("admin:claims_article_suggestion_draft", args=[seed_article.pk]), {"sentence": sentence, "figure": "0"}
    )
    assert response.status_code == 403
    assert Question.objects.count() == 0 and Claim.objects.count() == 0
