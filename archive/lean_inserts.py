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
from collections.abc import Mapping, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

# Statements carry up to this many values even where the backend accepts more.
MAX_PARAMS = 999
# Field classes whose get_db_prep_save gives back a value of this type (or None) unchanged. The
# field's class must match exactly, since a subclass may convert, and so must the value's but
# for text (True is an int an integer column would store as 1); values of any other type, and
# every other field, go through the field. It saves several calls per value, which is most of
# the cost of preparing a row.
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
        # A column with a database default is left to the database, as the ORM does.
        self.fields = [
            field
            for field in meta.concrete_fields
            if field is not self.auto_pk and not field.has_db_default()
        ]
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

    def prepare(self, obj: object, database, *, new: bool = True, skip: str = "") -> list:
        """Return the database values of `obj`'s fields, as the ORM would write them; `new`
        fills auto_now dates as an insert does, else the values are read as they are. The
        field named `skip` is left out (row_with gives it a value)."""
        values = []
        for field, pre_save, unchanged in self._plan:
            if field.name == skip:
                continue
            value = field.pre_save(obj, True) if pre_save and new else getattr(obj, field.attname)
            # _db_value, written out: this loop runs for every value of every row.
            if unchanged is None or not (
                value is None
                or type(value) is unchanged
                or (unchanged is str and isinstance(value, str))
            ):
                value = field.get_db_prep_save(value, database)
            values.append(value)
        return values

    def insert_new(self, rows: Sequence[Mapping[str, object]]) -> None:
        """Insert new rows given as {attname: value} (see prepare_new); no keys are read back."""
        values = self.prepare_new(rows, connections[DEFAULT_DB_ALIAS])
        for start in range(0, len(values), self._rows_per_statement):
            self.insert_values(values[start : start + self._rows_per_statement])

    def prepare_new(
        self, rows: Sequence[Mapping[str, object]], database, *, skip: str = ""
    ) -> list[list]:
        """Return the database values of new rows given as {attname: value}, as `prepare` would
        for model instances holding them: fields a row does not name take their defaults,
        auto_now dates the time now. The field named `skip` is left out."""
        # A default that is no callable has one database value, and all rows take the same
        # time now: each is converted once, not once per row.
        now = timezone.now()
        today = now.date()
        plan = []
        for field, pre_save, unchanged in self._plan:
            if field.name == skip:
                continue
            if pre_save and (
                getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            ):
                default = (now if isinstance(field, models.DateTimeField) else today,)
            elif field.has_default() and callable(field.default):
                default = None  # a new value per row: get_default() gives it
            else:
                default = (field.get_default(),)
            if default is not None:
                default = (_db_value(field, unchanged, default[0], database),)
            plan.append((field, field.attname, unchanged, default))
        return [
            [
                _db_value(field, unchanged, row[attname], database)
                if attname in row
                else default[0]
                if default is not None
                else _db_value(field, unchanged, field.get_default(), database)
                for field, attname, unchanged, default in plan
            ]
            for row in rows
        ]

    def prepare_values(self, values: dict[str, object], database) -> dict[str, object]:
        """Return {attname: database value} for the given {attname: value} of some fields."""
        return {
            field.attname: _db_value(field, unchanged, values[field.attname], database)
            for field, _pre_save, unchanged in self._plan
            if field.attname in values
        }

    @functools.cache  # noqa: B019 (one inserter per model, kept for the process anyway)
    def row_with(self, name: str, expression: str) -> str:
        """Return a VALUES row whose field `name` takes `expression` instead of a placeholder."""
        return "(" + ", ".join(expression if f.name == name else "%s" for f in self.fields) + ")"

    def link_target(self, link: str) -> str:
        """Return a field that tells apart rows sharing the `link` parent: the other field of a
        unique constraint on both (a tag's target)."""
        for constraint in self.model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if link in fields and len(fields) == 2:
                return next(name for name in fields if name != link)
        raise ValueError(f"{self.model.__name__} has no unique ({link}, ...) pair of fields")

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
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            if returning is None:
                cursor.execute(sql, params)
                return {}
            cursor.execute(sql + self._returning(returning), params)
            return {value: pk for pk, value in cursor.fetchall()}

    @functools.cache  # noqa: B019 (one inserter per model, kept for the process anyway)
    def _returning(self, key_field) -> str:
        quote = connection.ops.quote_name
        return f" RETURNING {quote(self.auto_pk.column)}, {quote(key_field.column)}"


def _db_value(field, unchanged: type | None, value: object, database) -> object:
    if unchanged is not None and (
        value is None
        or type(value) is unchanged
        # Text choices are str subclasses the field passes on as they are.
        or (unchanged is str and isinstance(value, str))
    ):
        return value
    return field.get_db_prep_save(value, database)


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
        return self.rows.prepare_values(own, database)

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
        sources = self._sources(written)
        rows = [
            [
                own[source] if isinstance(source, str) else obj.pk if source < 0 else row[source]
                for source in sources
            ]
            for obj, row in zip(objects, values, strict=True)
        ]
        self.rows.insert_values(rows)

    @functools.cache  # noqa: B019 (one inserter per model, kept for the process anyway)
    def _sources(self, written: RowInserter) -> list[str | int]:
        """Return, per history field, where its value comes from: an own field's name, the
        position of the copied field among `written`'s values, or -1 for the primary key."""
        positions = {field.attname: number for number, field in enumerate(written.fields)}
        if written.auto_pk is not None:
            positions[written.auto_pk.attname] = -1
        return [
            field.attname if field.attname in self.OWN_FIELDS else positions[field.attname]
            for field in self.rows.fields
        ]


class RowsWithHistory:
    """New rows of a model and their "created" history rows.

    On PostgreSQL both go in one statement (an INSERT inside WITH feeds the history INSERT), a
    round trip saved per table; elsewhere, the rows and then their history, in two.
    """

    def __init__(self, model: type[models.Model]):
        self.rows = row_inserter(model)
        self.history = history_inserter(model)
        self.one_statement = connection.vendor == "postgresql"
        self._columns = {field.attname: field.column for field in model._meta.concrete_fields}
        history_fields = self.history.rows.fields
        self._own = [f.attname for f in history_fields if f.attname in HistoryInserter.OWN_FIELDS]

    @functools.cache  # noqa: B019 (one per model, kept for the process anyway)
    def history_sql(self, source: str) -> str:
        """Return an INSERT of the history rows of the rows a WITH query named `source` holds;
        its placeholders take `own_params`."""
        quote = connection.ops.quote_name
        history_fields = self.history.rows.fields
        # Typed placeholders: in a SELECT list, a parameter has no column to take its type from.
        select = ", ".join(
            f"CAST(%s AS {f.db_type(connection)})"
            if f.attname in self._own
            else f"{source}.{quote(self._columns[f.attname])}"
            for f in history_fields
        )
        return (
            f"INSERT INTO {quote(self.history.history_model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in history_fields)}) SELECT {select} FROM {source}"
        )

    def own_params(self, obj: models.Model, change_reason: str | None, database) -> list:
        own = self.history.own_values(obj, change_reason, database)
        return [own[attname] for attname in self._own]

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
        own_params = self.own_params(objects[0], change_reason, database)
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
                f"RETURNING *) {self.history_sql('inserted')}{returning}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, params + own_params)
                keys = {value: pk for pk, value in cursor.fetchall()}
            for obj in part:
                obj.pk = keys[getattr(obj, key_field.attname)]
                obj._state.adding = False
                obj._state.db = database.alias


def insert_with_children(
    parent: models.Model,
    children: Sequence[Sequence[models.Model]],
    *,
    key: str,
    link: str,
    change_reason: str | None = None,
    new_rows: Mapping[type[models.Model], Sequence[Mapping[str, object]]] | None = None,
) -> None:
    """Insert a new `parent` and its `children` (lists of rows of one model each, whose `link`
    foreign key points at the parent), each with its history rows, and set the parent's key (and,
    but on PostgreSQL, the children's). `new_rows` adds, per model, children given as field
    values ({attname: value}, the link left out; see RowInserter.prepare_new): no model
    instance is made for them and they get no history rows.

    On PostgreSQL it is one statement, so one round trip: each INSERT is a WITH query, the
    children take the parent's id from its query, each history INSERT reads the rows of its
    own. The children's primary keys are not read back there. Elsewhere, two statements a table.
    """
    children = [rows for rows in children if rows]
    plain = [(model, rows) for model, rows in (new_rows or {}).items() if rows]
    if connection.vendor != "postgresql":
        rows_with_history(type(parent)).insert([parent], key=key, change_reason=change_reason)
        for rows in children:
            for row in rows:
                setattr(row, link, parent)
            child = rows_with_history(type(rows[0]))
            child.insert(rows, key=child.rows.link_target(link))
        for model, rows in plain:
            attname = model._meta.get_field(link).attname
            row_inserter(model).insert_new([{**row, attname: parent.pk} for row in rows])
        return
    import psycopg  # here: a SQLite archive runs without it

    database = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    top = rows_with_history(type(parent))
    queries = [f"parent AS ({top.rows._head}{top.rows._row} RETURNING *)"]
    params = top.rows.prepare(parent, database)
    queries.append(f"parent_history AS ({top.history_sql('parent')})")
    params += top.own_params(parent, change_reason, database)
    parent_id = f"(SELECT {quote(top._columns[top.rows.auto_pk.attname])} FROM parent)"
    for number, rows in enumerate(children):
        child = rows_with_history(type(rows[0]))
        row_sql = child.rows.row_with(link, parent_id)
        queries.append(
            f"child{number} AS ({child.rows._head}{', '.join([row_sql] * len(rows))} RETURNING *)"
        )
        for row in rows:
            params += child.rows.prepare(row, database, skip=link)
        queries.append(f"child{number}_history AS ({child.history_sql(f'child{number}')})")
        params += child.own_params(rows[0], None, database)
    for number, (model, rows) in enumerate(plain):
        inserter = row_inserter(model)
        row_sql = inserter.row_with(link, parent_id)
        queries.append(f"new{number} AS ({inserter._head}{', '.join([row_sql] * len(rows))})")
        for values in inserter.prepare_new(rows, database, skip=link):
            params += values
    sql = f"WITH {', '.join(queries)} {parent_id[1:-1]}"
    # Values go to the server apart from the text ($1, $2... placeholders, server-side binding):
    # with a hundred of them, psycopg's client-side binding parses the statement in Python on
    # every call, which took longer than the server took to run it. Django's CursorWrapper
    # still applies its execute wrappers and error translation.
    pieces = sql.split("%s")
    numbered = "".join(f"{piece}${number}" for number, piece in enumerate(pieces[:-1], 1))
    with CursorWrapper(psycopg.RawCursor(database.connection), database) as cursor:
        cursor.execute(numbered + pieces[-1], params)
        (parent.pk,) = cursor.fetchone()
    parent._state.adding = False
    parent._state.db = database.alias
    for rows in children:
        for row in rows:
            setattr(row, link, parent)


@functools.cache
def rows_with_history(model: type[models.Model]) -> RowsWithHistory:
    return RowsWithHistory(model)


@functools.cache
def row_inserter(model: type[models.Model]) -> RowInserter:
    return RowInserter(model)


@functools.cache
def history_inserter(model: type[models.Model]) -> HistoryInserter:
    return HistoryInserter(model)
