"""docs/export-schema.md, generated from the schema so it can never drift from the code."""

from __future__ import annotations

from django.apps import apps

from .schema import (
    COLUMN_NOTES,
    EXCLUDED_FIELDS,
    EXCLUDED_MODELS,
    FORMATS,
    MANIFEST,
    NATURAL_KEYS,
    SCHEMA_VERSION,
    Column,
    exported_files,
)

COMMAND = "manage.py export_all --schema-doc docs/export-schema.md"

INTRO = """\
# Data export schema (version {version})

<!-- Generated from portability/schema.py by `{command}`. Do not edit by hand:
     tests/portability/test_schema.py fails when this file is out of date. -->

A complete export is a directory holding `{manifest}` and one file per table below, in an open
format: JSON Lines (`--format json`, files `*.jsonl`) or CSV (`--format csv`, files `*.csv`).
Both carry exactly the same columns and values. Nothing else is needed to read it.

    manage.py export_all --format json --out /srv/exports/psd-2026-11-25
    manage.py import_all --in /srv/exports/psd-2026-11-25

Administrators can also write one from the **Data export** page (`/export/`): it is written by a
background task into `PSD_EXPORT_DIR` (default `<PSD_DATA_DIR>/exports`) on the server, and the
page shows its location, row counts and checksums, never its content. Every export and import is
recorded in the audit trail (who, when, format, rows per table).

An export holds every case and the personnel register: store it like the database itself.
Directories are created owner-only (0700) and files 0600.

## {manifest}

- `schema_version`: this document's version ({version}); the importer accepts its own only.
- `format`: `json` (JSON Lines) or `csv`.
- `generated_at`: when the export finished (UTC).
- `generator`: `psd export_all`.
- `files`: one entry per file, in load order: `name`, `model`, `columns` (in file order),
  `rows`, `bytes` and `sha256` (hex SHA-256 of the file's bytes).

The manifest is written last: a directory without one is an interrupted export.

## Encoding

- Files are UTF-8. Rows are in primary-key order; formatting is fixed, so exporting the same
  data twice gives byte-identical files (only `generated_at` differs).
- **JSON Lines**: one JSON object per line, keys in the column order given below.
- **CSV**: a header row with the column names, then one row per record (RFC 4180 quoting,
  `\\n` line ends). An empty cell is null, except in a text column that cannot be null, where
  it is the empty text. Booleans are `true`/`false`; `json` and `list` columns hold compact
  JSON (keys sorted).
- Types: `integer`; `text`; `boolean`; `date` (`YYYY-MM-DD`); `datetime` (UTC,
  `YYYY-MM-DDTHH:MM:SS.ffffffZ`); `json` (any JSON value, object keys sorted); `list` (a JSON
  array, sorted).
- A column ending in `_id` holds the primary key of the row it points to (the file of that
  table is named in the column's type). Primary keys are kept by the import, so references
  within an export always resolve.
- Rows defined by the code rather than by users are named by natural key, which is the same in
  every installation:
{natural}

## Import

`manage.py import_all --in DIR` restores an export into an empty, migrated database:

1. It checks the manifest: the schema version, that every file of this version is present with
   the size and SHA-256 listed, and its columns. A file may lack a column added since it was
   written if the field may be null or has a default (the field gets that value); an unknown
   column, or a missing one that is required, is refused.
2. It refuses a database that already holds data. Only the reference tables the migrations
   seed (marked *reference* below) may have rows; the export's rows replace them.
3. It loads every file in the order below, primary keys included, in ONE transaction, checks
   every reference, and moves the PostgreSQL sequences past the highest keys. Any problem (a
   bad value, a missing row) stops it with the file and line, and nothing is kept.

`manage.py import_all --in DIR --check` does step 1, then reads and decodes every row as step 3
would, without writing anything: an archived export can be checked at any time, on any
installation.

Rows are inserted without running the application's signals (a restored dismissal does not
raise a second re-vetting trigger) and keep their stored timestamps. The audit trail of the new
database starts with the import: its triggers record every inserted row, and one
`data.imported` event records the counts.

After an import, users have **unusable passwords** (no hash is ever exported) and no two-factor
authenticator: an administrator sets a password for each, and each enrols again. Case documents
are not in the export: copy the document store (`<PSD_DATA_DIR>/uploads`) alongside; the
`cases.casedocument` index gives each file's path and checksum.

## What is not exported, and why

### Tables

| Table | Why it is not exported |
| --- | --- |
{excluded_models}

### Columns of exported tables

| Column | Why it is not exported | What the import writes |
| --- | --- | --- |
{excluded_fields}

## Files, in load order
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _sentence(text: str) -> str:
    text = _cell(text)
    return text[:1].upper() + text[1:] if text else text


def _type(column: Column) -> str:
    if column.kind == "fk":
        return f"{column.type} → `{column.target}`"
    if column.kind == "natural":
        return f"text, natural key of `{column.target}`"
    if column.kind == "m2m":
        return f"list of `{column.target}` keys"
    if column.kind == "m2m_natural":
        return f"list of `{column.target}` natural keys"
    return column.type


def _null(column: Column) -> str:
    if column.field is None or column.kind in ("m2m", "m2m_natural"):
        return "no"
    return "yes" if column.field.null else "no"


def _meaning(label: str, column: Column) -> str:
    if column.kind == "derived":
        return _cell(column.derived.meaning)
    field = column.field
    if field.primary_key:
        return "Primary key (kept by the import)."
    parts = [_sentence(str(field.verbose_name)) + "."]
    if field.help_text:
        parts.append(_cell(str(field.help_text)).rstrip(".") + ".")
    note = COLUMN_NOTES.get(f"{label}.{field.name}")
    if note:
        parts.append(_cell(note))
    if column.kind == "m2m":
        through = field.remote_field.through._meta.db_table
        parts.append(f"(Stored in `{through}`.)")
    choices = getattr(field, "choices", None)
    if choices and column.kind == "value":
        values = ", ".join(f"`{value}` {_cell(text)}" for value, text in choices if value != "")
        empty = " Empty when not set." if field.blank and not field.null else ""
        parts.append(f"One of: {values}.{empty}")
    return " ".join(parts)


def schema_markdown() -> str:
    natural = "\n".join(
        f"  - `{label}`: {description}" for label, (description, _) in NATURAL_KEYS.items()
    )
    excluded_models = "\n".join(
        f"| `{label}` | {_cell(reason)} |" for label, reason in sorted(EXCLUDED_MODELS.items())
    )
    excluded_fields = "\n".join(
        f"| `{label}.{name}` | {_cell(exclusion.reason)} | {_cell(exclusion.fill_text)} |"
        for label, fields in sorted(EXCLUDED_FIELDS.items())
        for name, exclusion in sorted(fields.items())
    )
    out = [
        INTRO.format(
            version=SCHEMA_VERSION,
            command=COMMAND,
            manifest=MANIFEST,
            natural=natural,
            excluded_models=excluded_models,
            excluded_fields=excluded_fields,
        )
    ]
    for number, (spec, columns) in enumerate(exported_files(), start=1):
        model = apps.get_model(spec.label)
        names = " / ".join(f"`{spec.filename(fmt)}`" for fmt in FORMATS)
        out.append(f"\n### {number}. `{spec.label}` ({names})\n")
        out.append(f"\n{_cell(spec.description)}")
        out.append(f" Database table `{model._meta.db_table}`.")
        if spec.reference:
            out.append(" *Reference table*: seeded by the migrations, replaced by the import.")
        out.append("\n\n| Column | Type | Null | Meaning |\n| --- | --- | --- | --- |\n")
        for column in columns:
            cells = [f"`{column.name}`", _type(column), _null(column), _meaning(spec.label, column)]
            out.append("| " + " | ".join(cells) + " |\n")
    return "".join(out)
