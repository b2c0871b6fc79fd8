"""Keyset ("seek") pagination, the one cursor of the case list page and the API's lists.

A page is the rows strictly after (or, going back, before) the last row shown, in a total
order whose last field is unique (``("-received_on", "-id")``). The cursor is those fields'
values, so a page costs one query however deep it is (no OFFSET, no COUNT) and rows that
arrive meanwhile neither repeat nor vanish. The ordering's fields must not be NULL.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet


class BadCursor(ValueError):
    """The cursor is not one this ordering wrote."""


@dataclass(frozen=True)
class Keyset:
    model: type[Model]
    ordering: tuple[str, ...]

    @property
    def fields(self) -> list[str]:
        return [name.removeprefix("-") for name in self.ordering]

    def values(self, row) -> list:
        """The row's ordering values (a model instance, or any object with those attributes)."""
        return [getattr(row, "pk" if name == "id" else name) for name in self.fields]

    def encode(self, values: list, *, backwards: bool = False) -> str:
        """An opaque, URL-safe cursor for the rows after ``values`` (before, ``backwards``)."""
        text = json.dumps([values, int(backwards)], cls=DjangoJSONEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[list, bool]:
        """The values and direction of a cursor, typed as the model's fields; ``BadCursor``
        when it was not written by ``encode`` for this ordering."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values, backwards = json.loads(raw)
            if not isinstance(values, list) or len(values) != len(self.fields):
                raise BadCursor(cursor)
            typed = [
                self.model._meta.get_field(name).to_python(value)
                for name, value in zip(self.fields, values, strict=True)
            ]
        except (
            binascii.Error,
            UnicodeDecodeError,
            ValueError,
            TypeError,
            ValidationError,
        ) as error:
            raise BadCursor(cursor) from error
        if any(value is None for value in typed) or backwards not in (0, 1):
            raise BadCursor(cursor)
        return typed, bool(backwards)

    def ordered(self, queryset: QuerySet, *, backwards: bool = False) -> QuerySet:
        ordering = self.ordering if not backwards else [_flip(name) for name in self.ordering]
        return queryset.order_by(*ordering)

    def after(self, queryset: QuerySet, values: list, *, backwards: bool = False) -> QuerySet:
        """The rows strictly after ``values`` in the ordering (before them, ``backwards``),
        in that direction's order."""
        steps = []
        for i, name in enumerate(self.ordering):
            field = name.removeprefix("-")
            later = name.startswith("-") == backwards  # ascending, read forwards: greater
            same = dict(zip(self.fields[:i], values[:i], strict=True))
            steps.append(Q(**same, **{f"{field}__{'gt' if later else 'lt'}": values[i]}))
        first = self.ordering[0]
        rows = queryset
        if len(steps) > 1:
            # The plain range condition lets PostgreSQL start the index scan at the cursor
            # (an OR alone makes it walk the index from the top: slow on deep pages).
            later = first.startswith("-") == backwards
            rows = rows.filter(**{f"{self.fields[0]}__{'gte' if later else 'lte'}": values[0]})
        return self.ordered(rows.filter(reduce(or_, steps)), backwards=backwards)


def _flip(name: str) -> str:
    return name.removeprefix("-") if name.startswith("-") else f"-{name}"
