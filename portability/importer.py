"""Restore an export into an empty database: all of it, or nothing.

Checks first, loads second:

1. the manifest names this schema version and exactly the files this version exports; every
   file is there, with the size and SHA-256 the manifest gives; its columns are this system's
   (an export written before a field was added may lack that column if the field has a
   default or may be null: the field gets its default);
2. the database holds no data yet: only the reference tables the migrations seed (ranks,
   categories, deadline kinds, vetting levels...) may have rows, and those are replaced by the
   export's own;
3. in ONE transaction: rows are inserted in load order with their primary keys, many-to-many
   links with them, foreign keys are checked at the end, and the PostgreSQL sequences are moved
   past the highest key so new rows do not collide.

Rows are inserted with ``bulk_create``: no signals run (a restored dismissal must not raise a
second re-vetting trigger) and the stored timestamps are kept as they were. The audit triggers
still see every insert: the audit trail of the new system starts with the import.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection, models, transaction

from audit import context as audit_context
from audit.services import audit_event
from cases.services.intake import case_rule_problems

from . import codec
from .schema import (
    EXCLUDED_FIELDS,
    FORMATS,
    MANIFEST,
    NATURAL_KEYS,
    SCHEMA_VERSION,
    Column,
    Exported,
    exported_files,
)

BATCH_SIZE = 1000


class ImportRefused(Exception):
    """The export cannot be imported; nothing was written."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  - {p}" for p in self.problems)])


# --- checks -------------------------------------------------------------------------------


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_manifest(in_dir: Path) -> dict:
    """The manifest, checked against this schema and the files beside it."""
    in_dir = Path(in_dir)
    path = in_dir / MANIFEST
    if not path.is_file():
        raise ImportRefused(f"{in_dir} holds no {MANIFEST}: it is not a complete export.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ImportRefused(f"{MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ImportRefused(f"{MANIFEST} does not describe an export.")
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ImportRefused(
            f"This export uses schema version {version!r}; this system imports version "
            f"{SCHEMA_VERSION} only."
        )
    fmt = manifest.get("format")
    if fmt not in FORMATS:
        raise ImportRefused(f"Unknown export format {fmt!r}.")
    problems = []
    expected = {spec.filename(fmt): (spec, columns) for spec, columns in exported_files()}
    listed = {}
    for entry in manifest["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ImportRefused(f"{MANIFEST} lists a file without a name.")
        listed[entry["name"]] = entry
    for name in sorted(set(expected) - set(listed)):
        problems.append(f"{name}: missing from the manifest")
    for name in sorted(set(listed) - set(expected)):
        problems.append(f"{name}: not a file this schema version exports")
    for name, entry in listed.items():
        if name not in expected:
            continue
        spec, columns = expected[name]
        problems += [f"{name}: {problem}" for problem in column_problems(entry, columns)]
        file = in_dir / name
        if not file.is_file():
            problems.append(f"{name}: the file is missing")
            continue
        digest, size = _sha256(file)
        if digest != entry.get("sha256") or size != entry.get("bytes"):
            problems.append(f"{name}: its checksum does not match the manifest (changed or cut)")
    if problems:
        raise ImportRefused("The export does not match its manifest.", problems)
    return manifest


def _optional(column: Column) -> bool:
    """A column an older export may lack: the import leaves the field to its default."""
    if column.kind in ("derived", "m2m", "m2m_natural"):
        return True
    return column.field.null or column.field.has_default()


def column_problems(entry: dict, columns: list[Column]) -> list[str]:
    """Why a file's listed columns cannot be loaded into this schema's (empty: they can).

    The same columns in the same order is the rule; an export written before a field was
    added may lack its column if the field can be left to its default or null."""
    listed = entry.get("columns")
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        return ["the manifest does not list its columns"]
    known = {column.name: column for column in columns}
    problems = [f"unknown column {name!r}" for name in listed if name not in known]
    if len(set(listed)) != len(listed):
        problems.append("a column is listed twice")
    problems += [
        f"column {column.name!r} is missing and has no default"
        for column in columns
        if column.name not in listed and not _optional(column)
    ]
    return problems


def file_columns(entry: dict, columns: list[Column]) -> list[Column]:
    """This schema's columns in the order the file lists them (see ``column_problems``)."""
    known = {column.name: column for column in columns}
    return [known[name] for name in entry["columns"]]


def non_empty_tables() -> list[str]:
    """Exported tables (other than seeded reference tables) that already hold rows."""
    return [
        spec.label
        for spec, _ in exported_files()
        if not spec.reference and spec.model._base_manager.exists()
    ]


# --- reading ------------------------------------------------------------------------------


def _plain_rows(path: Path, fmt: str, columns: list[Column]) -> Iterator[tuple[int, list]]:
    """(line number, JSON-compatible values in column order) for each row of a file."""
    names = [c.name for c in columns]
    with open(path, encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            reader = csv.reader(handle)
            if next(reader, None) != names:
                raise ImportRefused(f"{path.name}: the header does not list the expected columns.")
            for row in reader:
                if len(row) != len(names):
                    raise ImportRefused(
                        f"{path.name} line {reader.line_num}: {len(row)} cells, "
                        f"{len(names)} expected."
                    )
                try:
                    values = [codec.cell_to_plain(c, v) for c, v in zip(columns, row, strict=True)]
                except codec.DecodeError as error:
                    raise ImportRefused(f"{path.name} line {reader.line_num}: {error}") from None
                yield reader.line_num, values
        else:
            for number, line in enumerate(handle, start=1):
                try:
                    row = json.loads(line)
                except ValueError:
                    raise ImportRefused(f"{path.name} line {number}: not valid JSON.") from None
                if not isinstance(row, dict) or list(row) != names:
                    raise ImportRefused(
                        f"{path.name} line {number}: the keys are not the expected columns."
                    )
                yield number, list(row.values())


class _Loader:
    """Builds model instances (and many-to-many links) from rows of one file."""

    def __init__(self, spec: Exported, columns: list[Column], natural: dict[str, dict[str, int]]):
        self.spec, self.columns, self.natural = spec, columns, natural
        self.model = spec.model
        self.fills = {
            self.model._meta.get_field(name).attname: exclusion.fill
            for name, exclusion in EXCLUDED_FIELDS.get(spec.label, {}).items()
            if exclusion.fill is not None
        }

    def _natural_pk(self, column: Column, key) -> int:
        if not isinstance(key, str):
            raise codec.DecodeError(f"{key!r} is not a key")
        try:
            return self.natural[column.target][key]
        except KeyError:
            raise codec.DecodeError(f"{key!r} does not exist in this system") from None

    def build(self, values: list) -> tuple[models.Model, dict[Column, list[int]]]:
        kwargs, links = {}, {}
        for column, value in zip(self.columns, values, strict=True):
            if column.kind == "derived":
                continue
            decoded = codec.from_plain(column, value)
            if column.kind == "natural":
                decoded = None if decoded is None else self._natural_pk(column, decoded)
            if column.kind in ("m2m", "m2m_natural"):
                if column.kind == "m2m_natural":
                    decoded = [self._natural_pk(column, key) for key in decoded]
                elif not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in decoded):
                    raise codec.DecodeError(f"{column.name}: a list of whole numbers is required")
                links[column] = decoded
            else:
                kwargs[column.field.attname] = decoded
        for attname, fill in self.fills.items():
            kwargs[attname] = fill()
        return self.model(**kwargs), links

    def save(self, batch: list[tuple[models.Model, dict[Column, list[int]]]]) -> None:
        self.model._base_manager.bulk_create([obj for obj, _ in batch])
        for column in self.columns:
            if column.kind not in ("m2m", "m2m_natural"):
                continue
            through = column.field.remote_field.through
            source = column.field.m2m_field_name() + "_id"
            target = column.field.m2m_reverse_field_name() + "_id"
            through._base_manager.bulk_create(
                [
                    through(**{source: obj.pk, target: pk})
                    for obj, links in batch
                    for pk in links[column]
                ]
            )


def _natural_key_maps() -> dict[str, dict[str, int]]:
    maps = {}
    for label, (_, encode) in NATURAL_KEYS.items():
        queryset = apps.get_model(label)._base_manager.all()
        if label == "auth.permission":
            queryset = queryset.select_related("content_type")
        maps[label] = {encode(obj): obj.pk for obj in queryset}
    return maps


@contextlib.contextmanager
def _stored_timestamps(model_list):
    """Keep the exported created/updated times: auto_now(_add) would stamp the import's."""
    changed = []
    for model in model_list:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _built_rows(path: Path, fmt: str, loader: _Loader):
    """Each row of a file as (instance, many-to-many links); a bad row refuses the file."""
    try:
        for number, values in _plain_rows(path, fmt, loader.columns):
            try:
                yield loader.build(values)
            except codec.DecodeError as error:
                raise ImportRefused(f"{path.name} line {number}: {error}") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportRefused(
            f"{path.name}: not readable as UTF-8 {fmt.upper()} ({error})."
        ) from None


def _load_file(path: Path, fmt: str, loader: _Loader, batch_size: int) -> int:
    batch, count = [], 0
    for built in _built_rows(path, fmt, loader):
        batch.append(built)
        if len(batch) >= batch_size:
            loader.save(batch)
            count, batch = count + len(batch), []
    if batch:
        loader.save(batch)
        count += len(batch)
    return count


def _replace_reference_rows(specs: list[Exported]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for spec in reversed(specs):
            table = qn(spec.model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  # nosec B608


def verify_export(in_dir: Path) -> dict[str, int]:
    """Check an export without importing it: the manifest, the checksums, and that every row
    of every file decodes into its table (natural keys included). Writes nothing."""
    in_dir = Path(in_dir)
    manifest = read_manifest(in_dir)
    fmt, natural = manifest["format"], _natural_key_maps()
    entries = {entry["name"]: entry for entry in manifest["files"]}
    counts = {}
    for spec, columns in exported_files():
        name = spec.filename(fmt)
        entry = entries[name]
        loader = _Loader(spec, file_columns(entry, columns), natural)
        count = sum(1 for _ in _built_rows(in_dir / name, fmt, loader))
        if count != entry.get("rows"):
            raise ImportRefused(f"{name}: {count} rows, the manifest says {entry.get('rows')}.")
        counts[spec.label] = count
    return counts


def import_export(in_dir: Path, *, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Load the export in ``in_dir`` into this (empty) database. Returns rows per model."""
    in_dir = Path(in_dir)
    manifest = read_manifest(in_dir)
    files = exported_files()
    occupied = non_empty_tables()
    if occupied:
        raise ImportRefused(
            "The database already holds data: an export is imported into an empty database "
            "only (migrated, with nothing else added).",
            [f"{label} has rows" for label in occupied],
        )
    reason = f"Data import of the export generated at {manifest.get('generated_at', '?')}"
    try:
        with audit_context.acting(actor=None, reason=reason):
            return _load(in_dir, manifest, files, reason, batch_size)
    except (IntegrityError, DataError) as error:
        raise ImportRefused(
            "The database refused a row of the export.", [str(error).strip()[:300]]
        ) from None


@transaction.atomic
def _load(in_dir: Path, manifest: dict, files, reason: str, batch_size: int) -> dict[str, int]:
    fmt, counts = manifest["format"], {}
    _replace_reference_rows([spec for spec, _ in files if spec.reference])
    natural = _natural_key_maps()
    entries = {entry["name"]: entry for entry in manifest["files"]}
    with _stored_timestamps([spec.model for spec, _ in files]):
        for spec, columns in files:
            name = spec.filename(fmt)
            loader = _Loader(spec, file_columns(entries[name], columns), natural)
            counts[spec.label] = _load_file(in_dir / name, fmt, loader, batch_size)
    listed = {entry["model"]: entry.get("rows") for entry in manifest["files"]}
    wrong = [
        f"{label}: {counts[label]} rows, the manifest says {listed[label]}"
        for label in counts
        if counts[label] != listed.get(label)
    ]
    if wrong:
        raise ImportRefused("The files and the manifest disagree.", wrong)
    try:
        connection.check_constraints()
    except IntegrityError as error:
        raise ImportRefused(
            "The export refers to rows it does not contain.", [str(error).strip()[:300]]
        ) from None
    # The rules of the case services hold for imported cases too (issue 17).
    broken = case_rule_problems()
    if broken:
        raise ImportRefused("The export holds cases that break the case rules.", broken)
    _reset_sequences([spec.model for spec, _ in files])
    audit_event(
        actor=None,
        action="data.imported",
        reason=reason,
        data={"schema_version": SCHEMA_VERSION, "format": fmt, "rows": counts},
    )
    return counts


def _reset_sequences(model_list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
