"""Database triggers: change capture on tracked tables, the sealing queue and append-only guards.

PostgreSQL
  - ``psd_audit_row()``: one plpgsql function behind an AFTER INSERT/UPDATE/DELETE row trigger
    named ``psd_audit`` on every tracked table. It writes ``to_jsonb(OLD/NEW)`` (minus excluded
    columns) with the actor, request id and reason from ``current_setting('psd.*', true)``.
    Updates that change no audited column are not recorded.
  - ``psd_audit_queue()``: BEFORE INSERT on the audit table, for trigger rows and explicit
    events alike: ``seq`` := the row's id, chain columns emptied (a writer cannot forge them),
    and the entry queued in the sealing queue. No lock: writers never wait for each other.
    ``audit.sealer`` chains queued entries later, in batches, with a keyed HMAC.
  - ``psd_audit_refuse()``: BEFORE UPDATE OR DELETE OR TRUNCATE (statement) on the audit table
    and on the seal table.

SQLite (development and the embedded default)
  - three AFTER triggers per tracked table building the row with ``json_object`` from the
    model's concrete columns; context from the connection function ``psd_context(key)``.
  - ``psd_audit_queue``: AFTER INSERT on the audit table: ``seq`` := id, entry queued.
  - guards: BEFORE UPDATE of a numbered entry, any UPDATE of a seal, and BEFORE DELETE raise
    ABORT (SQLite has no TRUNCATE).

Every statement here is built from module constants and model metadata, never user input
(hence the S608/B608 markers). The canonical content of an entry is built by
``canonical_sql``, used both when a row is sealed and by ``audit_verify``, so the two can never
disagree about what was hashed.
"""

from __future__ import annotations

from django.db import connections

from .registry import Tracked, tracked

AUDIT_TABLE = "audit_auditentry"
SEAL_TABLE = "audit_auditseal"
PENDING_TABLE = "audit_auditpending"
# Tables that are append-only for everyone (the queue is the sealer's to empty).
APPEND_ONLY_TABLES = (AUDIT_TABLE, SEAL_TABLE)
PG_TRIGGER = "psd_audit"
SQLITE_PREFIX = "psd_audit_row_"

# Entries written before the keyed chain: columns of their unkeyed SHA-256 link, in order.
LEGACY_CHAIN_COLUMNS = [
    "seq",
    "prev_hash",
    "created_at",
    "kind",
    "action",
    "table_name",
    "object_pk",
    "target_label",
    "actor_id",
    "request_id",
    "reason",
    "old_row",
    "new_row",
    "data",
]
# Keyed chain: the content an entry's digest covers (its id binds the seal to the row).
ENTRY_COLUMNS = ["id", *(c for c in LEGACY_CHAIN_COLUMNS if c != "prev_hash")]
_INSERT_COLUMNS = (
    "created_at, kind, action, table_name, object_pk, target_label, actor_id, request_id, "
    "reason, old_row, new_row, data, prev_hash, hash"
)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def canonical_sql(vendor: str, ref: str = "", columns: list[str] = ENTRY_COLUMNS) -> str:
    """SQL text of a row's canonical content: each column as ``<length>:<text>;``.

    Length prefixes make the encoding unambiguous (no separator can be forged inside a value).
    ``ref`` is ``"NEW."`` inside a trigger, ``"e."`` in a join, ``""`` for the row itself.
    """
    parts = []
    for column in columns:
        col = f"{ref}{column}"
        if vendor == "postgresql":
            if column == "created_at":
                text = f"to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
            else:
                text = f"{col}::text"
        else:
            text = f"CAST({col} AS TEXT)"
        text = f"coalesce({text}, '')"
        parts.append(f"length({text}) || ':' || {text} || ';'")
    return " || ".join(parts)


def _sha256_sql(vendor: str, text: str) -> str:
    if vendor == "postgresql":
        return f"encode(sha256(convert_to({text}, 'UTF8')), 'hex')"
    return f"psd_sha256({text})"


def legacy_hash_sql(vendor: str, ref: str = "") -> str:
    """The unkeyed link of an entry written before the keyed chain (seq and prev_hash in it)."""
    return _sha256_sql(vendor, canonical_sql(vendor, ref, LEGACY_CHAIN_COLUMNS))


def digest_sql(vendor: str, ref: str = "") -> str:
    """SHA-256 of an entry's content; the sealer's HMAC covers it (``audit.chain``)."""
    return _sha256_sql(vendor, canonical_sql(vendor, ref, ENTRY_COLUMNS))


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_functions() -> list[str]:
    return [
        f"""
CREATE OR REPLACE FUNCTION psd_audit_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.seq := NEW.id;
    NEW.prev_hash := '';
    NEW.hash := '';
    INSERT INTO {PENDING_TABLE} (entry_id) VALUES (NEW.id);
    RETURN NEW;
END $$""",  # noqa: S608  # nosec B608
        """
CREATE OR REPLACE FUNCTION psd_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$""",
        f"""
CREATE OR REPLACE FUNCTION psd_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    excluded text[] := coalesce(TG_ARGV[1:], ARRAY[]::text[]);
    old_j jsonb;
    new_j jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_j := to_jsonb(OLD) - excluded; END IF;
    IF TG_OP <> 'DELETE' THEN new_j := to_jsonb(NEW) - excluded; END IF;
    IF TG_OP = 'UPDATE' AND old_j = new_j THEN RETURN NULL; END IF;
    INSERT INTO {AUDIT_TABLE} ({_INSERT_COLUMNS}) VALUES (
        clock_timestamp(), 'change', lower(TG_OP), TG_TABLE_NAME,
        coalesce(new_j, old_j) ->> TG_ARGV[0], '',
        nullif(current_setting('psd.actor_id', true), '')::bigint,
        coalesce(current_setting('psd.request_id', true), ''),
        coalesce(current_setting('psd.reason', true), ''),
        old_j, new_j, NULL, '', '');
    RETURN NULL;
END $$""",  # noqa: S608  # nosec B608
        # Before release 0003 a BEFORE INSERT trigger chained each row under one global lock.
        f"DROP TRIGGER IF EXISTS psd_audit_chain ON {AUDIT_TABLE}",
        "DROP FUNCTION IF EXISTS psd_audit_chain()",
        f"DROP TRIGGER IF EXISTS psd_audit_queue ON {AUDIT_TABLE}",
        f"CREATE TRIGGER psd_audit_queue BEFORE INSERT ON {AUDIT_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION psd_audit_queue()",
        *_pg_append_only(),
    ]


def _pg_append_only() -> list[str]:
    statements = []
    for table in APPEND_ONLY_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS psd_audit_append_only ON {table}",
            f"CREATE TRIGGER psd_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION psd_audit_refuse()",
        ]
    return statements


def _pg_table_trigger(item: Tracked, qn) -> list[str]:
    args = ", ".join(_quote(c) for c in [item.pk_column, *item.excluded_columns()])
    table = qn(item.table)
    return [
        f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {table}",
        f"CREATE TRIGGER {PG_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION psd_audit_row({args})",
    ]


def _pg_existing(cursor) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s",
        [PG_TRIGGER],
    )
    return {row[0] for row in cursor.fetchall()}


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_json(columns: list[str], ref: str, qn) -> str:
    """json_object(...) of the columns, chunked below SQLite's function-argument limit."""
    head, rest = columns[:60], columns[60:]
    expr = "json_object(" + ", ".join(f"{_quote(c)}, {ref}.{qn(c)}" for c in head) + ")"
    while rest:
        chunk, rest = rest[:60], rest[60:]
        args = ", ".join(f"{_quote('$.' + c)}, {ref}.{qn(c)}" for c in chunk)
        expr = f"json_insert({expr}, {args})"
    return expr


def _sqlite_table_triggers(item: Tracked, qn) -> list[str]:
    table = qn(item.table)
    columns = item.columns()
    changed = " OR ".join(f"OLD.{qn(c)} IS NOT NEW.{qn(c)}" for c in columns)
    statements = []
    for op, when, pk_ref, old, new in [
        ("insert", "", "NEW", "NULL", _sqlite_json(columns, "NEW", qn)),
        (
            "update",
            f" AND ({changed})",
            "NEW",
            _sqlite_json(columns, "OLD", qn),
            _sqlite_json(columns, "NEW", qn),
        ),
        ("delete", "", "OLD", _sqlite_json(columns, "OLD", qn), "NULL"),
    ]:
        name = qn(f"{SQLITE_PREFIX}{item.table}_{op}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {table} "  # noqa: S608  # nosec B608
            f"WHEN psd_context('maintenance') IS NULL{when} BEGIN "
            f"INSERT INTO {AUDIT_TABLE} ({_INSERT_COLUMNS}) VALUES ("
            "strftime('%Y-%m-%d %H:%M:%f', 'now'), 'change', "
            f"'{op}', {_quote(item.table)}, CAST({pk_ref}.{qn(item.pk_column)} AS TEXT), '', "
            "psd_context('actor_id'), coalesce(psd_context('request_id'), ''), "
            "coalesce(psd_context('reason'), ''), "
            f"{old}, {new}, NULL, '', ''); END"
        )
    return statements


def _sqlite_audit_table_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER psd_audit_queue AFTER INSERT ON {AUDIT_TABLE} BEGIN "  # noqa: S608  # nosec B608
        f"UPDATE {AUDIT_TABLE} SET seq = NEW.id WHERE id = NEW.id; "
        f"INSERT INTO {PENDING_TABLE} (entry_id) VALUES (NEW.id); END",
        f"CREATE TRIGGER psd_audit_no_forgery BEFORE INSERT ON {AUDIT_TABLE} "
        "WHEN NEW.seq IS NOT NULL OR NEW.hash <> '' OR NEW.prev_hash <> '' BEGIN "
        "SELECT RAISE(ABORT, 'audit chain columns are set by the database'); END",
        f"CREATE TRIGGER psd_audit_no_update BEFORE UPDATE ON {AUDIT_TABLE} "
        "WHEN OLD.seq IS NOT NULL BEGIN "
        "SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END",
        f"CREATE TRIGGER psd_audit_seal_no_update BEFORE UPDATE ON {SEAL_TABLE} BEGIN "
        "SELECT RAISE(ABORT, 'audit seals are append-only: UPDATE refused'); END",
        # Django's test flush empties every table with DELETE; it runs inside
        # audit.context.maintenance() (tests/conftest.py). Nothing else does.
        *(
            f"CREATE TRIGGER psd_audit_no_delete_{table} BEFORE DELETE ON {table} "
            "WHEN psd_context('maintenance') IS NULL BEGIN "
            "SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END"
            for table in APPEND_ONLY_TABLES
        ),
    ]


def _sqlite_drop_all(cursor) -> None:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'psd\\_audit%' "
        "ESCAPE '\\'"
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


# --- Entry points -------------------------------------------------------------------------


def drop_sqlite_triggers(using: str = "default") -> None:
    """Before SQLite migrations: table remakes must not meet triggers naming the audit table."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        _sqlite_drop_all(cursor)


def install_triggers(using: str = "default") -> list[str]:
    """(Re)create every audit trigger; return the tracked tables now watched."""
    connection = connections[using]
    qn = connection.ops.quote_name
    existing_tables = set(connection.introspection.table_names())
    if not {AUDIT_TABLE, SEAL_TABLE, PENDING_TABLE} <= existing_tables:
        return []
    items = [item for item in tracked() if item.table in existing_tables]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statements = _pg_functions()
            watched = {item.table for item in items}
            for stale in sorted(_pg_existing(cursor) - watched):
                statements.append(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {qn(stale)}")
            for item in items:
                statements += _pg_table_trigger(item, qn)
        elif connection.vendor == "sqlite":
            _sqlite_drop_all(cursor)
            statements = _sqlite_audit_table_triggers()
            for item in items:
                statements += _sqlite_table_triggers(item, qn)
        else:
            raise RuntimeError(f"audit triggers are not available on {connection.vendor}")
        for statement in statements:
            cursor.execute(statement)
    return sorted(item.table for item in items)


def installed_tables(using: str = "default") -> set[str]:
    """Tables that currently carry an audit row trigger (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _pg_existing(cursor)
        cursor.execute(
            "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'psd\\_audit\\_row\\_%' ESCAPE '\\'"
        )
        return {row[0] for row in cursor.fetchall()}
