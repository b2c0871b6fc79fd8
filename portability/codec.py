"""Values to and from the export's text forms.

One JSON-compatible form per value (``to_plain``/``from_plain``) is what a JSON Lines row holds;
the CSV cell is a fixed spelling of that same form (``plain_to_cell``/``cell_to_plain``), so both
formats carry exactly the same information and every value has one spelling (the round trip
export → import → export is byte-for-byte identical).
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from django.utils import timezone

from .schema import Column

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class DecodeError(ValueError):
    """A value in a file does not fit its column."""


def canonical_json(value) -> str:
    """Compact JSON with sorted keys: one spelling for one value."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json_row(names: list[str], values: list) -> str:
    """One JSON Lines row: the columns in schema order, nested JSON with sorted keys."""
    return json.dumps(
        dict(zip(names, values, strict=True)), ensure_ascii=False, separators=(",", ":")
    )


def _sorted_keys(value):
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def to_plain(column: Column, value):
    """A field's Python value as JSON-compatible data."""
    if value is None:
        return None
    kind = column.type
    if kind == "datetime":
        return value.astimezone(datetime.UTC).strftime(DATETIME_FORMAT)
    if kind == "date":
        return value.isoformat()
    if kind in ("decimal", "uuid"):
        return str(value)
    if kind == "json":
        return _sorted_keys(value)
    if kind == "text" and column.field is not None and hasattr(value, "name"):
        return value.name or ""  # a FieldFile: its path in the document store
    return value


def from_plain(column: Column, value):
    """JSON-compatible data back to the value the field stores."""
    if value is None:
        if column.kind in ("m2m", "m2m_natural"):
            raise DecodeError("a list is required")
        if column.field is not None and not column.field.null and column.type != "json":
            raise DecodeError("a value is required")
        return None
    kind = column.type
    try:
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise DecodeError(f"{value!r} is not a whole number")
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                raise DecodeError(f"{value!r} is not true or false")
            return value
        if kind == "text":
            if not isinstance(value, str):
                raise DecodeError(f"{value!r} is not text")
            return value
        if kind == "date":
            return datetime.date.fromisoformat(value)
        if kind == "datetime":
            parsed = datetime.datetime.strptime(value, DATETIME_FORMAT)
            return timezone.make_aware(parsed, datetime.UTC)
        if kind == "decimal":
            return decimal.Decimal(value)
        if kind == "uuid":
            return uuid.UUID(value)
        if kind == "list":
            if not isinstance(value, list):
                raise DecodeError(f"{value!r} is not a list")
            return value
        return value  # json
    except (TypeError, ValueError, decimal.InvalidOperation) as error:
        if isinstance(error, DecodeError):
            raise
        raise DecodeError(f"{value!r} is not a valid {kind}") from None


def plain_to_cell(column: Column, value) -> str:
    """The CSV spelling: empty for null, true/false, numbers and text as they are, lists and
    JSON values as compact JSON."""
    if column.type in ("json", "list"):
        return "" if value is None else canonical_json(value)
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def cell_to_plain(column: Column, cell: str):
    """The inverse of ``plain_to_cell``. An empty cell is null, except in a text column of a
    field that cannot be null, where it is the empty text."""
    if column.type in ("json", "list"):
        if cell == "":
            return None
        try:
            return json.loads(cell)
        except ValueError:
            raise DecodeError(f"{cell[:40]!r} is not valid JSON") from None
    if cell == "":
        if column.type == "text" and (column.field is None or not column.field.null):
            return ""
        return None
    if column.type == "integer":
        try:
            return int(cell)
        except ValueError:
            raise DecodeError(f"{cell[:40]!r} is not a whole number") from None
    if column.type == "boolean":
        if cell not in ("true", "false"):
            raise DecodeError(f"{cell[:40]!r} is not true or false")
        return cell == "true"
    return cell
