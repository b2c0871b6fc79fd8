"""Which tables the audit triggers watch.

Apps call ``track`` in their ``AppConfig.ready()``::

    from audit.registry import track
    track(Case)
    track(Complainant, exclude_fields=("search_vector",))

After ``migrate`` (post_migrate) or ``manage.py audit_install_triggers`` every tracked table
has a row trigger that writes each INSERT, UPDATE and DELETE to the audit trail, including
``QuerySet.update()``, bulk operations and raw SQL.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    exclude_fields: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def pk_column(self) -> str:
        return self.model._meta.pk.column

    def columns(self) -> list[str]:
        """Concrete columns written to the trail (excluded fields left out)."""
        return [
            field.column
            for field in self.model._meta.concrete_fields
            if field.name not in self.exclude_fields and field.column not in self.exclude_fields
        ]

    def excluded_columns(self) -> list[str]:
        return [
            field.column
            for field in self.model._meta.concrete_fields
            if field.name in self.exclude_fields or field.column in self.exclude_fields
        ]


_TRACKED: dict[str, Tracked] = {}


def track(model: type[models.Model], exclude_fields: tuple[str, ...] | list[str] = ()) -> None:
    """Record every change to ``model``'s table in the audit trail (idempotent)."""
    if model._meta.proxy or not model._meta.managed:
        raise ValueError(f"{model._meta.label} is not a concrete managed model")
    names = {f.name for f in model._meta.concrete_fields} | {
        f.column for f in model._meta.concrete_fields
    }
    unknown = set(exclude_fields) - names
    if unknown:
        raise ValueError(f"{model._meta.label} has no fields {sorted(unknown)}")
    if model._meta.pk.name in exclude_fields:
        raise ValueError("the primary key cannot be excluded")
    _TRACKED[model._meta.label_lower] = Tracked(model, tuple(exclude_fields))


def tracked() -> list[Tracked]:
    return list(_TRACKED.values())
