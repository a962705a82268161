"""A set of ids stored in one column: `bigint[]` on PostgreSQL, JSON text elsewhere.

`Event.participant_ids` holds its participants' actor ids so that PostgreSQL can index them
beside the search vector in one GIN index (migration 0018): a search with an actor is then one
bitmap index scan that intersects both conditions. SQLite has no such index; the column is
kept there too (as `[1,2,3]`), so every write path and every check is the same on both.
"""

import json

from django.db import models
from django.db.models import Lookup


class IdSetField(models.Field):
    """Sorted, distinct ids (bigint, like primary keys). Python: a list of ints, `[]` if none."""

    description = "A sorted set of ids"

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = json.loads(value)
        return sorted({int(item) for item in value})

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or connection.vendor == "postgresql":
            return value
        # The form SQLite's json_group_array writes, so stored and derived values compare equal.
        return json.dumps(value, separators=(",", ":"))

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))


class _IdSetLookup(Lookup):
    """`ids__has_any=[…]` / `ids__has_all=[…]`; the right-hand side is a list of ints."""

    prepare_rhs = False
    pg_operator = ""

    def _parts(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted({int(item) for item in self.rhs})
        return lhs, list(lhs_params), ids

    def as_postgresql(self, compiler, connection):
        lhs, params, ids = self._parts(compiler, connection)
        # A literal array (the planner reads each id's share from the column's statistics).
        return f"{lhs} {self.pg_operator} %s::bigint[]", (*params, ids)


@IdSetField.register_lookup
class HasAny(_IdSetLookup):
    lookup_name = "has_any"
    pg_operator = "&&"

    def as_sql(self, compiler, connection):
        lhs, params, ids = self._parts(compiler, connection)
        marks = ", ".join(["%s"] * len(ids))
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE value IN ({marks}))", (*params, *ids)


@IdSetField.register_lookup
class HasAll(_IdSetLookup):
    lookup_name = "has_all"
    pg_operator = "@>"

    def as_sql(self, compiler, connection):
        lhs, params, ids = self._parts(compiler, connection)
        marks = ", ".join(["%s"] * len(ids))
        sql = f"(SELECT count(*) FROM json_each({lhs}) WHERE value IN ({marks})) = %s"
        return sql, (*params, *ids, len(ids))
