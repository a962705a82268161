"""Every fixed vocabulary of the domain. Code uses these members, never string literals."""

from django.db import models


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    ORGANISATION = "organisation", "International organisation"
    ORGAN = "organ", "Organ of an organisation"
    GOVERNMENT_BODY = "government_body", "Government body or agency"
    PERSON = "person", "Person"
    ARMED_GROUP = "armed_group", "Armed group"
    PARTY = "party", "Political party"
    COMPANY = "company", "Company"
    NGO = "ngo", "Non-governmental organisation"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


class Verification(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    DISPUTED = "disputed", "Disputed"
    UNVERIFIED = "unverified", "Unverified"


class ParticipantRole(models.TextChoices):
    INITIATOR = "initiator", "Initiator"
    TARGET = "target", "Target"
    PARTICIPANT = "participant", "Participant"
    HOST = "host", "Host"
    MEDIATOR = "mediator", "Mediator"
    VOTER = "voter", "Voter"
    SPEAKER = "speaker", "Speaker"
    SUBJECT = "subject", "Subject"


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "News article"
    OFFICIAL_DOCUMENT = "official_document", "Official document"
    PRESS_RELEASE = "press_release", "Press release"
    TRANSCRIPT = "transcript", "Transcript"
    DATASET = "dataset", "Dataset"
    SOCIAL_POST = "social_post", "Social media post"
    OTHER = "other", "Other"


class LinkStatus(models.TextChoices):
    """What the link checker last concluded about a source's URL (events.archiving)."""

    UNCHECKED = "unchecked", "Not checked yet"
    ALIVE = "alive", "Alive"
    FAILING = "failing", "Failed once"  # one failure is not yet dead: sites have bad minutes
    DEAD = "dead", "Dead"


class CitationStance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


class RelationKind(models.TextChoices):
    FOLLOWS = "follows", "Follows"
    RESPONDS_TO = "responds_to", "Responds to"
    PART_OF = "part_of", "Part of"


class VoteResult(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    REJECTED = "rejected", "Rejected"
    VETOED = "vetoed", "Not adopted (veto)"


class VoteOption(models.TextChoices):
    YES = "yes", "In favour"
    NO = "no", "Against"
    ABSTAIN = "abstain", "Abstention"
    NON_VOTING = "non_voting", "Did not vote"


class AidKind(models.TextChoices):
    MILITARY = "military", "Military"
    FINANCIAL = "financial", "Financial"
    HUMANITARIAN = "humanitarian", "Humanitarian"
    INTELLIGENCE = "intelligence", "Intelligence sharing"


class AidAction(models.TextChoices):
    PLEDGE = "pledge", "Pledge"
    DELIVERY = "delivery", "Delivery"
    PAUSE = "pause", "Pause"
    RESUMPTION = "resumption", "Resumption"
    CANCELLATION = "cancellation", "Cancellation"


class TimelineKind(models.TextChoices):
    CURATED = "curated", "Curated (ordered entries)"
    SAVED_QUERY = "saved_query", "Saved query (computed)"


class TimelineStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


# Statuses a reader may see: published events, and retracted ones with their notice.
PUBLIC_EVENT_STATUSES = (EventStatus.PUBLISHED, EventStatus.RETRACTED)


class PublicChangeKind(models.TextChoices):
    """What a change did to the public set of events (the changes feed, events.public_changes)."""

    PUBLISHED = "published", "Published"  # entered the public set, or was published again
    UPDATED = "updated", "Updated"  # a field of its public row changed
    RETRACTED = "retracted", "Retracted"  # still public, with the retraction notice
    REMOVED = "removed", "Removed"  # left the public set (a tombstone: mirrors delete it)


class ReviewStatus(models.TextChoices):
    """Where a curator's proposed change to published content stands (events.reviews)."""

    PENDING = "pending", "Waiting for an editor"
    APPROVED = "approved", "Approved (live)"
    REJECTED = "rejected", "Rejected"
