"""Lean inserts for new rows: an article's row, its tag rows, their history, the change log.

Django's bulk_create compiles its statement anew on each call and passes every value through
several layers; at a handful of rows per article, compiling costs more than storing. A
`RowInserter` writes its statement's text once per model and only turns each value into its
database form, through the field's own pre_save and get_db_prep_save (skipped where they would
give the value back unchanged), so defaults, auto_now dates, times and JSON are stored exactly
as the ORM stores them.

A `HistoryInserter` writes django-simple-history's "created" rows straight from the rows just
stored, as its bulk_history_create does, without a historical model instance for each;
`RowsWithHistory` does both, in one statement on PostgreSQL. Rows inserted here send no model
signals: the caller tells the search index what changed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

# Statements carry up to this many values even where the backend accepts more.
MAX_PARAMS = 999
# Field classes whose get_db_prep_save gives back a value of this type (or None) unchanged. The
# class must match exactly, since a subclass may convert; values of any other type, and every
# other field, go through the field. It saves several calls per value, which is most of the cost
# of preparing a row.
UNCHANGED_TYPES = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.URLField: str,
    models.SmallIntegerField: int,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.FloatField: float,
    models.BooleanField: bool,
    models.ForeignKey: int,
}


class RowInserter:
    """A model's multi-row INSERT, its text built once."""

    def __init__(self, model: type[models.Model]):
        meta = model._meta
        self.model = model
        # AutoField's isinstance check also accepts BigAutoField and SmallAutoField.
        self.auto_pk = meta.pk if isinstance(meta.pk, models.AutoField) else None
        self.fields = [field for field in meta.concrete_fields if field is not self.auto_pk]
        quote = connection.ops.quote_name
        self._head = (
            f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(field.column) for field in self.fields)}) VALUES "
        )
        self._row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self._rows_per_statement = max(1, MAX_PARAMS // len(self.fields))
        # Per field: whether its pre_save does more than read the attribute (auto_now dates),
        # and the type it stores unchanged, if any.
        self._plan = [
            (
                field,
                type(field).pre_save is not models.Field.pre_save,
                UNCHANGED_TYPES.get(type(field)),
            )
            for field in self.fields
        ]

    def prepare(self, obj: object, database, *, new: bool = True) -> list:
        """Return the database values of `obj`'s fields, as the ORM would write them; `new`
        fills auto_now dates as an insert does, else the values are read as they are."""
        values = []
        for field, pre_save, unchanged in self._plan:
            value = field.pre_save(obj, True) if pre_save and new else getattr(obj, field.attname)
            if unchanged is None or (value is not None and type(value) is not unchanged):
                value = field.get_db_prep_save(value, database)
            values.append(value)
        return values

    def insert(self, objects: Sequence[object], *, key: str = "") -> list[list]:
        """Insert `objects` and return the database values written for each, field by field.

        With `key`, the primary keys the database hands out are set on the objects; `key` names
        a field whose value tells the objects apart (a tag's target), so that matching keys to
        objects never depends on the order rows come back in.
        """
        if key and self.auto_pk is None:
            raise ValueError(f"{self.model.__name__} has no auto primary key to read back")
        # The connection itself, not django.db.connection: that proxy costs a context-local
        # look-up on every attribute, and fields read it once per value.
        database = connections[DEFAULT_DB_ALIAS]
        values = [self.prepare(obj, database) for obj in objects]
        key_field = self.model._meta.get_field(key) if key else None
        for start in range(0, len(objects), self._rows_per_statement):
            end = start + self._rows_per_statement
            keys = self.insert_values(values[start:end], returning=key_field)
            if key_field is not None:
                for obj in objects[start:end]:
                    obj.pk = keys[getattr(obj, key_field.attname)]
                    obj._state.adding = False
                    obj._state.db = database.alias
        return values

    def insert_values(self, rows: list[list], *, returning=None) -> dict:
        """Insert rows of database values; with a `returning` field, return {its value: pk}."""
        sql = self._head + ", ".join([self._row] * len(rows))
        params = [value for row in rows for value in row]
        with connection.cursor() as cursor:
            if returning is None:
                cursor.execute(sql, params)
                return {}
            quote = connection.ops.quote_name
            cursor.execute(
                f"{sql} RETURNING {quote(self.auto_pk.column)}, {quote(returning.column)}", params
            )
            return {value: pk for pk, value in cursor.fetchall()}


class HistoryInserter:
    """Writes the "created" history rows of objects just inserted."""

    # The historical fields that do not copy a field of the model.
    OWN_FIELDS = ("history_date", "history_type", "history_user_id", "history_change_reason")

    def __init__(self, model: type[models.Model]):
        self.history_model = model.history.model
        self.rows = RowInserter(self.history_model)
        copied = {field.attname for field in model._meta.concrete_fields}
        unknown = [
            field.attname
            for field in self.rows.fields
            if field.attname not in copied and field.attname not in self.OWN_FIELDS
        ]
        if unknown:
            raise ValueError(
                f"{self.history_model.__name__} has fields {unknown} this inserter cannot fill; "
                "use simple_history's bulk_history_create instead"
            )

    def own_values(self, obj: models.Model, change_reason: str | None, database) -> dict:
        """Return {attname: database value} of the fields a history row does not copy."""
        user = self.history_model.get_default_history_user(obj)
        own = {
            "history_date": timezone.now(),
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
            "history_change_reason": change_reason,
        }
        return {
            field.attname: field.get_db_prep_save(own[field.attname], database)
            for field in self.rows.fields
            if field.attname in own
        }

    def insert(
        self,
        objects: Sequence[models.Model],
        *,
        change_reason: str | None = None,
        written: RowInserter | None = None,
        values: list[list] | None = None,
    ) -> None:
        """Insert a history row for each object; `written` and `values` (what its insert
        returned) let the copied fields reuse the database values instead of preparing them
        again."""
        if not objects:
            return
        database = connections[DEFAULT_DB_ALIAS]
        own = self.own_values(objects[0], change_reason, database)
        if values is None:
            written = row_inserter(type(objects[0]))
            values = [written.prepare(obj, database, new=False) for obj in objects]
        rows = []
        for obj, obj_values in zip(objects, values, strict=True):
            copied = dict(zip((field.attname for field in written.fields), obj_values, strict=True))
            if written.auto_pk is not None:
                copied[written.auto_pk.attname] = obj.pk
            rows.append(
                [
                    own[field.attname] if field.attname in own else copied[field.attname]
                    for field in self.rows.fields
                ]
            )
        self.rows.insert_values(rows)


class RowsWithHistory:
    """New rows of a model and their "created" history rows.

    On PostgreSQL both go in one statement (an INSERT inside WITH feeds the history INSERT), a
    round trip saved per table; elsewhere, the rows and then their history, in two.
    """

    def __init__(self, model: type[models.Model]):
        self.rows = row_inserter(model)
        self.history = history_inserter(model)
        self.one_statement = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        columns = {field.attname: field.column for field in model._meta.concrete_fields}
        history_fields = self.history.rows.fields
        self._own = [f.attname for f in history_fields if f.attname in HistoryInserter.OWN_FIELDS]
        select = ", ".join(
            "%s" if f.attname in self._own else f"inserted.{quote(columns[f.attname])}"
            for f in history_fields
        )
        self._history_sql = (
            f"INSERT INTO {quote(self.history.history_model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in history_fields)}) SELECT {select} FROM inserted"
        )
        self._columns = columns

    def insert(
        self, objects: Sequence[models.Model], *, key: str, change_reason: str | None = None
    ) -> None:
        """Insert `objects` (setting their primary keys, matched by `key`) and their history."""
        if not objects:
            return
        if not self.one_statement:
            values = self.rows.insert(objects, key=key)
            self.history.insert(
                objects, change_reason=change_reason, written=self.rows, values=values
            )
            return
        database = connections[DEFAULT_DB_ALIAS]
        own = self.history.own_values(objects[0], change_reason, database)
        own_params = [own[attname] for attname in self._own]
        key_field = self.rows.model._meta.get_field(key)
        quote = connection.ops.quote_name
        returning = (
            f" RETURNING {quote(self._columns[self.rows.auto_pk.attname])}, "
            f"{quote(key_field.column)}"
        )
        step = self.rows._rows_per_statement
        for start in range(0, len(objects), step):
            part = objects[start : start + step]
            params = [value for obj in part for value in self.rows.prepare(obj, database)]
            sql = (
                f"WITH inserted AS ({self.rows._head}{', '.join([self.rows._row] * len(part))} "
                f"RETURNING *) {self._history_sql}{returning}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, params + own_params)
                keys = {value: pk for pk, value in cursor.fetchall()}
            for obj in part:
                obj.pk = keys[getattr(obj, key_field.attname)]
                obj._state.adding = False
                obj._state.db = database.alias


@functools.cache
def rows_with_history(model: type[models.Model]) -> RowsWithHistory:
    return RowsWithHistory(model)


@functools.cache
def row_inserter(model: type[models.Model]) -> RowInserter:
    return RowInserter(model)


@functools.cache
def history_inserter(model: type[models.Model]) -> HistoryInserter:
    return HistoryInserter(model)
