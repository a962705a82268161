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
    """Finds actor slugs in text; build it once per extraction run.

    Names are grouped by their first word, so finding them costs a dictionary look-up per word
    of text and a short pattern where a name may start, however many actors there are.
    """

    def __init__(self, actors: Iterable[ActorNames]) -> None:
        owners: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        for actor in actors:
            for name in actor.names:
                form = _form(name)
                if len(form) < 2 or not _WORD.match(form):
                    continue
                key = form if _exact_case(form) else form.lower()
                owners.setdefault(key, set()).add(actor.slug)
                spelled.setdefault(key, form)
        self._slug = {key: slugs.pop() for key, slugs in owners.items() if len(slugs) == 1}
        # First word (as written for one-word names, lowercased for longer ones) -> names.
        buckets: dict[tuple[bool, str], list[str]] = {}
        for key in self._slug:
            exact = _exact_case(spelled[key])
            first = _WORD.match(key).group(0)
            buckets.setdefault((exact, first), []).append(key)
        # Compiled when first needed: most names never occur in a given article.
        self._sources = {
            bucket: [spelled[key] for key in sorted(keys, key=len, reverse=True)]
            for bucket, keys in buckets.items()
        }
        self._patterns: dict[tuple[bool, str], re.Pattern] = {}

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
        slugs: list[str] = []
        position = 0
        for word in _WORD.finditer(text):
            if word.start() < position:
                continue  # inside a name already read
            longest = None
            for bucket in ((True, word.group(0)), (False, word.group(0).lower())):
                pattern = self._pattern(bucket)
                match = pattern.match(text, word.start()) if pattern else None
                if match and (longest is None or match.end() > longest.end()):
                    longest = match
            if longest is None:
                continue
            position = longest.end()
            written = _form(longest.group(0))
            slug = self._slug.get(written) or self._slug.get(written.lower())
            if slug and slug not in slugs:
                slugs.append(slug)
        return slugs

    def _pattern(self, bucket: tuple[bool, str]) -> re.Pattern | None:
        if bucket not in self._patterns:
            forms = self._sources.get(bucket)
            if not forms:
                return None
            alternatives = "|".join(_alternative(form) for form in forms)
            self._patterns[bucket] = re.compile(f"(?:{alternatives})(?![\\w])")
        return self._patterns[bucket]

    def __len__(self) -> int:
        return len(self._slug)


_WORD = re.compile(r"(?<![\w])\w+")


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
