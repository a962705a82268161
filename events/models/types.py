"""Slugs of event types that code relies on (the taxonomy itself is data, seeded by migration)."""

UN_VOTE_TYPE_SLUG = "un-vote"
AID_TYPE_SLUGS = ("aid-pledge", "aid-suspension", "aid-resumption")
