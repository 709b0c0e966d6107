"""The demo content: it loads idempotently, and it is honest to the seed article."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.demo.loader import parse_article, read_article_text, read_content
from claims.editorial.rules import readiness
from claims.models import Article, Choice, Claim, Question, Quiz, Source, Status

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "article.txt"

CONTENT = read_content()
ARTICLE_TEXT = read_article_text(CONTENT)
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def test_article_copy_is_the_seed_without_page_residue():
    if not SEED.exists():
        pytest.skip(f"the seed is not beside this clone ({SEED})")
    seed = SEED.read_text(encoding="utf-8")
    assert seed.startswith(ARTICLE_TEXT.rstrip())
    residue = seed[len(ARTICLE_TEXT.rstrip()) :]
    assert residue.split() == ["Topics", "in", "this", "article", "Skip", "to", "footer"]


def test_content_covers_the_key_facts():
    claims = CONTENT["claims"]
    assert len(claims) >= 12
    assert len(CONTENT["quiz"]["questions"]) >= 10
    text = " ".join(c["statement"] + " " + c["ruling"] for c in claims)
    for fact in [
        "1,000",
        "200 to 250",
        "172,000",
        "15 years",
        "just over 700",
        "Title 42",
        "tariffs",
        "El Salvador, Guatemala and Honduras",
        "six families",
        "Tatiana Clouthier",
        "Symone Sanders",
        "Kamala Harris",
        "López Obrador",
        "detention centers",
    ]:
        assert fact in text, fact


@pytest.mark.parametrize("claim", CONTENT["claims"], ids=lambda c: c["slug"])
class TestEachClaimIsHonest:
    def test_every_evidence_quote_is_verbatim_in_the_article(self, claim):
        for source in claim["sources"]:
            assert source["quote"] in ARTICLE_TEXT, source["quote"]

    def test_claimant_is_named_as_the_article_names_them(self, claim):
        assert claim["claimant"].casefold() in ARTICLE_TEXT.casefold()

    def test_no_invented_numbers(self, claim):
        invented = _numbers(" ".join([claim["statement"], claim["ruling"], claim["explanation"]])) - _numbers(
            ARTICLE_TEXT
        )
        # Bracketed numbers are references to the numbered sources, not facts.
        invented -= {str(n) for n in range(1, len(claim["sources"]) + 1)}
        assert not invented

    def test_no_invented_urls_or_dates(self, claim):
        assert all(source["url"] == "" for source in claim["sources"]), "the article links to nothing"
        assert all(not source.get("published_on") for source in claim["sources"])
        assert not claim.get("said_on")

    def test_quotes_in_explanations_are_verbatim(self, claim):
        for quoted in re.findall(r"“([^”]+)”", claim["explanation"] + claim["ruling"]):
            assert quoted.rstrip(".,") in ARTICLE_TEXT, quoted


def test_every_question_is_backed_by_a_demo_claim_and_has_one_right_answer():
    slugs = {c["slug"] for c in CONTENT["claims"]}
    claims = {c["slug"]: c for c in CONTENT["claims"]}
    for question in CONTENT["quiz"]["questions"]:
        assert question["claim"] in slugs
        if number := question.get("number"):
            # A number guess: its figure and its quote word for word in the article and in one of the backing
            # fact-check's evidence quotes.
            assert not question["choices"]
            assert number["quote"] in ARTICLE_TEXT
            assert any(number["quote"] in source["quote"] for source in claims[question["claim"]]["sources"])
            assert f"{int(number['value']):,}" in number["quote"], number
            continue
        assert sum(1 for _, correct in question["choices"] if correct) == 1
        right = next(text for text, correct in question["choices"] if correct)
        assert _numbers(right) <= _numbers(ARTICLE_TEXT), right


def test_the_quiz_has_at_least_three_number_guesses_on_figures_of_the_article():
    guesses = [q for q in CONTENT["quiz"]["questions"] if q.get("number")]
    assert len(guesses) >= 3
    assert len({q["claim"] for q in guesses}) == len(guesses)


def test_article_has_no_invented_metadata():
    title, standfirst, body = parse_article(ARTICLE_TEXT)
    assert title.startswith("US Officials Have Discussed")
    assert standfirst.startswith("Some of the measures discussed")
    assert CONTENT["article"]["url"] == "" and CONTENT["article"]["published_on"] is None
    assert CONTENT["article"]["byline"] == ""
    # The publisher is the one the article names itself by ("documents obtained by BuzzFeed News").
    assert "obtained by " + CONTENT["article"]["publisher"] in body


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_publishes_everything():
    call_command("load_demo")
    counts = [m.objects.count() for m in (Article, Claim, Source, Quiz, Question, Choice)]
    first_ids = sorted(Choice.objects.values_list("id", flat=True))
    call_command("load_demo")
    assert [m.objects.count() for m in (Article, Claim, Source, Quiz, Question, Choice)] == counts
    assert sorted(Choice.objects.values_list("id", flat=True)) == first_ids, "choices keep their rows"
    originals = Claim.objects.published().filter(translation_of=None)
    assert originals.count() == len(CONTENT["claims"]) >= 12
    # Every fact-check and the quiz have a published Spanish version, ready by the same rules as any.
    spanish = Claim.objects.published().filter(language="es", translation_of__in=originals)
    assert spanish.count() == len(CONTENT["claims"])
    assert all(readiness(claim) == [] for claim in spanish)
    quiz = Quiz.objects.get(translation_of=None)
    assert quiz.status == Status.PUBLISHED and readiness(quiz) == []
    translated_quiz = Quiz.objects.get(translation_of=quiz, language="es")
    assert translated_quiz.is_published and readiness(translated_quiz) == []
    assert Article.objects.get().status == Status.PUBLISHED
    assert all(q.claim and q.claim.is_published for q in quiz.questions.select_related("claim"))
    article = Article.objects.get()
    assert article.url == "" and article.published_on is None
    for source in Source.objects.select_related("claim__article"):
        assert source.quotes_article and source.claim.article.paragraph_containing(source.quote)


@pytest.mark.django_db
def test_local_editor_account_can_log_in(client, settings, tmp_path):
    settings.LOCAL_DIR = tmp_path
    settings.DEBUG = True
    call_command("ensure_local_editor")
    password = (tmp_path / "editor-password").read_text().strip()
    call_command("ensure_local_editor")
    assert (tmp_path / "editor-password").read_text().strip() == password, "the password is kept"
    response = client.post("/admin/login/?next=/admin/claims/claim/", {"username": "editor", "password": password})
    assert response.status_code == 302 and response["Location"] == "/admin/claims/claim/"
    assert client.get("/admin/claims/claim/").status_code == 200


@pytest.mark.django_db
def test_local_editor_account_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("ensure_local_editor")
