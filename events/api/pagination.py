"""Keyset (cursor) pagination: deep pages cost what the first page costs, and nothing is counted.

A page is `ORDER BY <keys> LIMIT page_size + 1` after a row-value comparison with the last row
seen, e.g. `(date_lower, id) > ('2025-02-18', 42)`, which the composite index answers
directly. Mixed directions (`-importance, date_lower, id`) expand to
`importance < 3 OR (importance = 3 AND (date_lower, id) > (…))`. The cursor is opaque
(base64 of the ordering and the key values) and is checked against the current ordering.
"""

import base64
import binascii
from collections.abc import Sequence

import orjson
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, Expression, F, FloatField, Q, QuerySet, Value
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from events.rows import first_rows


class RowCompare(Expression):
    """`(a, b, …) > (x, y, …)` (or `<`): one comparison the database can answer from an index."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fields: Sequence[str], values: Sequence, operator: str):
        super().__init__()
        assert operator in ("<", ">")
        self.columns = [F(name) for name in fields]
        self.values = list(values)
        self.operator = operator

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = [], [], []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            lhs.append(sql)
            params.extend(column_params)
        for column, value in zip(self.columns, self.values, strict=True):
            sql, value_params = compiler.compile(Value(value, output_field=column.output_field))
            rhs.append(sql)
            params.extend(value_params)
        return f"({', '.join(lhs)}) {self.operator} ({', '.join(rhs)})", params


def keyset_after(ordering: Sequence[str], values: Sequence) -> Q:
    """Rows strictly after `values` in `ordering` (names with "-" for descending)."""
    names = [name.lstrip("-") for name in ordering]
    descending = [name.startswith("-") for name in ordering]
    run = 1  # the leading fields sharing the first field's direction form one row comparison
    while run < len(ordering) and descending[run] == descending[0]:
        run += 1
    after = RowCompare(names[:run], values[:run], "<" if descending[0] else ">")
    if run == len(ordering):
        return Q(after)
    same = Q(**dict(zip(names[:run], values[:run], strict=True)))
    return Q(after) | (same & keyset_after(ordering[run:], values[run:]))


def reversed_ordering(ordering: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


class KeysetPagination(BasePagination):
    """Cursor pages over value rows: `{"next": url|null, "previous": url|null, "results": […]}`."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 50
    max_page_size = 500

    def __init__(self, page_size: int | None = None):
        if page_size is not None:
            self.page_size = page_size
        self.next_url: str | None = None
        self.previous_url: str | None = None

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def paginate_values(
        self, queryset: QuerySet, request, ordering: Sequence[str], columns: Sequence[str]
    ) -> list[dict]:
        """A page of `queryset.values(*columns)` in `ordering` (which must end in a unique key)."""
        keys = [name.lstrip("-") for name in ordering]
        fields = list(dict.fromkeys([*columns, *keys]))
        return self._paginate(
            queryset,
            request,
            ordering,
            lambda page, size: list(page.values(*fields)[:size]),
            dict.__getitem__,
        )

    def paginate_rows(
        self, queryset: QuerySet, request, ordering: Sequence[str], *, posts: bool = True
    ) -> list:
        """A page of event rows (events.rows.EventRow) in `ordering`: keys first, as
        events.rows.first_rows reads them, for event lists, whose covering indexes answer
        the keys; `posts` as there."""
        keys = tuple(name.lstrip("-") for name in ordering)
        return self._paginate(
            queryset,
            request,
            ordering,
            lambda page, size: first_rows(page, size, extra=keys, posts=posts),
            lambda row, key: row.extra[key],
        )

    def _paginate(self, queryset, request, ordering, fetch, key_value) -> list:
        self.request = request
        self.ordering = list(ordering)
        keys = [name.lstrip("-") for name in ordering]
        size = self.get_page_size(request)
        cursor = self._decode(request.query_params.get(self.cursor_query_param), queryset)
        backwards = bool(cursor and cursor["back"])
        order = reversed_ordering(ordering) if backwards else self.ordering
        if cursor:
            queryset = queryset.filter(keyset_after(order, cursor["values"]))
        rows = fetch(queryset.order_by(*order), size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        has_next = more if not backwards else True
        has_previous = more if backwards else cursor is not None
        self.next_url = (
            self._link([key_value(rows[-1], key) for key in keys], back=False)
            if has_next and rows
            else None
        )
        self.previous_url = None
        if has_previous:
            if rows:
                self.previous_url = self._link([key_value(rows[0], key) for key in keys], back=True)
            elif cursor and not backwards:  # walked past the end: step back from where we were
                self.previous_url = self._url({"o": self.ordering, "v": cursor["raw"], "b": True})
        return rows

    def get_paginated_response(self, data) -> Response:
        return Response(self.get_paginated_data(data))

    def get_paginated_data(self, data) -> dict:
        return {"next": self.next_url, "previous": self.previous_url, "results": data}

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from a previous page's `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_link_header(self) -> str | None:
        """RFC 8288 links, for exports (CSV, iCalendar) whose body cannot carry them."""
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.next_url), ("prev", self.previous_url))
            if url
        ]
        return ", ".join(links) or None

    # Cursor encoding -----------------------------------------------------------------------

    def _link(self, values: list, *, back: bool) -> str:
        return self._url({"o": self.ordering, "v": values, "b": back})

    def _url(self, payload: dict) -> str:
        token = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode("ascii")
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, token
        )

    def _decode(self, token: str | None, queryset: QuerySet) -> dict | None:
        if not token:
            return None
        invalid = ValidationError(
            {
                self.cursor_query_param: [
                    "Invalid cursor: use the `next` or `previous` link as given."
                ]
            }
        )
        try:
            padded = token + "=" * (-len(token) % 4)
            payload = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            ordering, raw, back = payload["o"], payload["v"], payload["b"]
        except (ValueError, TypeError, KeyError, binascii.Error, UnicodeEncodeError):
            raise invalid from None
        if ordering != self.ordering:
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        "This cursor belongs to another ordering: start again without `cursor`."
                    ]
                }
            )
        if not isinstance(raw, list) or len(raw) != len(ordering) or not isinstance(back, bool):
            raise invalid
        try:
            values = [
                _field(queryset, name.lstrip("-")).to_python(value)
                for name, value in zip(ordering, raw, strict=True)
            ]
        except (DjangoValidationError, TypeError, ValueError):
            raise invalid from None
        if any(value is None for value in values):
            raise invalid
        return {"values": values, "raw": raw, "back": back}


def _field(queryset: QuerySet, name: str):
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    try:
        return queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        return FloatField()
