"""Bulk inserts at the speed a county's legacy import needs.

Django's `bulk_create` compiles its SQL value by value through the ORM, and django-simple-history
builds a second model instance per row for the record history: together about 250 µs a row, so
an import could not pass a few thousand rows a second. `insert_objects` takes unsaved model
instances as `bulk_create` does, gives each its primary key and writes the rows, and their
record-history rows if asked, with PostgreSQL's binary COPY (or `executemany` on SQLite);
`insert_rows` does the same for plain dictionaries. Values are stored exactly as the ORM would
store them: automatic dates come from each field's `pre_save`, and every value is prepared with
the field's `get_db_prep_save` unless psycopg adapts it the same way unaided. Like
`bulk_create`, it calls no `save()` and sends no signals.

Must run inside a transaction: the primary keys are reserved first (from the sequence on
PostgreSQL; on SQLite, whose transactions here take the write lock when they begin, by counting
on from the highest key used)."""

import json
from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone
from psycopg.types.json import Jsonb


def insert_objects(
    model: type[Model],
    objects: Sequence[Model],
    *,
    history_user_id: int | None = None,
    history_reason: str = "",
    history_date=None,
) -> None:
    """Insert `objects`, unsaved instances of `model`, setting their primary keys. With a
    `history_date`, also write a "created" row of record history for each."""
    if not objects:
        return
    connection, fields = _begin(model)
    opts = model._meta
    keys = _reserve_keys(connection, opts.db_table, opts.pk.column, len(objects))
    stamped = [
        (index, f) for index, f in enumerate(fields)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]  # fmt: skip
    rows = []
    for obj, key in zip(objects, keys, strict=True):
        setattr(obj, opts.pk.attname, key)
        obj._state.adding, obj._state.db = False, connection.alias
        row = [getattr(obj, f.attname) for f in fields]
        for index, f in stamped:
            row[index] = f.pre_save(obj, True)
        rows.append(row)
    _insert(connection, model, fields, rows)
    if history_date is not None:
        _write_history(
            connection, model, fields, rows, history_user_id, history_reason, history_date
        )


def insert_rows(
    model: type[Model],
    rows: Sequence[dict],
    *,
    history_user_id: int | None = None,
    history_reason: str = "",
    history_date=None,
) -> list[int]:
    """Insert rows given as {attname: value}, without building model instances (a field left
    out takes its default, or now if it is stamped automatically), and return their new
    primary keys in order. With a `history_date`, also write a "created" row of record
    history for each."""
    if not rows:
        return []
    connection, fields = _begin(model)
    opts = model._meta
    keys = _reserve_keys(connection, opts.db_table, opts.pk.column, len(rows))
    now = timezone.now()
    # Each field's value when a row leaves it out, worked out once; a default made by calling
    # something (a new list, a new UUID) is made again for each row that needs it.
    fallbacks, made = [], {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fallbacks.append((f.attname, now))
        elif f.has_default() and callable(f.default):
            fallbacks.append((f.attname, None))
            made[f.attname] = f.default
        else:
            fallbacks.append((f.attname, None if f.primary_key else f.get_default()))
    pk_index = next(index for index, f in enumerate(fields) if f.primary_key)
    values = []
    for given, key in zip(rows, keys, strict=True):
        row = [
            given[name] if name in given else made[name]() if name in made else fallback
            for name, fallback in fallbacks
        ]
        row[pk_index] = key
        values.append(row)
    _insert(connection, model, fields, values)
    if history_date is not None:
        _write_history(
            connection, model, fields, values, history_user_id, history_reason, history_date
        )
    return keys


def _begin(model):
    alias = router.db_for_write(model)
    if not transaction.get_connection(alias).in_atomic_block:
        raise RuntimeError("Bulk inserts must run inside a transaction.")
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    return connections[alias], fields


# On PostgreSQL, psycopg adapts these fields' Python values exactly as the ORM's preparation
# would leave them, so a million calls to get_db_prep_save can be skipped.
PASSED_AS_THEY_ARE = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField",
    "DateTimeField", "ForeignKey", "IntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
}  # fmt: skip


def _preparer(connection, f):
    """How one field's Python values are prepared for the database, or None if they go as
    they are."""
    if connection.vendor != "postgresql":
        return lambda value: f.get_db_prep_save(value, connection)
    kind = f.get_internal_type()
    if kind in PASSED_AS_THEY_ARE:
        return None
    if kind == "JSONField":
        # Encoded once, with the field's encoder, though a history row copies it: the ORM's
        # adapter would encode it again for each row it is written to.
        return lambda value: Jsonb(json.dumps(value, cls=f.encoder), dumps=_already_encoded)
    return lambda value: f.get_db_prep_save(value, connection)


def _already_encoded(text: str) -> str:
    return text


def _insert(connection, model, fields, rows) -> None:
    """Prepare each value for the database as the ORM would, then write the rows."""
    prepare = [
        (index, preparer) for index, f in enumerate(fields)
        if (preparer := _preparer(connection, f)) is not None
    ]  # fmt: skip
    if prepare:
        for row in rows:
            for index, preparer in prepare:
                row[index] = preparer(row[index])
    _write(connection, model._meta.db_table, [f.column for f in fields], rows)


def _write_history(connection, model, fields, rows, user_id, reason, when) -> None:
    history = model.history.model
    position = {f.attname: index for index, f in enumerate(fields)}
    special = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user_id,
    }
    columns, picks = [], []  # each pick: (position in the record's row, or None, a constant)
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue  # history_id: the database numbers the history rows itself
        if f.attname in special:
            picks.append((None, f.get_db_prep_save(special[f.attname], connection)))
        elif f.attname in position:
            picks.append((position[f.attname], None))
        else:
            raise ValueError(f"{history.__name__}.{f.attname} has no value to copy")
        columns.append(f.column)
    history_rows = [
        [constant if index is None else row[index] for index, constant in picks] for row in rows
    ]
    _write(connection, history._meta.db_table, columns, history_rows)


def _reserve_keys(connection, table: str, column: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is looked up once, not for each key.
            cursor.execute(
                "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
                "SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
                [table, column, count],
            )
            return [key for (key,) in cursor.fetchall()]
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT max({qn(column)}) FROM {qn(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        # AUTOINCREMENT never hands out a key again, even one whose row was deleted.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
        start = max(highest, used[0] if used else 0) + 1
        return list(range(start, start + count))


def _write(connection, table: str, columns: list[str], rows: list[list]) -> None:
    qn = connection.ops.quote_name
    names = ", ".join(qn(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY: psycopg packs each value as its column's type, a third of the work
            # of writing it as text, and the server has no text to parse.
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [qn(table)],
            )
            types = dict(cursor.fetchall())
            sql = f"COPY {qn(table)} ({names}) FROM STDIN (FORMAT BINARY)"
            with cursor.cursor.copy(sql) as copy:
                copy.set_types([types[column] for column in columns])
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
