"""The API's form of one event (shapes.EventDetail), from the domain's detail loader.

events.detail.load_event_detail reads the event in one query; this module only writes the
values in the API's shape: URLs, dates in their precision, sanitised HTML.
"""

from django.urls import reverse
from rest_framework.fields import DateTimeField

from events import dates
from events.api import shapes
from events.detail import EventDetail
from events.markdown import render_markdown

_datetime = DateTimeField().to_representation


def _actor(actor: dict) -> shapes.ActorBrief:
    return {
        "slug": actor["slug"],
        "name": actor["name"],
        "kind": actor["kind"],
        "iso3": actor["iso3"],
    }


def _date_args(event: dict) -> tuple:
    return (
        event["start_date"],
        event["start_precision"],
        event["start_approximate"],
        event["end_date"],
        event["end_precision"] or None,
        event["end_approximate"],
    )


def _part(day, precision, approximate) -> shapes.DatePart | None:
    if day is None:
        return None
    return {"date": day.isoformat(), "precision": precision, "approximate": approximate}


def event_detail_data(detail: EventDetail, request) -> shapes.EventDetail:
    event = detail.event
    prefix = request.build_absolute_uri(reverse("event-list"))
    country = event["location_country__slug"]
    vote = detail.vote
    return {
        "id": event["id"],
        "slug": event["slug"],
        "url": f"{prefix}{event['slug']}/",
        "title": event["title"],
        "summary": event["summary"],
        "summary_html": str(render_markdown(event["summary"])),
        "type": {"slug": event["event_type__slug"], "name": event["event_type__name"]},
        "display_date": dates.display_range(*_date_args(event)),
        "edtf": dates.edtf(*_date_args(event)),
        "start": _part(event["start_date"], event["start_precision"], event["start_approximate"]),
        "end": _part(event["end_date"], event["end_precision"], event["end_approximate"]),
        "earliest": event["date_lower"].isoformat(),
        "latest": event["date_upper"].isoformat(),
        "location": {
            "country": (
                {
                    "slug": country,
                    "name": event["location_country__name"],
                    "iso3": event["location_country__iso3"],
                }
                if country
                else None
            ),
            "name": event["location_name"],
        },
        "status": event["status"],
        "retraction_reason": event["retraction_reason"],
        "verification": event["verification"],
        "importance": event["importance"],
        "participants": [
            {
                "role": participant["role"],
                "note": participant["note"],
                "actor": _actor(participant["actor"]),
                "posts": [
                    {"title": post["title"], "organisation": _actor(post["organisation"])}
                    for post in participant["posts"]
                ],
            }
            for participant in detail.participants
        ],
        "citations": [
            {
                "id": citation["id"],
                "stance": citation["stance"],
                "quote": citation["quote"],
                "locator": citation["locator"],
                "note": citation["note"],
                "source": _source(citation["source"]),
            }
            for citation in detail.citations
        ],
        "vote_record": _vote(vote) if vote else None,
        "aid_measures": [
            {
                "donor": _actor(measure["donor"]),
                "recipient": _actor(measure["recipient"]),
                "kind": measure["kind"],
                "action": measure["action"],
                "amount": None if measure["amount"] is None else str(measure["amount"]),
                "currency": measure["currency"],
                "note": measure["note"],
            }
            for measure in detail.aid_measures
        ],
        "related": [
            {
                "relation": other["relation"],
                "direction": other["direction"],
                "slug": other["slug"],
                "title": other["title"],
                "display_date": dates.display_range(*_date_args(other)),
                "url": f"{prefix}{other['slug']}/",
            }
            for other in detail.related
        ],
        "history": {
            "created_at": _datetime(event["created_at"]),
            "updated_at": _datetime(event["updated_at"]),
            "published_at": _datetime(event["published_at"]) if event["published_at"] else None,
            "version": event["version"],
        },
        "version": event["version"],
    }


def _source(source: dict) -> shapes.SourceBrief:
    published = source["published_on"]
    return {
        "id": source["id"],
        "kind": source["kind"],
        "title": source["title"],
        "url": source["url"],
        "publisher": source["publisher"],
        "published_on": (
            dates.edtf_date(
                published, source["published_precision"], source["published_approximate"]
            )
            if published
            else None
        ),
        "language": source["language"],
    }


def _vote(vote: dict) -> shapes.VoteRecordDetail:
    return {
        "body": {
            "slug": vote["body__slug"],
            "name": vote["body__name"],
            "kind": vote["body__kind"],
            "iso3": vote["body__iso3"],
        },
        "document_symbol": vote["document_symbol"],
        "draft_symbol": vote["draft_symbol"],
        "title": vote["title"],
        "result": vote["result"],
        "counts": {
            "yes": vote["yes_count"],
            "no": vote["no_count"],
            "abstain": vote["abstain_count"],
            "non_voting": vote["non_voting_count"],
        },
        "roll_complete": vote["roll_complete"],
        "votes": [{"actor": _actor(row["actor"]), "option": row["option"]} for row in vote["roll"]],
    }
