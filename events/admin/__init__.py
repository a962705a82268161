"""The curators' admin: one small module per part of the domain, all registered on import."""

from events.admin import actors, changes, events, merging, reviews, sources, timelines, votes

__all__ = ["actors", "changes", "events", "merging", "reviews", "sources", "timelines", "votes"]
