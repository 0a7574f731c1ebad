"""Writing a few million rows in minutes: the two places where `bulk_create` alone is too slow.

Measured on PostgreSQL while seeding: sending each session's and run's plan (about 10 KB of
JSON, shared by thousands of rows) row by row, and building a model instance for each of the
run events (about 430 a person), were most of the time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.utils.functional import Promise


@contextmanager
def plans_written_once(model, rows: list) -> Iterator[None]:
    """Insert `rows` with empty plans, then give each distinct plan to its rows in one UPDATE.

    Row by row, PostgreSQL parses and compresses every copy of a plan, and Django's bulk insert
    (UNNEST on PostgreSQL) has psycopg escape every quote of every copy.
    """
    plans = {id(row.plan): row.plan for row in rows}
    kept = [(row, id(row.plan)) for row in rows]
    for row in rows:
        row.plan = []
    yield
    holders: dict[int, list[int]] = defaultdict(list)
    for row, plan_id in kept:
        row.plan = plans[plan_id]
        holders[plan_id].append(row.pk)
    for plan_id, pks in holders.items():
        model.objects.filter(pk__in=pks).update(plan=plans[plan_id])


def insert_rows(model, fields: Sequence[str], rows: list[tuple]) -> None:
    """Plain rows (no model instances, no ids wanted back) into `model`'s table.

    PostgreSQL gets them through COPY (psycopg adapts the values as it does for the ORM); other
    databases through one prepared INSERT, each value first converted by its field the way
    the ORM converts it (SQLite stores aware times as UTC text, for instance).
    """
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    # A translatable text (an event's detail) is written in the active language.
                    copy.write_row(tuple(str(v) if isinstance(v, Promise) else v for v in row))
            return
        converted = [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(columns, row, strict=True))
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", converted)
