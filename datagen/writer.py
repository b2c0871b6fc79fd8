"""Bulk row writers: PostgreSQL ``COPY ... FROM STDIN``, executemany elsewhere (SQLite tests).

A writer is given the model fields it fills; every other concrete column gets the field's
default, so a field added later with a default does not break the generator.
"""

from __future__ import annotations

import json

from django.db import models
from django.db.models import Max


class TableWriter:
    def __init__(self, connection, model: type[models.Model], fields: list[str]):
        self.connection = connection
        self.model = model
        meta = model._meta
        self.fields = [meta.get_field(name) for name in fields]
        given = {f.name for f in self.fields}
        self.extra_fields = [f for f in meta.concrete_fields if f.name not in given]
        self.postgres = connection.vendor == "postgresql"
        self.extras = tuple(self._constant(f) for f in self.extra_fields)
        self.columns = [f.column for f in self.fields + self.extra_fields]
        self.rows: list[tuple] = []
        self.written = 0

    def _constant(self, field):
        if not field.null and not field.has_default() and not field.blank:
            raise ValueError(f"{self.model._meta.label}.{field.name} needs a value")
        value = field.get_default() if field.has_default() else (None if field.null else "")
        if isinstance(field, models.JSONField) and value is not None:
            if self.postgres:
                from psycopg.types.json import Jsonb

                return Jsonb(value)
            return json.dumps(value)
        return value

    def add(self, *values) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        if not self.rows:
            return
        qn = self.connection.ops.quote_name
        table = qn(self.model._meta.db_table)
        columns = ", ".join(qn(c) for c in self.columns)
        extras = self.extras
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row + extras)
            else:
                prepared = [
                    tuple(
                        f.get_db_prep_save(v, self.connection) if v is not None else None
                        for f, v in zip(self.fields, row, strict=True)
                    )
                    + extras
                    for row in self.rows
                ]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608  # nosec B608
                    prepared,
                )
        self.written += len(self.rows)
        self.rows = []


def next_id(model: type[models.Model]) -> int:
    """The first primary key after those the table holds (the generator allocates keys)."""
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
