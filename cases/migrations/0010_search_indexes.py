"""Indexes of the case search (cases/selectors/search.py, issue 21 item 3).

- full text (GIN over ``to_tsvector('english', summary)``) on case and allegation summaries;
- trigrams (GIN, ``pg_trgm``) on complainants' ``UPPER(name)`` and ``UPPER(organisation)``,
  which serve the ``icontains`` lookups (PostgreSQL compares ``UPPER(col::text) LIKE``).

The full-text expressions are Django's own (``SearchVector``), compiled by the schema editor,
so they are exactly those the search's queries use; the trigram ones are written as Django's
``icontains`` left-hand side reads (``UPPER(col::text)``). PostgreSQL only: on SQLite
(development) this migration creates nothing and the search falls back to ``LIKE``. The
indexes are not in the models' ``Meta.indexes``: SQLite could not create them when it rebuilds
a table.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

TEXT_CONFIG = "english"  # cases.selectors.search.TEXT_CONFIG
# New rows wait in a GIN index's pending list, which every search reads in full until it is
# merged: 4 MB by default (measured: 11 ms for a two-word search that matched nothing after
# 20,000 allegations were loaded). A small list is merged often, in batches, by the writers.
PENDING_KB = 256


def indexes():
    return [
        (
            "case",
            GinIndex(
                SearchVector("summary", config=TEXT_CONFIG),
                name="case_summary_fts",
                gin_pending_list_limit=PENDING_KB,
            ),
        ),
        (
            "allegation",
            GinIndex(
                SearchVector("summary", config=TEXT_CONFIG),
                name="allegation_summary_fts",
                gin_pending_list_limit=PENDING_KB,
            ),
        ),
    ]


TRIGRAMS = [
    ("complainant_name_trgm", "cases_complainant", "name"),
    ("complainant_organisation_trgm", "cases_complainant", "organisation"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in indexes():
        schema_editor.add_index(apps.get_model("cases", model_name), index)
    for name, table, column in TRIGRAMS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops) "
            f"WITH (gin_pending_list_limit = {PENDING_KB})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in indexes():
        schema_editor.remove_index(apps.get_model("cases", model_name), index)
    for name, _, _ in TRIGRAMS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_staff_outcomes_appeals"),
        ("accounts", "0005_person_prefix_search_indexes"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(create, drop, elidable=False),
    ]
