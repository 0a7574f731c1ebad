"""What the database holds, in forms cheap enough to compare before and after every request.

`rows_of(user)`: every row a person owns, field by field (the isolation tests compare them).
`tally()`: the row count and highest primary key of every model of the app and of the users, a
checksum that catches any row made or deleted. `rows_under(objects)`: the given rows and the rows
that hang off them (a routine's steps, a course's sessions), which catches a row changed in place.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection


def _owner_path(model, depth: int = 3) -> str | None:
    """The lookup from `model` to the person who owns its rows ("routine__owner"), if any."""
    user_model = get_user_model()
    paths = [(model, "")]
    for _ in range(depth):
        found = []
        for current, path in paths:
            for f in current._meta.get_fields():
                if not (f.many_to_one or f.one_to_one) or not f.concrete:
                    continue
                lookup = f"{path}__{f.name}" if path else f.name
                if f.related_model is user_model:
                    return lookup
                if f.related_model is not current:
                    found.append((f.related_model, lookup))
        paths = found
    return None


def app_models() -> list:
    return [*apps.get_app_config("routines").get_models(), get_user_model()]


def owned_models() -> list[tuple[type, str]]:
    """Every model of the app whose rows belong to a person, with the lookup to that person."""
    return [
        (model, path)
        for model in apps.get_app_config("routines").get_models()
        if (path := _owner_path(model))
    ]


def rows_of(user) -> dict[str, list[dict]]:
    """Every row the person owns, in every model that leads to an owner, field by field."""
    rows = {
        model._meta.label: list(model.objects.filter(**{path: user}).order_by("pk").values())
        for model, path in owned_models()
    }
    rows["auth.User"] = list(get_user_model().objects.filter(pk=user.pk).values())
    return rows


def tally() -> dict[str, tuple[int, int | None]]:
    """Per model: how many rows, and the highest primary key; one query for them all."""
    quote = connection.ops.quote_name
    models = app_models()
    parts = [
        f"SELECT {i}, COUNT(*), MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)}"
        for i, m in enumerate(models)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {models[i]._meta.label: (count, top) for i, count, top in cursor.fetchall()}


def rows_under(objects) -> dict[str, str]:
    """A digest per table of the given rows and of the rows pointing at them by foreign key.

    Plain SQL, one query per table: it runs twice around every request the fuzzer sends.
    """
    wanted: dict[tuple[str, str], set] = {}  # (table, column) -> values
    for obj in objects:
        meta = obj._meta
        wanted.setdefault((meta.db_table, meta.pk.column), set()).add(obj.pk)
        for relation in meta.related_objects:
            related = relation.related_model._meta
            if related.app_label == "routines" and (relation.one_to_many or relation.one_to_one):
                key = (related.db_table, relation.field.column)
                wanted.setdefault(key, set()).add(obj.pk)
    quote = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        for (table, column), values in sorted(wanted.items()):
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(
                f"SELECT * FROM {quote(table)} WHERE {quote(column)} IN ({marks}) ORDER BY 1",
                sorted(values),
            )
            digest = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
            digests[f"{table}.{column}"] = digest
    return digests
