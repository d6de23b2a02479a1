"""Bulk inserts at the speed a county's legacy import needs.

Django's `bulk_create` compiles its SQL value by value through the ORM, and django-simple-history
builds a second model instance per row for the record history: together about 250 µs a row, so
an import could not pass a few thousand rows a second. `insert_objects` takes unsaved model
instances as `bulk_create` does, gives each its primary key and writes the rows, and their
record-history rows if asked, with PostgreSQL's COPY (or `executemany` on SQLite);
`insert_rows` does the same for plain dictionaries. Values are stored exactly as the ORM would
store them: automatic dates come from each field's `pre_save`, and every value is prepared with
the field's `get_db_prep_save` unless psycopg adapts it the same way unaided. Like
`bulk_create`, it calls no `save()` and sends no signals.

Must run inside a transaction: the primary keys are reserved first (from the sequence on
PostgreSQL; on SQLite, whose transactions here take the write lock when they begin, by counting
on from the highest key used)."""

from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone


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
    stamped = {
        f.attname for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }  # fmt: skip
    values = []
    for given, key in zip(rows, keys, strict=True):
        row = []
        for f in fields:
            if f.primary_key:
                row.append(key)
            elif f.attname in given:
                row.append(given[f.attname])
            else:
                row.append(now if f.attname in stamped else f.get_default())
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


def _insert(connection, model, fields, rows) -> None:
    """Prepare each value for the database as the ORM would, then write the rows."""
    prepare = [
        (index, f) for index, f in enumerate(fields)
        if connection.vendor != "postgresql" or f.get_internal_type() not in PASSED_AS_THEY_ARE
    ]  # fmt: skip
    if prepare:
        for row in rows:
            for index, f in prepare:
                row[index] = f.get_db_prep_save(row[index], connection)
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
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
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
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
