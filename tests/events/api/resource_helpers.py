"""Helpers the resource API tests share: query counting for 1 vs many rows, JSON errors."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return len(queries)


def assert_json_error(response, status: int, *, field: str | None = None, contains: str = ""):
    """The error is JSON in the documented shape; return the message for `field` (or detail)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    message = body["detail"]
    if field is not None:
        assert field in body["errors"], body
        message = " ".join(str(m) for m in body["errors"][field])
    assert contains in message, message
    return message


def if_match(obj) -> dict:
    """The If-Match header of a client that has just read `obj` (for a part, its event)."""
    from events.models.base import aggregate_root

    root = aggregate_root(type(obj)._base_manager.get(pk=obj.pk))
    version = type(root)._base_manager.filter(pk=root.pk).values_list("version", flat=True).get()
    return {"HTTP_IF_MATCH": f'W/"{version}"'}
