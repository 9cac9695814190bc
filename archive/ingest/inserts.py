"""Lean inserts for new articles' rows: tag rows and history rows, one statement per table.

Django's bulk_create compiles its statement anew on each call and passes every value through
several layers; at a handful of rows per article, compiling costs more than storing. A
`RowInserter` writes its statement's text once per model and only turns each value into its
database form, through the field's own pre_save and get_db_prep_save, so defaults, auto_now
dates, times and JSON are stored exactly as the ORM stores them.

A `HistoryInserter` writes django-simple-history's rows straight from the rows just stored, as
its bulk_history_create does, without building a historical model instance for each. Rows
inserted here send no signals: the caller says what the search index must refresh.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

# Statements carry up to this many values even where the backend accepts more.
MAX_PARAMS = 999


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
        values = [
            [field.get_db_prep_save(field.pre_save(obj, True), database) for field in self.fields]
            for obj in objects
        ]
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
        user = self.history_model.get_default_history_user(objects[0])
        own = {
            "history_date": timezone.now(),
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
            "history_change_reason": change_reason,
        }
        own = {
            field.attname: field.get_db_prep_save(own[field.attname], database)
            for field in self.rows.fields
            if field.attname in own
        }
        if values is None:
            written = row_inserter(type(objects[0]))
            values = [
                [
                    field.get_db_prep_save(getattr(obj, field.attname), database)
                    for field in written.fields
                ]
                for obj in objects
            ]
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


@functools.cache
def row_inserter(model: type[models.Model]) -> RowInserter:
    return RowInserter(model)


@functools.cache
def history_inserter(model: type[models.Model]) -> HistoryInserter:
    return HistoryInserter(model)
