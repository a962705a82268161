"""The public events page, `/events/`: the API's event list as a server-rendered page.

Only HTTP and template concerns live here. The filters are the one `EventFilterSet` (the same
parameters and the same 400 messages as `/api/v1/events/`), the rows come from `events.rows`,
the facet counts from `events.facets` (cached per public change stamp, shared with the API's
grouped timeline), the pages are the API's keyset cursor (`?cursor=` from a `next` or `previous`
link, checked against the ordering), and each entry is the embeds' fragment. The form is a plain
GET form: the page works without JavaScript, and every selection has an address, an ETag and an
embed snippet.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.shortcuts import render
from django.urls import reverse
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from embeds.context import group_events, prepare_rows
from embeds.fragments import attach_fragments
from embeds.share import share_meta
from events.api.pagination import KeysetPagination
from events.facets import aggregate_key, aggregates
from events.filtersets import EventFilterSet, ordering_name
from events.models import Actor, ChangeStamp, Event, EventType

# About 1.5 KB an entry: twenty keep the page well under 50 KB with its form and facets.
PAGE_SIZE = 20
# Parameters of the page that are not filters: left out of facet links and the embed snippet.
PAGING = ("cursor", "page_size")
# The form's fields: an error about one of them is shown next to it (its id is `f-<name>`).
FORM_FIELDS = ("q", "actor", "type", "from", "to", "ordering")
ORDER_LABELS = {"date": "Oldest first", "-date": "Newest first", "relevance": "Best match"}


@dataclass(frozen=True)
class TypeChoice:
    slug: str
    label: str  # a subtype's name is indented under its parent's


def type_choices() -> list[TypeChoice]:
    """Every event type for the form's menu, each parent followed by its subtypes (one query)."""
    types = list(EventType.objects.order_by("name").values("id", "slug", "name", "parent_id"))
    children: dict[int | None, list[dict]] = {}
    for item in types:
        children.setdefault(item["parent_id"], []).append(item)
    choices: list[TypeChoice] = []

    def add(parent_id, depth):
        for item in children.get(parent_id, []):
            choices.append(TypeChoice(item["slug"], "\u2003" * depth + item["name"]))
            add(item["id"], depth + 1)

    add(None, 0)
    return choices


def _query(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else ""


def _filter_params(query) -> list[tuple[str, str]]:
    """The query's filters, without paging, in a stable order."""
    return sorted(
        (key, value)
        for key, values in query.lists()
        if key not in PAGING
        for value in values
        if value != ""
    )


def _without(params, name) -> list[tuple[str, str]]:
    return [(key, value) for key, value in params if key != name]


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def facet_links(params, facets: dict, selected_actors: list[str]) -> dict:
    """Each facet value as a link that narrows the current selection to it.

    A type replaces the type filter (a parent type already includes its subtypes); an actor is
    added to those selected and, with several, all of them must take part.
    """
    base = _without(params, "type")
    types = [
        {**item, "url": _query(sorted([*base, ("type", item["slug"])]))} for item in facets["types"]
    ]
    actors = []
    for item in facets["actors"]:
        if item["slug"] in selected_actors:
            continue
        chosen = [*selected_actors, item["slug"]]
        rest = _without(_without(params, "actor"), "actor_match")
        extra = [("actor_match", "all")] if len(chosen) > 1 else []
        url = _query(sorted([*rest, ("actor", ",".join(chosen)), *extra]))
        actors.append({**item, "url": url})
    return {"types": types, "actors": actors}


def _selected_actors(filterset) -> list[dict]:
    ids = filterset.form.cleaned_data.get("actor") or []
    if not ids:
        return []
    return list(Actor.objects.filter(pk__in=ids).order_by("name").values("slug", "name"))


def _relative(url: str | None) -> str | None:
    """A cursor link without scheme and host: the page links within its own origin."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def events_page(request, *, origin: str, snippet_script: str):
    """The page's response: 200 with the selection, or 400 with the form and what to fix."""
    filterset = EventFilterSet(data=request.GET, queryset=Event.objects.public(), request=request)
    if not filterset.is_valid():
        return _form_to_fix(request, filterset.errors, origin=origin)
    queryset, ordering = filterset.qs, filterset.ordering_fields
    params = _filter_params(request.GET)
    stamp = getattr(request, "public_stamp", None) or ChangeStamp.current()
    summary = aggregates(queryset, "month", aggregate_key(stamp.token, "month", params))
    paginator = KeysetPagination(page_size=PAGE_SIZE)
    paginator.max_page_size = PAGE_SIZE  # a longer page would break the page's size budget
    try:
        rows = paginator.paginate_rows(queryset, Request(request), ordering)
    except ValidationError as exc:
        return _form_to_fix(request, exc.detail, origin=origin)
    prepare_rows(rows, origin=origin)
    attach_fragments(
        rows, compact=False, in_embed=False, list_url=origin + reverse("embeds:events")
    )
    data = filterset.form.cleaned_data
    by_date = ordering[0] == "date_lower"
    selected = _selected_actors(filterset)
    slugs = [actor["slug"] for actor in selected]
    filters = [(key, value) for key, value in params if key != "ordering"]
    embed_query = urlencode(filters)
    current_order = ordering_name(data)
    context = {
        "events": rows,
        "periods": group_events(rows) if by_date else [],
        "total": sum(summary["counts"].values()),
        "facets": facet_links(params, summary["facets"], slugs),
        "selected_actors": [
            {**actor, "remove": _query(_without_actor(params, slugs, actor["slug"]))}
            for actor in selected
        ],
        **_form_context(request, current_order, has_text=bool(data.get("q"))),
        "next_url": _relative(paginator.next_url),
        "previous_url": _relative(paginator.previous_url),
        "is_filtered": bool(filters),
        "snippet": (
            f'<div data-timeline data-filters="{embed_query}"></div>\n{snippet_script}'
            if filters
            else ""
        ),
        "embed_url": origin + reverse("embeds:embed_query") + _query(filters),
        "origin": origin,
        "share": {
            **share_meta(
                origin,
                title="Events" + (": a selection" if filters else ""),
                description=f"{sum(summary['counts'].values())} geopolitical events, each with "
                "its sources: filter by actor, type, period or text.",
            ),
            "url": origin + request.get_full_path(),
        },
    }
    return render(request, "embeds/events.html", context)


def _form_context(request, ordering: str, *, has_text: bool) -> dict:
    """The form's menus and the values to show back in it, as the reader typed them."""
    return {
        "types": type_choices(),
        "values": {
            "q": request.GET.get("q", ""),
            "actor": ",".join(_split(request.GET.getlist("actor"))),
            "type": request.GET.get("type", ""),
            "from": request.GET.get("from", ""),
            "to": request.GET.get("to", ""),
            "ordering": ordering,
        },
        "orderings": [
            (key, label) for key, label in ORDER_LABELS.items() if key != "relevance" or has_text
        ],
    }


def _form_to_fix(request, errors, *, origin: str):
    """The form again (400), as typed, each message next to the field it concerns.

    Messages about parameters the form has no field for (a role, a cursor, several at once) are
    listed above it, with the parameter's name; every message also heads the page, linked to its
    field, so a screen reader hears what to fix first.
    """
    fields: dict[str, list[str]] = {}
    others: list[str] = []
    for name, messages in errors.items():
        for message in messages:
            if name in FORM_FIELDS:
                fields.setdefault(name, []).append(str(message))
            else:
                others.append(str(message) if name == "__all__" else f"{name}: {message}")
    summary = [
        {"field": f"f-{name}", "message": message}
        for name in FORM_FIELDS
        for message in fields.get(name, [])
    ] + [{"field": "", "message": message} for message in others]
    text = request.GET.get("q", "").strip()
    ordering = request.GET.get("ordering") or "date"
    context = {
        **_form_context(request, ordering, has_text=bool(text)),
        "errors": fields,
        "error_summary": summary,
        "is_filtered": True,
        "origin": origin,
    }
    return render(request, "embeds/events.html", context, status=400)


def _without_actor(params, selected: list[str], slug: str) -> list[tuple[str, str]]:
    """The selection without one of its actors (`selected`: their slugs, as resolved)."""
    actors = [other for other in selected if other != slug]
    rest = _without(_without(params, "actor"), "actor_match")
    if actors:
        rest.append(("actor", ",".join(actors)))
        match = [value for key, value in params if key == "actor_match"]
        if len(actors) > 1 and match:
            rest.append(("actor_match", match[0]))
    return sorted(rest)
