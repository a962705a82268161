"""Every API error is JSON that says what went wrong and what to do about it.

Shapes (documented in the OpenAPI schema through `events.api.schema`):
- 400 invalid input: `{"detail": "<summary>", "errors": {"<field>": ["<what is allowed>"]}}`;
  errors that concern no single field are listed under `non_field_errors`.
- Everything else: `{"detail": "<message>"}`: 401/403 (authentication, permissions),
  404 (unknown or unpublished object), 405, 406, 409 (a concurrent edit, an object still in use,
  a uniqueness rule), 412 (a stale `If-Match`), 413 (a body too large), 415, 428 (a write
  without `If-Match` or `version`), 429 (throttled, with `Retry-After`) and 500 (a bug, logged).

Errors raised outside DRF's views (Django's own 400, 403, 404 and 500, a body over
DATA_UPLOAD_MAX_MEMORY_SIZE) keep that shape under /api/ through the handlers at the end,
wired in timeline/urls.py.

Domain code raises Django's own exceptions (ValidationError from `full_clean` and services,
PermissionDenied, ProtectedError …); `api_exception_handler` translates them here, in one place,
so views never catch them one by one.
"""

import re

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.views.defaults import bad_request as html_bad_request
from django.views.defaults import page_not_found
from django.views.defaults import permission_denied as html_permission_denied
from django.views.defaults import server_error as html_server_error
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from events.api.parsers import RequestTooLarge
from events.models import ConcurrentEditError

NON_FIELD_ERRORS = "non_field_errors"


class Conflict(exceptions.APIException):
    """409: the request is valid but clashes with the current state of the data."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    """412: `If-Match` names a version that is no longer current."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """428: a write of a versioned object sent neither `If-Match` nor a body `version`."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the version you read (If-Match or `version`)."
    default_code = "precondition_required"


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: translate, let DRF build the response, reshape it."""
    exc = _translate(exc, context)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a genuine bug: let Django log it and answer 500
    if isinstance(exc, exceptions.ValidationError):
        errors = _as_field_errors(exc.detail)
        response.data = {"detail": summarise(errors), "errors": errors}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    if response.status_code == status.HTTP_400_BAD_REQUEST and "errors" not in response.data:
        # Every 400 has the same shape, e.g. a body that is not JSON (ParseError).
        response.data["errors"] = {NON_FIELD_ERRORS: [response.data["detail"]]}
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """handler404: unknown addresses under /api/ answer JSON like the API; the rest HTML."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "Nothing here: see /api/docs/ for the API's addresses."},
            status=status.HTTP_404_NOT_FOUND,
        )
    return page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400: Django's own refusals (a body over the upload limit, too many fields)."""
    if not _is_api(request):
        return html_bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(
            {"detail": str(RequestTooLarge().detail)},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    detail = "The request is malformed."
    return JsonResponse(
        {"detail": detail, "errors": {NON_FIELD_ERRORS: [detail]}},
        status=status.HTTP_400_BAD_REQUEST,
    )


def permission_denied(request, exception=None):
    """handler403: e.g. a refused CSRF check outside DRF."""
    if _is_api(request):
        return JsonResponse(
            {"detail": str(exception) or "You may not do this."},
            status=status.HTTP_403_FORBIDDEN,
        )
    return html_permission_denied(request, exception)


def server_error(request):
    """handler500: a bug, already logged by Django; under /api/ still the API's JSON shape."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "Something went wrong on our side; it has been logged. Try again later."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return html_server_error(request)


def _translate(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {
                    (NON_FIELD_ERRORS if field == "__all__" else field): messages
                    for field, messages in exc.message_dict.items()
                }
            )
        return exceptions.ValidationError({NON_FIELD_ERRORS: exc.messages})
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Not found.")
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ConcurrentEditError):
        return Conflict(str(exc))
    if isinstance(exc, ProtectedError):
        return Conflict(in_use_message(exc.args[0], exc.protected_objects))
    if isinstance(exc, RestrictedError):
        return Conflict(in_use_message(exc.args[0], exc.restricted_objects))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, SuspiciousOperation):  # e.g. too many form fields
        return exceptions.ParseError("The request is malformed.")
    if isinstance(exc, IntegrityError):
        return integrity_error(exc)
    if isinstance(exc, DataError):  # e.g. NUL in text, a number out of range: a bad request
        return exceptions.ValidationError(
            {NON_FIELD_ERRORS: ["The request holds a value the database cannot store."]}
        )
    return exc


def _as_field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    return {NON_FIELD_ERRORS: detail if isinstance(detail, list) else [detail]}


def summarise(errors: dict) -> str:
    """One line for people reading logs or a terminal: the first problem, and how many more."""
    problems = list(_flatten(errors))
    if not problems:
        return "Invalid input."
    field, message = problems[0]
    first = message if field == NON_FIELD_ERRORS else f"{field}: {message}"
    more = len(problems) - 1
    return f"Invalid input: {first}" + (f" (and {more} more, see “errors”)." if more else "")


def _flatten(errors, prefix: str = ""):
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == NON_FIELD_ERRORS:
                name = prefix or key  # a nested object's own errors belong to the object
            else:
                name = f"{prefix}.{key}" if prefix else key
            yield from _flatten(value, name)
    elif isinstance(errors, list):
        for index, item in enumerate(errors):
            if isinstance(item, dict | list):
                yield from _flatten(item, f"{prefix}[{index}]")
            else:
                yield prefix, str(item)
    else:
        yield prefix, str(errors)


# Django's ProtectedError message names the protecting fields: "… foreign keys: 'Role.person'."
_PROTECTING_FIELD = re.compile(r"'(\w+)\.(\w+)'")


def in_use_message(django_message: str, users) -> str:
    """E.g. “United States” is used by 12 events (“A”, “B”, “C” and 9 more): remove … first."""
    users = list(users)
    target = _referenced_object(django_message, users)
    subject = f"“{target}”" if target is not None else "This object"
    groups = _describe_users(users)
    parts = []
    for noun_plural, noun, names in groups:
        sample = ", ".join(f"“{name}”" for name in names[:3])
        rest = f" and {len(names) - 3} more" if len(names) > 3 else ""
        parts.append(f"{len(names)} {noun if len(names) == 1 else noun_plural} ({sample}{rest})")
    return f"{subject} is used by {'; '.join(parts)}: remove those references first."


def _referenced_object(django_message: str, users):
    for model_name, field_name in _PROTECTING_FIELD.findall(django_message):
        for obj in users:
            if type(obj).__name__ == model_name:
                return getattr(obj, field_name, None)
    return None


def _describe_users(users) -> list[tuple[str, str, list[str]]]:
    """Group what uses an object by what readers understand: mostly the events involved."""
    from events.models import CountryVote, Event, VoteRecord

    event_ids: set[int] = set()
    record_ids: set[int] = set()
    others: dict[tuple[str, str], list[str]] = {}
    for obj in users:
        if isinstance(obj, Event):
            event_ids.add(obj.pk)
        elif isinstance(obj, CountryVote):
            record_ids.add(obj.vote_record_id)
        elif getattr(obj, "event_id", None) is not None:
            event_ids.add(obj.event_id)
        else:
            meta = obj._meta
            key = (str(meta.verbose_name_plural), str(meta.verbose_name))
            others.setdefault(key, []).append(str(obj))
    if record_ids:
        event_ids |= set(
            VoteRecord.objects.filter(pk__in=record_ids).values_list("event_id", flat=True)
        )
    groups = []
    if event_ids:
        titles = list(
            Event.objects.filter(pk__in=event_ids)
            .order_by("date_lower", "id")
            .values_list("title", flat=True)
        )
        groups.append(("events", "event", titles))
    groups.extend((plural, single, sorted(names)) for (plural, single), names in others.items())
    return groups


def integrity_error(exc: IntegrityError) -> exceptions.APIException:
    """A database rule caught what validation did not (usually a race): name the rule."""
    text = str(exc)
    constraint = _constraint_named_in(text)
    if constraint is not None:
        message = str(constraint.get_violation_error_message())
    else:
        message = "The change breaks a rule of the data."
    if "unique" in text.lower() or "duplicate" in text.lower():
        return Conflict(f"{message} Another record already has these values.")
    return exceptions.ValidationError({NON_FIELD_ERRORS: [message]})


def _constraint_named_in(text: str):
    from django.apps import apps

    for model in apps.get_app_config("events").get_models():
        for constraint in model._meta.constraints:
            if constraint.name in text:
                return constraint
    return None
