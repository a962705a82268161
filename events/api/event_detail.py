"""The API's form of one event (shapes.EventDetail), from the domain's detail loader.

events.detail.load_event_detail reads the event in one query; this module only writes the
values in the API's shape: URLs, dates in their precision, sanitised HTML.
"""

from rest_framework.fields import DateTimeField

from events import dates
from events.api import shapes
from events.api.rows import event_url_prefix, row_json, source_archive
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


def event_detail_data(detail: EventDetail, request) -> shapes.EventDetail:
    """The event's row as the lists show it (events.api.rows.row_json), and what only the
    detail adds: the summary as HTML, participants with notes and posts, citations, the vote,
    aid measures, related events and the history summary."""
    event = detail.event
    prefix = event_url_prefix(request)
    vote = detail.vote
    return {
        **row_json(detail.row, prefix),
        "summary_html": str(render_markdown(event["summary"])),
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
                "source": _source(citation["source"], prefix),
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
                "display_date": dates.display_range_of(other),
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


def _source(source: dict, prefix: str) -> shapes.SourceBrief:
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
        **source_archive(
            prefix, source["id"], source["archived"], source["link_status"], source["dead_since"]
        ),
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
