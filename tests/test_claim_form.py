"""The claim form (issue 14, "Forms that fit on a screen"): its order, the error summary, review problems at
their fields, the length limits on every write path, and the slug until first publication."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from claims import editorial
from claims.editorial import rules
from claims.editorial.actors import DEMO_AUTHOR
from claims.models import Claim, Source, Status
from claims.share_meta import DESCRIPTION_CHARS
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers.admin_posts import change_url, claim_post, client_for, form_data

pytestmark = pytest.mark.django_db

# Resolved in the tests, not at import: reversing at collection would load the URLconf before pytest-django
# turns DEBUG off (factcheck/urls.py adds the media route only with DEBUG on).
ADD_URL = reverse_lazy("admin:claims_claim_add")


@pytest.fixture
def editor():
    return EditorFactory(username="form-editor")


@pytest.fixture
def client(editor):
    return client_for(editor)


def _positions(html: str, *needles: str) -> list[int]:
    found = [html.find(needle) for needle in needles]
    assert -1 not in found, dict(zip(needles, found, strict=True))
    return found


def test_the_form_reads_statement_to_bottom_line_then_the_evidence_then_the_rest(client):
    html = client.get(ADD_URL).text
    order = _positions(
        html,
        'id="id_statement"',
        'id="id_claimant"',
        'id="id_claimant_description"',
        'id="id_said_where"',
        'id="id_verdict"',
        'id="id_ruling"',
        'id="id_article"',
        'id="sources-group"',
        'id="id_explanation"',
        'id="id_slug"',
        'id="id_review_note"',
    )
    assert order == sorted(order)
    # A new fact-check has nothing to correct and no old permalinks: those parts come with publication.
    assert 'id="corrections-group"' not in html and 'id="id_correction_note"' not in html
    published = client_for(EditorFactory(username="chief-reader", role__chief=True)).get(
        change_url(PublishedClaimFactory())
    )
    _positions(published.text, 'id="sources-group"', 'id="id_correction_note"', 'id="corrections-group"')
    # One save bar, at the bottom, that stays in view (static/css/admin.css): no second one at the top.
    assert html.count('class="submit-row"') == 1
    assert re.search(r'<div class="save-bar">\s*<div class="submit-row">', html)


def test_the_limits_are_said_and_counted(client):
    html = client.get(ADD_URL).text
    assert "At most 280 characters: it is the headline on a phone and on the share card." in html
    assert "At most 200 characters: readers take it in at a glance" in html
    assert 'data-max="280"' in html and 'data-max="200"' in html
    assert 'data-counter="%(count)s of %(max)s characters"' in html
    assert "js/admin-counters.js" in html


def test_the_ruling_limit_is_what_a_link_preview_shows_whole():
    assert rules.RULING_MAX == DESCRIPTION_CHARS


def test_the_error_summary_links_to_field_inline_and_non_field_errors(client):
    article = ArticleFactory()
    data = claim_post(
        article,
        _submit="1",
        verdict="",
        statement="S" * 281,
        **{"sources-0-quote": "not in the article at all", "sources-1-url": "not a url"},
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    html = response.text
    summary = html[html.index('class="errornote error-summary"') : html.index("</div>", html.index("error-summary"))]
    assert 'role="alert"' in html[html.index("error-summary") - 80 : html.index("error-summary") + 80]
    # A field the source's own form refused (the URL) stops the editorial rules: fix it, then the rest shows.
    assert '<a href="#id_sources-1-url">Source 2, URL: Enter a valid URL.</a>' in summary

    data["sources-1-url"] = "https://example.org/interview"
    html = client.post(ADD_URL, data).text
    summary = html[html.index('class="errornote error-summary"') : html.index("</div>", html.index("error-summary"))]
    assert '<a href="#id_statement">Statement: Shorten the statement to 280 characters or fewer (it has 281)' in summary
    assert '<a href="#id_verdict">Verdict: Choose a verdict.</a>' in summary
    assert (
        '<a href="#id_sources-0-quote">Source 1, Evidence quote: Source 1&#x27;s quote is not in the article' in summary
    )
    assert Claim.objects.count() == 0

    # A problem of the claim as a whole (no sources) is in the summary, with the page's other non-field errors.
    data = claim_post(article, _submit="1", **{"sources-TOTAL_FORMS": "0"})
    html = client.post(ADD_URL, data).text
    summary = html[html.index('class="errornote error-summary"') : html.index("</div>", html.index("error-summary"))]
    assert "Add at least one source with its evidence quote." in summary
    assert html.count("Add at least one source with its evidence quote.") == 1
    assert "Please correct the error" not in html


def test_readiness_problems_are_at_their_fields_not_in_a_banner(client):
    claim = ClaimFactory(ruling="", verdict="")
    SourceFactory(claim=claim, quote="not in the article at all")
    data = form_data(client.get(change_url(claim)))
    data["_submit"] = "1"
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["verdict"] == ["Choose a verdict."]
    assert form.errors["ruling"] == ["Write the bottom line: the verdict and why, in a sentence or two."]
    source_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "is not in the article word for word" in source_form.errors["quote"][0]
    assert list(response.context["messages"]) == []
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


@pytest.mark.parametrize(("field", "limit"), [("statement", 280), ("ruling", 200)])
def test_the_limits_are_refused_through_the_admin(client, field, limit):
    article = ArticleFactory()
    response = client.post(ADD_URL, claim_post(article, **{field: "x" * (limit + 1)}))
    assert response.status_code == 200
    assert f"{limit} characters or fewer (it has {limit + 1})" in response.context["adminform"].form.errors[field][0]
    assert client.post(ADD_URL, claim_post(article, **{field: "x" * limit})).status_code == 302


@pytest.mark.parametrize(("field", "limit"), [("statement", 280), ("ruling", 200)])
def test_the_limits_are_refused_by_the_action_itself(editor, field, limit):
    claim = Claim(slug="long", statement="Short.", claimant="Someone", verdict="true", ruling="True.")
    setattr(claim, field, "é" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        editorial.claim_save(claim=claim, sources=[], by=editor)
    assert refused.value.message_dict[field][0].startswith("Shorten the")
    assert not Claim.objects.exists()
    # Also for a system actor (the demo loader, the importer) and on an edit of a saved claim.
    saved = editorial.claim_save(claim=ClaimFactory.build(slug="ok", article=None), sources=[], by=DEMO_AUTHOR)
    setattr(saved, field, "x" * (limit + 1))
    with pytest.raises(ValidationError):
        editorial.claim_save(claim=saved, sources=[], by=DEMO_AUTHOR)


def test_the_slug_help_text_shows_the_real_permalink(client):
    add = client.get(ADD_URL).text
    assert "/claims//" not in add
    assert "The permalink is /claims/ followed by it." in add
    draft = ClaimFactory(slug="a-draft")
    assert "The permalink will be /claims/a-draft/. It follows the statement" in client.get(change_url(draft)).text


def test_the_slug_follows_the_statement_until_first_publication(editor):
    claim = editorial.claim_save(
        claim=Claim(slug="a-first-wording", statement="A first wording.", claimant="X", verdict="true", ruling="T."),
        sources=[],
        by=editor,
    )
    claim.statement = "A better wording, as said."
    claim = editorial.claim_save(claim=claim, sources=[], by=editor)
    assert claim.slug == "a-better-wording-as-said"

    # A slug the editor chose is theirs: it no longer follows.
    claim.slug = "chosen"
    claim = editorial.claim_save(claim=claim, sources=[], by=editor)
    claim.statement = "Yet another wording."
    assert editorial.claim_save(claim=claim, sources=[], by=editor).slug == "chosen"


def test_a_published_slug_is_kept_when_the_statement_changes():
    claim = PublishedClaimFactory(slug="published-once", statement="Published once.")
    claim.slug = "published-once"
    Claim.objects.filter(pk=claim.pk).update(slug="published-once")
    claim.statement = "Published once, reworded."
    chief = EditorFactory(username="chief", role__chief=True)
    saved = editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=chief)
    assert saved.slug == "published-once"


def test_the_slug_follows_in_the_admin_too(client):
    claim = ClaimFactory(slug="statement-number-one", statement="Statement number one.")
    data = form_data(client.get(change_url(claim)))
    data["statement"] = "Statement number two."
    assert client.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert claim.slug == "statement-number-two"
    assert Source.objects.count() == 0


PASSAGES_URL = reverse_lazy("admin:claims_claim_passages")


def test_pick_a_passage_lists_the_articles_paragraphs_with_the_words_searched_for(client):
    article = ArticleFactory(body="First paragraph about tariffs.\n\nSecond one about apprehensions a day.")
    page = client.get(PASSAGES_URL, {"article": article.pk})
    assert page.status_code == 200 and "<html" in page.text
    assert page.context["paragraphs"] == [
        (1, "First paragraph about tariffs."),
        (2, "Second one about apprehensions a day."),
    ]
    found = client.get(PASSAGES_URL, {"article": article.pk, "q": "APPREHENSIONS day"}, headers={"HX-Request": "true"})
    assert "<html" not in found.text and 'class="passage" data-paragraph="2"' in found.text
    assert "tariffs" not in found.text
    assert "HX-Request" in found["Vary"]
    assert "Choose the fact-check" in client.get(PASSAGES_URL, {"article": "junk"}).text


def test_the_source_rows_link_to_the_passages_and_only_editors_see_them(client):
    claim = ClaimFactory()
    SourceFactory(claim=claim)
    html = client.get(change_url(claim)).text
    assert f'href="{PASSAGES_URL}?article={claim.article_id}"' in html
    assert "Pick a passage from the article" in html

    outsider = client_for(UserFactory(username="staff-without-roles", is_staff=True))
    assert outsider.get(PASSAGES_URL, {"article": claim.article_id}).status_code == 403
