"""Full-text search: PostgreSQL's per-language configurations, a generated tsvector column with its GIN
index, pg_trgm for typos; SQLite's FTS5 table. Each database gets only its own part."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

# Accents removed before the Snowball stemmer, as claims/search/text.py does in Python.
POSTGRES_FORWARDS = [
    "CREATE TEXT SEARCH CONFIGURATION factcheck_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION factcheck_english ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION factcheck_spanish (COPY = spanish)",
    "ALTER TEXT SEARCH CONFIGURATION factcheck_spanish ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, spanish_stem",
    # Statement, claimant, ruling, explanation: weights A to D, each in the fact-check's own language.
    """
    ALTER TABLE claims_claim ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(CASE WHEN language = 'es' THEN 'factcheck_spanish'::regconfig
                                   ELSE 'factcheck_english'::regconfig END, coalesce(statement, '')), 'A') ||
        setweight(to_tsvector(CASE WHEN language = 'es' THEN 'factcheck_spanish'::regconfig
                                   ELSE 'factcheck_english'::regconfig END, coalesce(claimant, '')), 'B') ||
        setweight(to_tsvector(CASE WHEN language = 'es' THEN 'factcheck_spanish'::regconfig
                                   ELSE 'factcheck_english'::regconfig END, coalesce(ruling, '')), 'C') ||
        setweight(to_tsvector(CASE WHEN language = 'es' THEN 'factcheck_spanish'::regconfig
                                   ELSE 'factcheck_english'::regconfig END, coalesce(explanation, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX claims_claim_search_document ON claims_claim USING gin (search_document)",
    "CREATE INDEX claims_searchword_trigram ON claims_searchword USING gist (word gist_trgm_ops)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS claims_searchword_trigram",
    "DROP INDEX IF EXISTS claims_claim_search_document",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS factcheck_spanish",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS factcheck_english",
]
# The stems of each field (claims/search/index.py writes them), rowid = the claim's id.
SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE claim_search USING fts5(statement, claimant, ruling, explanation, tokenize='unicode61')",
]
SQLITE_BACKWARDS = ["DROP TABLE IF EXISTS claim_search"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def _index_existing(apps, schema_editor) -> None:
    # Fact-checks written before this migration: their words, and on SQLite their FTS rows.
    from claims.search.index import rebuild

    rebuild(using=schema_editor.connection.alias, claims=apps.get_model("claims", "Claim"), words=apps.get_model("claims", "SearchWord"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_pages"),
    ]

    operations = [
        CreateExtension("unaccent"),
        CreateExtension("pg_trgm"),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=60, unique=True, verbose_name="word")),
            ],
            options={"verbose_name": "search word", "verbose_name_plural": "search words"},
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        ),
        migrations.RunPython(_index_existing, migrations.RunPython.noop),
    ]
