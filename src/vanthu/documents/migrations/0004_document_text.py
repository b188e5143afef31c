"""Searchable text of documents (issue 7): the DocumentText table, and the indexes each database
keeps on it by itself — PostgreSQL: tsvector columns generated from the folded and exact words
(``simple`` configuration: the words are cut and folded by Vanthu already), a GIN index on the
folded one, a trigram index on the number-and-symbol key; SQLite: an FTS5 table over the two
columns, kept in step by triggers.

A later migration that alters DocumentText on SQLite rebuilds the table and drops the triggers:
such a migration must create them again (``SQLITE_TRIGGERS``)."""

import django.db.models.deletion
from django.db import migrations
from django.db import models

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE documents_documenttext ADD COLUMN vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED",
    "ALTER TABLE documents_documenttext ADD COLUMN exact_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, exact)) STORED",
    "CREATE INDEX documenttext_vector_gin ON documents_documenttext USING gin (vector)",
    "CREATE INDEX documenttext_symbol_trgm ON documents_documenttext USING gin (symbol_key gin_trgm_ops)",
]
POSTGRES_UNDO = [
    "DROP INDEX IF EXISTS documenttext_symbol_trgm",
    "DROP INDEX IF EXISTS documenttext_vector_gin",
    "ALTER TABLE documents_documenttext DROP COLUMN IF EXISTS exact_vector",
    "ALTER TABLE documents_documenttext DROP COLUMN IF EXISTS vector",
]
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE documents_documenttext_fts USING fts5(folded, exact,"
    " content='documents_documenttext', content_rowid='document_id', tokenize='unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER documents_documenttext_ai AFTER INSERT ON documents_documenttext BEGIN"
    " INSERT INTO documents_documenttext_fts (rowid, folded, exact) VALUES (new.document_id, new.folded, new.exact);"
    " END",
    "CREATE TRIGGER documents_documenttext_ad AFTER DELETE ON documents_documenttext BEGIN"
    " INSERT INTO documents_documenttext_fts (documents_documenttext_fts, rowid, folded, exact)"
    " VALUES ('delete', old.document_id, old.folded, old.exact);"
    " END",
    "CREATE TRIGGER documents_documenttext_au AFTER UPDATE ON documents_documenttext BEGIN"
    " INSERT INTO documents_documenttext_fts (documents_documenttext_fts, rowid, folded, exact)"
    " VALUES ('delete', old.document_id, old.folded, old.exact);"
    " INSERT INTO documents_documenttext_fts (rowid, folded, exact) VALUES (new.document_id, new.folded, new.exact);"
    " END",
    "CREATE INDEX documenttext_symbol_key ON documents_documenttext (symbol_key)",
]
SQLITE_UNDO = [
    "DROP INDEX IF EXISTS documenttext_symbol_key",
    "DROP TRIGGER IF EXISTS documents_documenttext_au",
    "DROP TRIGGER IF EXISTS documents_documenttext_ad",
    "DROP TRIGGER IF EXISTS documents_documenttext_ai",
    "DROP TABLE IF EXISTS documents_documenttext_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_file_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="text",
                        serialize=False,
                        to="documents.document",
                    ),
                ),
                ("folded", models.TextField(blank=True, default="", verbose_name="folded words")),
                ("exact", models.TextField(blank=True, default="", verbose_name="exact words")),
                (
                    "symbol_key",
                    models.CharField(blank=True, default="", max_length=64, verbose_name="number and symbol key"),
                ),
                ("updated_at", models.DateTimeField(verbose_name="updated at")),
            ],
            options={
                "verbose_name": "searchable text",
                "verbose_name_plural": "searchable texts",
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": [SQLITE_TABLE, *SQLITE_TRIGGERS]}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]
