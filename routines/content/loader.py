"""Load the TOML content into the database, following the description in `schema.py`.

Every file is read and checked first; nothing is written unless all of them are valid, and the
writing happens in one transaction. Rows are matched on their natural key and saved only when a
value differs, so loading twice changes nothing the second time.
"""

import copy
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from modeltranslation.translator import NotRegistered, translator

from routines.models import LibraryVersion

from .schema import REQUIRED, TABLES, Child, Field, Many, Ref, Table

CONTENT_DIR = Path(__file__).resolve().parent
# The Russian texts: one file per English file, one table per item keyed by its natural key
# (`[technique.light-stroking]`, `[rule."kidney-no-percussion"]`), holding only text keys.
# A ready-made routine's step notes come as one list, `notes`, in the order of its steps.
TRANSLATIONS = {"ru": "ru"}
STEP_NOTES = "notes"

# The TOML type each kind of model field must be written as; nothing is coerced.
TOML_TYPES: dict[str, type] = {
    "CharField": str,
    "SlugField": str,
    "TextField": str,
    "BooleanField": bool,
    "IntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "JSONField": list,
}
TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", list: "a list"}


class LoadError(Exception):
    """Every problem found, one a line, each naming the file, the item and the field."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Count:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


@dataclass
class LoadReport:
    counts: dict[str, Count] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated + c.deleted for c in self.counts.values())

    def lines(self) -> list[str]:
        return [f"{label}: {count}" for label, count in self.counts.items()]


@dataclass
class Row:
    """One checked item: plain values by model field, references still as natural keys."""

    key: Any
    label: str
    values: dict[str, Any]
    refs: dict[str, Any]
    many: dict[str, list]
    children: dict[str, list["Row"]]


def load(content_dir: Path = CONTENT_DIR) -> LoadReport:
    """Load every table of `schema.TABLES`; raise LoadError and write nothing if any item is bad."""
    parsed = Reader(Path(content_dir)).read_all()
    report = LoadReport()
    with transaction.atomic():
        writer = Writer(report)
        for table, rows in parsed:
            writer.write(table, rows)
        # Cached library pages are keyed by the version: the new content shows at once.
        LibraryVersion.objects.bump()
    return report


def read_items(table: Table, content_dir: Path = CONTENT_DIR) -> list[Any]:
    """The raw items of a table's file, unchecked."""
    with (Path(content_dir) / table.file).open("rb") as fh:
        return tomllib.load(fh).get(table.array, [])


def describe(table: Table, key: Any, index: int) -> str:
    if table.keyed_by_position:
        return f"{table.array} {index}"
    if isinstance(key, str):
        return f"{table.array} '{key}'"
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{table.array} {table.key}={key}"
    return f"{table.array} #{index}"


def has_type(value: Any, expected: type) -> bool:
    if isinstance(value, bool):  # an int to Python, never to an author
        return expected in (bool, object)
    return isinstance(value, expected)


def choices_hint(error: ValidationError, model_field: models.Field) -> str:
    if not any(e.code == "invalid_choice" for e in error.error_list):
        return ""
    return " Use one of: " + ", ".join(str(value) for value, _ in model_field.flatchoices)


def translated_fields(model: type[models.Model]) -> set[str]:
    """The fields of `model` that have a column per language (routines/translation.py)."""
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def hashable_key(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


class Reader:
    """Reads and checks every file, collecting every problem before anything is written."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.errors: list[str] = []
        self.known: dict[tuple[type[models.Model], str], set] = {}
        self.files: dict[str, dict] = {}
        self.broken: set[str] = set()

    def read_all(self) -> list[tuple[Table, list[Row]]]:
        parsed = []
        for table in TABLES:
            items = self.items(table)
            self.known[(table.model, table.key)] = {
                item.get(table.key)
                for item in items
                if isinstance(item, dict) and hashable_key(item.get(table.key))
            }
            overlays = self.overlays(table)
            parsed.append((table, self.rows(table, items, table.file + ":", overlays)))
        if self.errors:
            raise LoadError(self.errors)
        return parsed

    def error(self, where: str, key: str | None, problem: str) -> None:
        self.errors.append(f"{where}, field '{key}': {problem}" if key else f"{where}: {problem}")

    def file(self, name: str, arrays: set[str] | None = None) -> dict:
        if name not in self.files:
            self.files[name] = {}
            try:
                with (self.content_dir / name).open("rb") as fh:
                    self.files[name] = tomllib.load(fh)
            except OSError as exc:
                self.broken.add(name)
                self.error(name, None, f"cannot be read ({exc.strerror})")
            except tomllib.TOMLDecodeError as exc:
                self.broken.add(name)
                self.error(name, None, f"is not valid TOML ({exc})")
            else:
                if arrays is None:
                    arrays = {t.array for t in TABLES if t.file == name}
                else:  # a translation: the same tables, keyed instead of listed
                    english = name.split("/", 1)[-1]
                    arrays = {t.array for t in TABLES if t.file == english}
                for extra in sorted(set(self.files[name]) - arrays):
                    self.error(name, None, f"unknown table [[{extra}]]")
        return self.files[name]

    def items(self, table: Table) -> list:
        data = self.file(table.file)
        items = data.get(table.array)
        if items is None:
            if table.file not in self.broken:
                self.error(table.file, None, f"has no [[{table.array}]] items")
            return []
        if not isinstance(items, list):
            self.error(table.file, table.array, "must be an array of tables [[...]]")
            return []
        return items

    def overlays(self, table: Table) -> dict[str, dict]:
        """Per language, the translated items of a table's file, by natural key as text."""
        found = {}
        for language, folder in TRANSLATIONS.items():
            name = f"{folder}/{table.file}"
            if not (self.content_dir / name).exists():
                continue  # a content folder without that language: English only
            items = self.file(name, arrays=set()).get(table.array, {})
            if not isinstance(items, dict):
                self.error(name, table.array, "must be a table of items keyed by their key")
                continue
            found[language] = {str(key): item for key, item in items.items()}
        return found

    def rows(
        self, table: Table, items: list, where: str, overlays: dict[str, dict] | None = None
    ) -> list[Row]:
        rows: list[Row] = []
        seen: set = set()
        overlays = overlays or {}
        for index, item in enumerate(items, start=1):
            row = self.row(table, item, index, where, overlays)
            if row is None:
                continue
            if row.key in seen:
                self.error(row.label, table.key, f"appears again as item {index} of the file")
            seen.add(row.key)
            rows.append(row)
        for language, translated in overlays.items():
            for key in sorted(set(translated) - {str(k) for k in seen}):
                self.error(f"{TRANSLATIONS[language]}/{table.file}", key, "is not an item here")
        return rows

    def row(
        self, table: Table, item: Any, index: int, where: str, overlays: dict[str, dict]
    ) -> Row | None:
        if not isinstance(item, dict):
            self.error(f"{where} {table.array} #{index}", None, "is not a table")
            return None
        key = index if table.keyed_by_position else item.get(table.key)
        label = f"{where} {describe(table, key, index)}"
        self.unknown_keys(table, item, label)
        values = {}
        if not table.keyed_by_position:
            key = values[table.key] = self.value(table, Field(table.key), item, label)
            if not hashable_key(key):
                return None  # already reported: missing or of the wrong type
        if table.position:
            values[table.position] = index
        for spec in table.fields:
            values[spec.name] = self.value(table, spec, item, label)
        for check in table.checks:
            for key, problem in check(item):
                self.error(label, key, problem)
        translated = {language: items.get(str(key)) for language, items in overlays.items()}
        self.translate(table, values, translated, label)
        return Row(
            key=key,
            label=label,
            values=values,
            refs={ref.key: self.ref(ref, item, label) for ref in table.refs},
            many={many.key: self.many(many, item, label) for many in table.many},
            children={
                child.key: self.children(child, item, label, translated) for child in table.children
            },
        )

    def translate(
        self, table: Table, values: dict, translated: dict[str, dict | None], label: str
    ) -> None:
        """English texts to their `_en` columns, each language's to its own (None: missing)."""
        fields = translated_fields(table.model)
        if not fields:
            return
        specs = [spec for spec in table.fields if spec.name in fields]
        for language, item in translated.items():
            item = item or {}
            known = {spec.key for spec in specs} | ({STEP_NOTES} if table.children else set())
            for extra in sorted(set(item) - known):
                self.error(f"{TRANSLATIONS[language]}/{label}", extra, "unknown text key")
            for spec in specs:
                value = item.get(spec.key)
                where = f"{TRANSLATIONS[language]}/{label}"
                column = table.model._meta.get_field(f"{spec.name}_{language}")
                try:
                    if value is not None and spec.convert:
                        value = spec.convert(value)
                    if value is not None:
                        column.clean(value, None)  # e.g. longer than the column holds
                except ValueError as exc:
                    self.error(where, spec.key, str(exc))
                except ValidationError as exc:
                    self.error(where, spec.key, " ".join(exc.messages))
                values[f"{spec.name}_{language}"] = value
        for spec in specs:
            values[f"{spec.name}_en"] = values.pop(spec.name)

    def unknown_keys(self, table: Table, item: dict, label: str) -> None:
        allowed = [table.key] * (not table.keyed_by_position) + [c.key for c in table.columns]
        for key in item:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.error(label, key, f"unknown key{hint}")

    def value(self, table: Table, spec: Field, item: dict, label: str) -> Any:
        if spec.key not in item:
            if spec.default is REQUIRED:
                self.error(label, spec.key, "is required")
                return None
            return copy.deepcopy(spec.default)  # a list default must not be shared by rows
        value = item[spec.key]
        model_field = table.model._meta.get_field(spec.name)
        expected = TOML_TYPES.get(model_field.get_internal_type(), object)
        try:
            if spec.convert:
                value = spec.convert(value)
            elif not has_type(value, expected):
                raise ValueError(f"must be {TYPE_NAMES[expected]}, not {value!r}")
            model_field.clean(value, None)
        except ValueError as exc:
            self.error(label, spec.key, str(exc))
        except ValidationError as exc:
            self.error(label, spec.key, " ".join(exc.messages) + choices_hint(exc, model_field))
        return value

    def target(self, spec: Ref | Many, value: Any, label: str) -> None:
        what = spec.model._meta.verbose_name
        if not hashable_key(value):
            self.error(label, spec.key, f"must name a {what} by its {spec.by}, not {value!r}")
        elif value not in self.known[(spec.model, spec.by)]:
            self.error(label, spec.key, f"no {what} has {spec.by} {value!r}")

    def ref(self, spec: Ref, item: dict, label: str) -> Any:
        if spec.key not in item:
            if not spec.optional:
                self.error(label, spec.key, "is required")
            return None
        self.target(spec, item[spec.key], label)
        return item[spec.key]

    def many(self, spec: Many, item: dict, label: str) -> list:
        values = item.get(spec.key, [])
        if not isinstance(values, list):
            self.error(label, spec.key, f"must be a list, not {values!r}")
            return []
        if not values and not spec.optional:
            self.error(label, spec.key, f"must list at least one {spec.model._meta.verbose_name}")
        for value in values:
            self.target(spec, value, label)
        return values

    def children(
        self, child: Child, item: dict, label: str, translated: dict[str, dict | None]
    ) -> list[Row]:
        items = item.get(child.key, [])
        if not isinstance(items, list) or not items:
            self.error(label, child.key, f"needs at least one [[{child.key}]] table")
            return []
        overlays = {}
        for language, parent in translated.items():
            notes = (parent or {}).get(STEP_NOTES, [])
            if not isinstance(notes, list) or len(notes) not in (0, len(items)):
                problem = f'must list one note per step ({len(items)}), "" where there is none'
                self.error(f"{TRANSLATIONS[language]}/{label}", STEP_NOTES, problem)
                notes = []
            overlays[language] = {str(i): {"note": n} for i, n in enumerate(notes, 1) if n}
        return self.rows(child.table, items, label, overlays)


class Writer:
    """Writes checked rows, saving only what differs from the database."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.pks: dict[tuple[type[models.Model], str], dict[Any, int]] = {}

    def write(self, table: Table, rows: list[Row], parent: dict | None = None) -> None:
        """Write one table; `parent` scopes child rows to the row that owns them."""
        scope = {**table.scope, **(parent or {})}
        count = self.report.counts.setdefault(table.label, Count())
        existing = {
            getattr(obj, table.key): obj
            for obj in table.model.objects.filter(**scope).prefetch_related(
                *(many.name for many in table.many)
            )
        }
        objects: dict[Any, models.Model] = {}
        created, changed = set(), set()
        for row in rows:
            obj = objects[row.key] = existing.get(row.key) or table.model(**scope)
            if obj.pk is None:
                created.add(row.key)
            if self.save(obj, row, {**row.values, **self.ref_values(table, row, own=False)}):
                changed.add(row.key)
            if self.set_many(table, obj, row, fresh=row.key in created):
                changed.add(row.key)
            for child in table.children:
                self.write(child.table, row.children[child.key], {child.parent: obj})
        if parent is None:  # child rows are never referred to
            self.pks[(table.model, table.key)] = {k: obj.pk for k, obj in objects.items()}
        # A row may point to one further down its own file: link them once all exist.
        for row in rows:
            if self.save(objects[row.key], row, self.ref_values(table, row, own=True)):
                changed.add(row.key)
        count.created += len(created)
        count.updated += len(changed - created)
        count.unchanged += len(rows) - len(changed | created)
        if table.prune:
            count.deleted += self.prune(table, scope, keep=[obj.pk for obj in objects.values()])

    def ref_values(self, table: Table, row: Row, own: bool) -> dict[str, int | None]:
        """Foreign keys as `<field>_id` values; `own` picks the references to the same table."""
        values = {}
        for ref in table.refs:
            if (ref.model is table.model) is own:
                attname = table.model._meta.get_field(ref.name).attname
                target = row.refs[ref.key]
                values[attname] = None if target is None else self.pks[(ref.model, ref.by)][target]
        return values

    def save(self, obj: models.Model, row: Row, values: dict[str, Any]) -> bool:
        """Set the values on obj and save it if any of them differs, or if obj is new."""
        different = {name: v for name, v in values.items() if getattr(obj, name) != v}
        if obj.pk is not None and not different:
            return False
        for name, value in different.items():
            setattr(obj, name, value)
        try:
            obj.save()
        except (IntegrityError, DataError) as exc:
            raise LoadError([f"{row.label}: the database refused it ({exc})"]) from exc
        return True

    def set_many(self, table: Table, obj: models.Model, row: Row, fresh: bool) -> bool:
        changed = False
        for spec in table.many:
            manager = getattr(obj, spec.name)
            wanted = {self.pks[(spec.model, spec.by)][key] for key in row.many[spec.key]}
            current = set() if fresh else {o.pk for o in manager.all()}
            if wanted != current:
                manager.set(wanted)
                changed = True
        return changed

    def prune(self, table: Table, scope: dict, keep: list[int]) -> int:
        stale = table.model.objects.filter(**scope).exclude(pk__in=keep)
        _, deleted = stale.delete()
        return deleted.get(table.model._meta.label, 0)
