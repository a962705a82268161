from events.models.actors import Actor, Role
from events.models.aid import AidMeasure
from events.models.archive import LinkCheck, SourceSnapshot
from events.models.base import ConcurrentEditError
from events.models.changes import ChangeStamp, PublicChange
from events.models.demo import DemoFingerprint
from events.models.events import Event, EventRelation, EventType, Participation
from events.models.redirects import SlugRedirect
from events.models.reviews import RevisionReview
from events.models.sources import Citation, Source
from events.models.timelines import Timeline, TimelineEntry
from events.models.votes import CountryVote, VoteRecord

__all__ = [
    "Actor",
    "AidMeasure",
    "ChangeStamp",
    "Citation",
    "ConcurrentEditError",
    "CountryVote",
    "DemoFingerprint",
    "Event",
    "EventRelation",
    "EventType",
    "LinkCheck",
    "Participation",
    "PublicChange",
    "RevisionReview",
    "Role",
    "SlugRedirect",
    "Source",
    "SourceSnapshot",
    "Timeline",
    "TimelineEntry",
    "VoteRecord",
]
