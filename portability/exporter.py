"""Write a complete export: one file per model (JSON Lines or CSV) and a manifest.

Rows are streamed in primary-key order with ``.iterator(chunk_size=...)`` and written as they
come, so memory does not grow with the data. On PostgreSQL the whole export reads one
snapshot (a REPEATABLE READ, READ ONLY transaction): every file describes the same moment even
while people keep working.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction

from . import codec
from .schema import (
    FORMATS,
    MANIFEST,
    NATURAL_KEYS,
    SCHEMA_VERSION,
    Column,
    Exported,
    exported_files,
)

CHUNK_SIZE = 2000


class ExportRefused(Exception):
    """The export cannot be written where it was asked to be (nothing is written)."""


class _HashingFile:
    """A text sink that writes UTF-8 to a binary file and hashes what it writes."""

    def __init__(self, handle):
        self.handle, self.sha256, self.bytes = handle, hashlib.sha256(), 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.handle.write(data)
        self.sha256.update(data)
        self.bytes += len(data)
        return len(text)


def _natural_key_caches(columns_by_file) -> dict[str, dict[int, str]]:
    """{label: {pk: natural key}} for the small code-defined tables rows refer to."""
    wanted = {
        column.field.related_model._meta.label_lower
        for _, columns in columns_by_file
        for column in columns
        if column.kind in ("natural", "m2m_natural")
    }
    caches = {}
    for label in wanted:
        model = apps.get_model(label)
        queryset = model._base_manager.all()
        if label == "auth.permission":
            queryset = queryset.select_related("content_type")
        encode = NATURAL_KEYS[label][1]
        caches[label] = {obj.pk: encode(obj) for obj in queryset}
    return caches


def _row(obj, columns: list[Column], caches) -> list:
    row = []
    for column in columns:
        if column.kind == "derived":
            value = column.derived.compute(obj)
        elif column.kind == "fk":
            value = getattr(obj, column.name)
        elif column.kind == "natural":
            pk = getattr(obj, column.field.attname)
            value = None if pk is None else caches[column.target][pk]
        elif column.kind == "m2m":
            value = sorted(related.pk for related in getattr(obj, column.name).all())
        elif column.kind == "m2m_natural":
            cache = caches[column.target]
            value = sorted(cache[related.pk] for related in getattr(obj, column.name).all())
        else:
            value = codec.to_plain(column, column.field.value_from_object(obj))
        row.append(value)
    return row


def _rows(spec: Exported, columns: list[Column], caches, chunk_size: int):
    queryset = spec.model._base_manager.order_by("pk")
    m2m = [c.name for c in columns if c.kind in ("m2m", "m2m_natural")]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    for obj in queryset.iterator(chunk_size=chunk_size):
        yield _row(obj, columns, caches)


def _write_file(path: Path, fmt: str, columns: list[Column], rows) -> dict:
    names = [c.name for c in columns]
    count = 0
    with open(path, "xb") as handle:
        os.chmod(path, 0o600)
        sink = _HashingFile(handle)
        if fmt == "csv":
            writer = csv.writer(sink, lineterminator="\n")
            writer.writerow(names)
            for row in rows:
                writer.writerow(
                    [codec.plain_to_cell(c, v) for c, v in zip(columns, row, strict=True)]
                )
                count += 1
        else:
            for row in rows:
                sink.write(codec.canonical_json_row(names, row) + "\n")
                count += 1
    return {"rows": count, "bytes": sink.bytes, "sha256": sink.sha256.hexdigest()}


@contextlib.contextmanager
def _snapshot():
    """One consistent read of every table (PostgreSQL); nothing to do inside a transaction
    someone else opened (tests) or on SQLite, whose transactions are serial anyway."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    manifest: dict

    @property
    def counts(self) -> dict[str, int]:
        return {entry["model"]: entry["rows"] for entry in self.manifest["files"]}


def prepare_directory(out_dir: Path) -> None:
    """Create ``out_dir`` (owner-only) or accept it if it exists and is empty."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        if not out_dir.is_dir():
            raise ExportRefused(f"{out_dir} exists and is not a directory.")
        if any(out_dir.iterdir()):
            raise ExportRefused(f"{out_dir} is not empty: choose a new or empty directory.")
    else:
        out_dir.mkdir(parents=True, mode=0o700)


def write_export(
    out_dir: Path,
    fmt: str,
    *,
    generated_at: datetime.datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ExportResult:
    """Write every exported table to ``out_dir`` (new or empty), the manifest last.

    A directory with a manifest is complete; one without is an interrupted export.
    """
    if fmt not in FORMATS:
        raise ExportRefused(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
    out_dir = Path(out_dir)
    prepare_directory(out_dir)
    files = exported_files()
    entries = []
    with _snapshot():
        caches = _natural_key_caches(files)
        for spec, columns in files:
            name = spec.filename(fmt)
            written = _write_file(
                out_dir / name, fmt, columns, _rows(spec, columns, caches, chunk_size)
            )
            entries.append(
                {
                    "name": name,
                    "model": spec.label,
                    "columns": [c.name for c in columns],
                    **written,
                }
            )
    generated_at = generated_at or datetime.datetime.now(datetime.UTC)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "format": fmt,
        "generated_at": generated_at.astimezone(datetime.UTC).strftime(codec.DATETIME_FORMAT),
        "generator": "psd export_all",
        "files": entries,
    }
    path = out_dir / MANIFEST
    with open(path, "x", encoding="utf-8") as handle:
        os.chmod(path, 0o600)
        handle.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return ExportResult(out_dir, manifest)
