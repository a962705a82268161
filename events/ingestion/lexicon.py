"""Which event type a sentence suggests, from the phrases in lexicon.toml (data curators edit).

lexicon.toml says how a phrase is written; the first type with a matching phrase wins.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
_GAP = r"(?:\s+\S+){0,5}?"  # "..." : up to five words


@dataclass(frozen=True)
class TypeRule:
    slug: str
    phrases: tuple[str, ...]
    pattern: re.Pattern


class Lexicon:
    """The ordered type rules; `suggest` gives the first type whose phrase a text contains."""

    def __init__(self, rules: list[TypeRule]) -> None:
        self.rules = rules

    @classmethod
    def from_toml(cls, text: str) -> Lexicon:
        data = tomllib.loads(text)
        rules = []
        for entry in data.get("types", []):
            phrases = tuple(entry["phrases"])
            pattern = re.compile("|".join(f"(?:{compile_phrase(p)})" for p in phrases), re.I)
            rules.append(TypeRule(entry["slug"], phrases, pattern))
        return cls(rules)

    @classmethod
    def from_file(cls, path: Path = LEXICON_FILE) -> Lexicon:
        return cls.from_toml(path.read_text(encoding="utf-8"))

    @property
    def slugs(self) -> list[str]:
        return [rule.slug for rule in self.rules]

    def suggest(self, text: str) -> str | None:
        """The event-type slug `text` suggests, or None."""
        text = " ".join(text.replace("’", "'").split())
        for rule in self.rules:
            if rule.pattern.search(text):
                return rule.slug
        return None


@functools.cache
def default_lexicon() -> Lexicon:
    """lexicon.toml beside this module, read once per process."""
    return Lexicon.from_file()


def compile_phrase(phrase: str) -> str:
    """A phrase of the lexicon's little language as a regular expression."""
    parts = []
    for token in phrase.split():
        if token == "...":
            parts.append(_GAP)
            continue
        words = [_word(word) for word in token.split("|")]
        parts.append(r"\s+" + (words[0] if len(words) == 1 else "(?:" + "|".join(words) + ")"))
    pattern = "".join(parts)
    pattern = pattern.removeprefix(r"\s+")
    return r"(?<![\w])" + pattern + r"(?![\w])"


def _word(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[\w'-]*"
    return re.escape(word)
