"""Public pages and embeds: thin views over Event.objects.public() and the shared filterset.

Every public read starts from Event.objects.public() or Timeline.objects.published(); the pages
ask events.preview, which alone decides what a request may see (for staff, also a draft
preview, answered through `private_preview`). Lists go through EventFilterSet (the API's
parameters) into rows of the one projection (events.rows), so a page runs a fixed number of
queries whatever the number of events, and each public entry's HTML is rendered once and
cached (embeds.fragments).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from embeds.browse import events_page
from embeds.caching import cached_public, private_preview
from embeds.context import chips, curated_sections, group_events, prepare_rows
from embeds.fragments import attach_fragments, axis_html, render_spliced
from embeds.options import EmbedOptions, OptionError, filter_data
from embeds.security import embeddable
from embeds.share import share_meta
from embeds.svg import agreement_chart
from events import archiving, dates
from events.alignment import agreement_by_year, vote_partners
from events.choices import (
    ActorKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    ParticipantRole,
    TimelineKind,
    Verification,
    VoteOption,
    VoteResult,
)
from events.detail import EventDetail, load_event_detail
from events.filtersets import EventFilterSet
from events.markdown import render_markdown
from events.models import Actor, Event, Role, Source, Timeline
from events.preview import (
    PROPOSAL_PARAMETER,
    Proposal,
    Visible,
    pending_proposals,
    proposal_applied,
    visible_actor_or_404,
    visible_event_or_404,
    visible_timeline_or_404,
)
from events.published_timelines import entry_captions, published_timeline
from events.querysets import reference_keys
from events.rows import DOUBTFUL, event_rows

# A timeline longer than this is cut, with a note asking for narrower filters.
MAX_EVENTS = 500


def public_origin(request) -> str:
    """The site's origin for absolute URLs: TIMELINE_PUBLIC_URL, else the request's host."""
    return settings.TIMELINE_PUBLIC_URL or f"{request.scheme}://{request.get_host()}"


def oembed_link(request, page_path: str) -> str:
    """The oEmbed discovery URL for a public page."""
    origin = public_origin(request)
    return f"{origin}{reverse('embeds:oembed')}?" + urlencode(
        {"url": origin + page_path, "format": "json"}
    )


class FilterError(Exception):
    """The filters in the query string did not validate; `messages` say what to fix."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def _filtered(request, base_queryset, *, curated=False) -> tuple[list, bool]:
    """Events of `base_queryset` that the request's filters select, ready for the templates.

    By date, or for a curated timeline's own order (`curated`), by the entries' positions
    (the base queryset is then `EventQuerySet.in_timeline`, whose join this reuses).
    """
    filterset = EventFilterSet(
        data=filter_data(request.GET), queryset=base_queryset, request=request
    )
    if not filterset.is_valid():
        raise FilterError(
            [
                f"{name}: {message}" if name != "__all__" else message
                for name, errors in filterset.errors.items()
                for message in errors
            ]
        )
    queryset = filterset.qs
    if curated:
        queryset = queryset.order_by("timeline_entries__position", "timeline_entries__id")
    events = event_rows(queryset, MAX_EVENTS + 1)
    return events[:MAX_EVENTS], len(events) > MAX_EVENTS


def _timeline_context(
    request,
    events,
    truncated,
    options: EmbedOptions,
    captions=None,
    *,
    in_embed=False,
    curated=False,
    visible: Visible | None = None,
) -> dict:
    """In date order, events under period headings; in a curated timeline's own order, under
    their captions as headings (so not repeated in the entries); either way with the time axis
    above. A staff preview's entries and axis bypass the fragment cache."""
    cached = visible is None or not visible.preview
    # A preview's links stay on the host that has the staff session, not TIMELINE_PUBLIC_URL.
    origin = public_origin(request) if cached else f"{request.scheme}://{request.get_host()}"
    entry_captions = None if curated else captions
    prepare_rows(events, origin=origin, highlight=options.highlight, captions=entry_captions)
    attach_fragments(
        events,
        compact=options.compact,
        in_embed=in_embed,
        highlight=options.highlight,
        cached=cached,
        list_url=origin + reverse("embeds:events"),
    )
    periods = [] if curated else group_events(events, options.group)
    return {
        **_preview_context(visible, request),
        "events": events,
        "periods": periods,
        "sections": curated_sections(events, captions or {}) if curated else [],
        "axis": axis_html(events, cached=cached),
        "chips": chips(events),
        "options": options,
        "truncated": truncated,
        "max_events": MAX_EVENTS,
        "origin": origin,
    }


def _version(request, visible: Visible | None) -> str | None:
    """The public data's version to key per-process stores on, or None for a staff preview
    (whose data is not all public) or a request that did not read it."""
    if visible is not None and visible.preview:
        return None
    stamp = getattr(request, "public_stamp", None)
    return stamp.token if stamp is not None else None


def _in_curated_order(timeline: Timeline, options: EmbedOptions) -> bool:
    """A curated timeline reads in its curator's order (unless `order=date`); a saved query,
    being a filter, reads by date."""
    return timeline.kind == TimelineKind.CURATED and options.order == "curated"


def _bad_request(request, messages: list[str], template="embeds/bad_request.html"):
    return render(request, template, {"messages": messages}, status=400)


def _preview_context(visible: Visible | None, request=None) -> dict:
    """The banner's context (base.html, embed.html): nothing on a public response. A staff view
    of a published event or timeline links to the previews of its pending proposals."""
    if visible is None or not visible.preview:
        return {}
    context = {
        "preview": True,
        "preview_of_public": visible.is_public,
        "proposal": visible.proposal,
    }
    if request is not None and visible.is_public and visible.proposal is None:
        context["proposals"] = _proposal_links(request, visible.obj)
    return context


def _proposal_links(request, obj) -> list[dict]:
    if isinstance(obj, EventDetail):
        model, pk, page = Event, obj.event["id"], reverse("embeds:event", args=[obj.event["slug"]])
    elif isinstance(obj, Timeline):
        model, pk, page = Timeline, obj.pk, reverse("embeds:timeline", args=[obj.slug])
    else:
        return []
    return [
        {"review": review, "url": f"{page}?{PROPOSAL_PARAMETER}={review.pk}"}
        for review in pending_proposals(request.user, model, pk)
    ]


def _respond(visible: Visible, response):
    """A staff preview's response is private and uncached; a public one is left alone."""
    return private_preview(response) if visible.preview else response


# Pages ------------------------------------------------------------------------------------


@require_safe
@cached_public
def home(request):
    timelines = list(Timeline.objects.published().order_by("title", "id"))
    for timeline in timelines:
        timeline.description_html = render_markdown(timeline.description)
    latest = Event.objects.public().select_related("event_type").order_by("-date_lower", "-id")
    share = share_meta(
        public_origin(request),
        title="Timeline: geopolitical events with their sources",
        description="Curated timelines of geopolitical events. Every event cites its sources.",
    )
    share["url"] = public_origin(request) + request.path
    return render(
        request,
        "embeds/home.html",
        {"timelines": timelines, "latest": latest[:10], "share": share},
    )


@require_safe
@cached_public
def events(request):
    """Every public event, filtered, faceted and paged (embeds.browse)."""
    return events_page(request, origin=public_origin(request), snippet_script=_script_tag(request))


def old_timeline_address(request):
    """`/timeline/` was never a page; readers who guess it find the events page."""
    return redirect("embeds:events", permanent=True)


def _script_tag(request) -> str:
    return f'<script async src="{public_origin(request)}{reverse("embeds:embed_js")}"></script>'


@require_safe
@cached_public
def timeline_page(request, slug):
    with proposal_applied(request, Timeline, slug) as proposal:
        return _timeline_page(request, proposal.slug if proposal else slug, proposal)


def _timeline_page(request, slug, proposal: Proposal | None):
    visible = visible_timeline_or_404(request, slug).proposing(proposal)
    timeline = visible.obj
    try:
        options = EmbedOptions.from_query(request.GET)
        curated = _in_curated_order(timeline, options)
        base = visible.events.in_timeline(timeline)
        events, truncated = _filtered(request, base, curated=curated)
    except (OptionError, FilterError) as exc:
        return _respond(visible, _bad_request(request, getattr(exc, "messages", [str(exc)])))
    context = _timeline_context(
        request,
        events,
        truncated,
        options,
        entry_captions(timeline, _version(request, visible)),
        curated=curated,
        visible=visible,
    )
    origin = context["origin"]
    context.update(
        timeline=timeline,
        **_lead_and_more(render_markdown(timeline.description)),
        snippet=(
            f'<div data-timeline="{timeline.slug}"></div>\n'
            f'<script async src="{origin}{reverse("embeds:embed_js")}"></script>'
        ),
        oembed_url=oembed_link(request, request.path),
        embed_url=origin + reverse("embeds:embed_timeline", args=[timeline.slug]),
        share={
            **share_meta(
                origin,
                title=timeline.title,
                description=timeline.description,
                kind="timelines",
                slug=timeline.slug,
            ),
            "url": origin + request.path,
        },
    )
    return _respond(visible, render_spliced(request, "embeds/timeline.html", context))


def _lead_and_more(description_html: str) -> dict:
    """A long description's first paragraph, and the rest (shown on request), so the timeline
    itself starts within a phone's first screen."""
    lead, marker, more = str(description_html).partition("</p>")
    if not marker or not more.strip():
        return {"description_lead": description_html, "description_more": ""}
    return {
        "description_lead": mark_safe(lead + marker),  # split from sanitised Markdown HTML
        "description_more": mark_safe(more),
    }


@require_safe
@cached_public
def event_page(request, slug):
    with proposal_applied(request, Event, slug) as proposal:
        return _event_page(request, proposal.slug if proposal else slug, proposal)


def _event_page(request, slug, proposal: Proposal | None):
    visible = visible_event_or_404(request, slug).proposing(proposal)
    origin = public_origin(request)
    event = visible.obj.event
    share = share_meta(
        origin, title=event["title"], description=event["summary"], kind="events", slug=slug
    )
    response = render(
        request,
        "embeds/event.html",
        {
            **_event_page_context(visible.obj),
            **_preview_context(visible, request),
            "oembed_url": oembed_link(request, request.path),
            "origin": origin,
            "share": {**share, "url": origin + request.path, "type": "article"},
        },
    )
    return _respond(visible, response)


def _display_name(actor: dict) -> str:
    return actor["short_name"] or actor["name"]  # the rule of Actor.display_name


def _event_page_context(detail: EventDetail) -> dict:
    """The page's view of the detail loader's values: labels, marks and the grouped roll."""
    event = detail.event
    start, start_precision = event["start_date"], event["start_precision"]
    date_args = (start, start_precision, event["start_approximate"])
    end_args = (event["end_date"], event["end_precision"] or None, event["end_approximate"])
    country = event["location_country__slug"]
    page_event = {
        "title": event["title"],
        "display_date": dates.display_range(*date_args, *end_args),
        "datetime_attr": dates.edtf_date(start, start_precision),
        "type_name": event["event_type__name"],
        "type_slug": event["event_type__slug"],
        "verification": event["verification"],
        "verification_label": Verification(event["verification"]).label,
        "is_doubtful": event["verification"] in DOUBTFUL,
        "is_retracted": event["status"] == EventStatus.RETRACTED,
        "status_label": EventStatus(event["status"]).label,
        "retraction_reason": event["retraction_reason"],
        "location_name": event["location_name"],
        "location_country": (
            _display_name(
                {
                    "short_name": event["location_country__short_name"],
                    "name": event["location_country__name"],
                }
            )
            if country
            else ""
        ),
        "summary_html": render_markdown(event["summary"]),
    }
    participations = [
        {
            "actor": participant["actor"],
            "role_label": ParticipantRole(participant["role"]).label.lower(),
            "note": participant["note"],
            "posts": [
                {"title": post["title"], "organisation": _display_name(post["organisation"])}
                for post in participant["posts"]
            ],
        }
        for participant in detail.participants
    ]
    citations = [
        {
            **citation,
            "stance_label": CitationStance(citation["stance"]).label.lower(),
            "published": (
                dates.display_date(
                    citation["source"]["published_on"],
                    citation["source"]["published_precision"],
                    citation["source"]["published_approximate"],
                )
                if citation["source"]["published_on"]
                else ""
            ),
            "display_dead_since": (
                dates.display_date(citation["source"]["dead_since"], DatePrecision.DAY)
                if citation["source"]["dead_since"]
                else ""
            ),
        }
        for citation in detail.citations
    ]
    vote, roll = detail.vote, []
    if vote is not None:
        vote = {**vote, "result_label": VoteResult(vote["result"]).label.lower()}
        by_option: dict[str, list] = {}
        for row in vote["roll"]:
            actor = {"slug": row["actor"]["slug"], "display_name": _display_name(row["actor"])}
            by_option.setdefault(row["option"], []).append(actor)
        roll = [
            {"label": option.label, "option": option.value, "actors": by_option[option]}
            for option in VoteOption
            if by_option.get(option)
        ]
    return {
        "event": page_event,
        "participations": participations,
        "citations": citations,
        "vote": vote,
        "roll": roll,
    }


@require_safe
@cached_public
def actor_page(request, slug):
    visible = visible_actor_or_404(request, slug)
    actor = visible.obj
    events = event_rows(
        visible.events.involving([actor.pk]).order_by("date_lower", "id"), MAX_EVENTS + 1
    )
    context = _timeline_context(
        request, events[:MAX_EVENTS], len(events) > MAX_EVENTS, EmbedOptions(), visible=visible
    )
    roles = (
        Role.objects.filter(Q(person=actor) | Q(organisation=actor))
        .select_related("person", "organisation")
        .order_by("start_date", "id")
    )
    origin = public_origin(request)
    share = share_meta(
        origin, title=actor.name, description=actor.description, kind="actors", slug=actor.slug
    )
    context.update(
        actor=actor,
        roles=roles,
        share={**share, "url": origin + request.path},
        **_agreement(request, actor),
    )
    status = 400 if context.get("agreement_error") else 200
    return _respond(visible, render_spliced(request, "embeds/actor.html", context, status=status))


def _agreement(request, actor: Actor) -> dict:
    """The agreement chart's context for a state with recorded votes (else nothing)."""
    if actor.kind != ActorKind.STATE:
        return {}
    partners = list(vote_partners(actor))
    if not partners:
        return {}
    wanted = (request.GET.get("with") or "").strip().lower()
    context: dict = {"partners": partners, "with_value": wanted}
    if not wanted:
        return context
    # The partners are loaded already: match them with the resolver's own keys.
    other = next(
        (p for p in partners if wanted in reference_keys(p.slug, p.iso3, p.wikidata_id)), None
    )
    if other is None:
        context["agreement_error"] = (
            f"“{wanted}” is not a state that voted with {actor.display_name} in a recorded "
            "vote: choose one from the list."
        )
        return context
    rows = agreement_by_year(actor, other)
    context.update(other=other, agreement=rows, chart=agreement_chart(rows))
    return context


# Embeds -----------------------------------------------------------------------------------


def _render_embed(request, title, base_queryset, *, page_url, timeline=None, visible=None):
    try:
        options = EmbedOptions.from_query(request.GET)
        curated = timeline is not None and _in_curated_order(timeline, options)
        events, truncated = _filtered(request, base_queryset, curated=curated)
    except (OptionError, FilterError) as exc:
        return _embed_error(request, exc)
    captions = entry_captions(timeline, _version(request, visible)) if timeline else None
    return _embed(
        request, title, events, truncated, options, page_url, captions, curated, visible=visible
    )


def _embed(
    request, title, events, truncated, options, page_url, captions=None, curated=False,
    visible=None,
):  # fmt: skip
    context = _timeline_context(
        request,
        events,
        truncated,
        options,
        captions,
        in_embed=True,
        curated=curated,
        visible=visible,
    )
    context.update(title=title, page_url=page_url)
    return render_spliced(request, "embeds/embed.html", context)


def _embed_error(request, exc: OptionError | FilterError):
    messages = getattr(exc, "messages", [str(exc)])
    return _bad_request(request, messages, "embeds/embed_error.html")


def _embed_missing(request):
    return render(request, "embeds/embed_error.html", {"missing": True}, status=404)


@require_safe
@embeddable
@cached_public
def embed_timeline(request, slug):
    # Kept per process under the public stamp (cached_public set it): events.published_timelines.
    timeline = published_timeline(slug, request.public_stamp.token)
    if timeline is None:
        return _embed_missing(request)
    return _render_embed(
        request,
        timeline.title,
        Event.objects.public().in_timeline(timeline),
        page_url=public_origin(request) + reverse("embeds:timeline", args=[slug]),
        timeline=timeline,
    )


@require_safe
@embeddable
@cached_public
def embed_query(request):
    return _render_embed(request, "Timeline", Event.objects.public(), page_url="")


@require_safe
@embeddable
@cached_public
def embed_event(request, slug):
    """One event as a one-entry embed, read by the detail loader (as its page and the API's
    detail are); the display options apply, the list filters have nothing to choose from."""
    try:
        options = EmbedOptions.from_query(request.GET)
    except OptionError as exc:
        return _embed_error(request, exc)
    detail = load_event_detail(Event.objects.public(), slug=slug)
    if detail is None:
        return _embed_missing(request)
    return _embed(
        request,
        detail.event["title"],
        [detail.row],
        False,
        options,
        page_url=public_origin(request) + reverse("embeds:event", args=[slug]),
    )


# Staff previews of the embeds, linked from the admin's change forms ------------------------
# Not framable and never cached: the embed as it would look, drafts and unpublished entries
# included (marked), for staff who may view the model (events.preview); others are sent to the
# admin's login, whatever the slug. `?proposal=<review id>` shows a pending proposal, as on the
# pages.


@require_safe
@staff_member_required
def preview_embed_timeline(request, slug):
    with proposal_applied(request, Timeline, slug) as proposal:
        return _preview_embed_timeline(request, proposal.slug if proposal else slug, proposal)


def _preview_embed_timeline(request, slug, proposal: Proposal | None):
    visible = visible_timeline_or_404(request, slug, preview=True).proposing(proposal)
    timeline = visible.obj
    response = _render_embed(
        request,
        timeline.title,
        visible.events.in_timeline(timeline),
        page_url=reverse("embeds:timeline", args=[slug]),
        timeline=timeline,
        visible=visible,
    )
    return private_preview(response)


@require_safe
@staff_member_required
def preview_embed_event(request, slug):
    with proposal_applied(request, Event, slug) as proposal:
        return _preview_embed_event(request, proposal.slug if proposal else slug, proposal)


def _preview_embed_event(request, slug, proposal: Proposal | None):
    visible = visible_event_or_404(request, slug, preview=True).proposing(proposal)
    event = visible.obj.event
    response = _render_embed(
        request,
        event["title"],
        visible.events.filter(pk=event["id"]),
        page_url=reverse("embeds:event", args=[slug]),
        visible=visible,
    )
    return private_preview(response)


@require_safe
def archived_copy(request, pk):
    """Our copy of a source: readers may open it once a public event cites the source; staff
    who may view sources, any source's (a draft's preview links here too)."""
    private = request.user.has_perm("events.view_source")
    sources = Source.objects.all() if private else Source.objects.public()
    snapshot = archiving.latest_snapshot(sources.filter(pk=pk))
    if snapshot is None:
        raise Http404("No archived copy of this source is public.")
    return archiving.snapshot_response(snapshot, request, private=private)
