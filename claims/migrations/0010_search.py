"""Full-text search (claims/search/): each claim's stems, made in Python (claims/search/index.py), in a
weighted tsvector column `claims_claim.search_document` with a GIN index on PostgreSQL and in an FTS5 table
`claim_search` on SQLite; and the vocabulary of published words, with pg_trgm's GiST index on PostgreSQL for
the words near a typo. Each database gets only its own part.

The column is not a model field: only the search reads and writes it, and a field would travel with every
claim (revisions, the API, copies for translations) for nothing."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

POSTGRES_FORWARDS = [
    "ALTER TABLE claims_claim ADD COLUMN search_document tsvector",
    "CREATE INDEX claims_claim_search_document ON claims_claim USING gin (search_document)",
    "CREATE INDEX claims_searchword_trigram ON claims_searchword USING gist (word gist_trgm_ops)",
    # Words beginning with what a reader is typing (LIKE 'prefix%' in any collation).
    "CREATE INDEX claims_searchword_prefix ON claims_searchword (word varchar_pattern_ops)",
    # The similarity above which pg_trgm's % finds the words near a typo (claims.search.query.TYPO_SIMILARITY:
    # the default, 0.3, misses "mexcio" for "mexico"). The database's default for new sessions, and this one's;
    # a role that may not alter its database keeps 0.3: fewer typos corrected, nothing fails.
    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I SET pg_trgm.similarity_threshold = 0.2', current_database());"
    " EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'pg_trgm.similarity_threshold stays 0.3'; END $$",
    "SET pg_trgm.similarity_threshold = 0.2",
]
POSTGRES_BACKWARDS = [
    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I RESET pg_trgm.similarity_threshold', current_database());"
    " EXCEPTION WHEN insufficient_privilege THEN NULL; END $$",
    "DROP INDEX IF EXISTS claims_searchword_prefix",
    "DROP INDEX IF EXISTS claims_searchword_trigram",
    "DROP INDEX IF EXISTS claims_claim_search_document",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document",
]
# The stems of each field, rowid = the claim's id.
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
    # Fact-checks written before this migration.
    from claims.search.index import rebuild

    rebuild(
        using=schema_editor.connection.alias,
        claim_model=apps.get_model("claims", "Claim"),
        word_model=apps.get_model("claims", "SearchWord"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_pages"),
    ]

    operations = [
        CreateExtension("pg_trgm"),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(db_index=True, max_length=60, verbose_name="word")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                ("stem", models.CharField(max_length=60, verbose_name="stem")),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
                "constraints": [
                    models.UniqueConstraint(fields=("word", "language"), name="one_search_word_per_language")
                ],
                "indexes": [models.Index(fields=["stem", "language"], name="search_word_stem")],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        ),
        migrations.RunPython(_index_existing, migrations.RunPython.noop),
    ]
