"""Which actors a sentence names: a gazetteer of every name curators gave the actors.

Built from each Actor's name, short name and aliases (one per line in the admin, where
curators add metonyms such as "Washington", "the Kremlin" or "Kyiv"), plus the ISO 3166 names
of states (pycountry: "Russian Federation", "United States of America").

Matching rules:
- the longest name wins where names overlap ("UN General Assembly" beats "UN", "U.S.-Russia"
  reads as the United States and Russia);
- names are whole words: "Russia" is not found in "Russian";
- a one-word name matches with its exact case, so "US" is not read in "us" and "Trump" not in
  "trump card"; longer names ignore case ("security council");
- a leading "the" is optional ("the Kremlin" matches "Kremlin");
- a name shared by two actors says nothing and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry


@dataclass(frozen=True)
class ActorNames:
    """An actor's slug and every name it may be written by."""

    slug: str
    names: tuple[str, ...]


class Gazetteer:
    """Finds actor slugs in text; build it once per extraction run (it compiles one pattern)."""

    def __init__(self, actors: Iterable[ActorNames]) -> None:
        owners: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        for actor in actors:
            for name in actor.names:
                form = _form(name)
                if len(form) < 2:
                    continue
                key = form if _exact_case(form) else form.lower()
                owners.setdefault(key, set()).add(actor.slug)
                spelled.setdefault(key, form)
        self._slug = {key: slugs.pop() for key, slugs in owners.items() if len(slugs) == 1}
        alternatives = [
            _alternative(spelled[key])
            for key in sorted(self._slug, key=lambda key: (-len(key), key))
        ]
        self._pattern = (
            re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")
            if alternatives
            else None
        )

    @classmethod
    def from_actors(cls, actors) -> Gazetteer:
        """From Actor rows (or anything with slug, name, short_name, alias_list, iso3)."""
        return cls(
            ActorNames(
                actor.slug,
                (actor.name, actor.short_name, *actor.alias_list, *iso_names(actor.iso3)),
            )
            for actor in actors
        )

    @classmethod
    def from_database(cls) -> Gazetteer:
        from events.models import Actor

        return cls.from_actors(Actor.objects.only("slug", "name", "short_name", "aliases", "iso3"))

    def find(self, text: str) -> list[str]:
        """The slugs of the actors `text` names, in order of first mention."""
        if self._pattern is None:
            return []
        slugs: list[str] = []
        for match in self._pattern.finditer(text):
            written = match.group(0)
            slug = self._slug.get(written) or self._slug.get(written.lower())
            if slug is None:
                slug = self._slug.get(_form(written)) or self._slug.get(_form(written).lower())
            if slug and slug not in slugs:
                slugs.append(slug)
        return slugs

    def __len__(self) -> int:
        return len(self._slug)


def _form(name: str) -> str:
    """A name as matched: spaces normalised, a leading "the" dropped."""
    name = " ".join((name or "").split())
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _exact_case(form: str) -> bool:
    return " " not in form


def _alternative(form: str) -> str:
    escaped = r"\s+".join(re.escape(word) for word in form.split(" "))
    return escaped if _exact_case(form) else f"(?i:{escaped})"


def iso_names(iso3: str | None) -> tuple[str, ...]:
    if not iso3:
        return ()
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return ()
    return tuple(
        name
        for name in (
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        )
        if name
    )
