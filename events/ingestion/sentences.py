"""Paragraphs and sentences of an article's text, by rule (no model to download).

Paragraphs are separated by blank lines; text without any blank line (as text extractors often
give it) has one paragraph per line. Inside a paragraph a line break always ends a sentence (a
heading or a photo caption is not continued by the next line).

A full stop ends a sentence when the next word starts one, except after a title ("Mr.",
"Gen."), an initial ("J."), a month ("Feb. 18") or a dotted abbreviation ("U.S."): after the
last two it does only when the next word is a common sentence opener ("U.S. officials" goes on,
"… the U.S. The talks" ends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Never end a sentence: a name or a number follows them.
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt",
    "sen", "rep", "gov", "pres", "amb", "sec", "st", "jr", "sr", "no", "nos", "vol", "art",
    "para", "fig", "approx", "ca", "cf", "vs", "v", "inc", "corp", "ltd", "co", "dept", "gov't",
    # US states in datelines ("PALM BEACH, Fla. — ")
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
    "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
    "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
}  # fmt: skip
# End a sentence only before a common opener: months ("Feb. 18") and short forms ("etc.").
_AMBIGUOUS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "etc", "al", "govt",
}  # fmt: skip
_OPENERS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "his", "her", "their", "our", "but", "and", "or", "so", "yet", "in", "on", "at", "by",
    "for", "from", "with", "after", "before", "since", "during", "while", "when", "as", "if",
    "however", "meanwhile", "earlier", "later", "last", "next", "there", "what", "who",
    "officials", "both", "some", "many", "one", "two", "three",
}  # fmt: skip

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
# A possible end: terminal punctuation, closing quotes or brackets, then space.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*(?P<word>[\w’'.-]+)")
_PREVIOUS_TOKEN = re.compile(r"(?P<token>[\w’'.-]+)$")


@dataclass(frozen=True)
class Sentence:
    """A sentence as written, and the 1-based paragraph it stands in."""

    text: str
    paragraph: int


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`, stripped, empty ones left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = _PARAGRAPH_BREAK.split(text) if _PARAGRAPH_BREAK.search(text) else text.split("\n")
    return [part.strip() for part in parts if part.strip()]


def sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order, with its paragraph number."""
    found = []
    for number, paragraph in enumerate(paragraphs(text), start=1):
        for line in paragraph.split("\n"):
            found.extend(Sentence(part, number) for part in split_sentences(line))
    return found


def split_sentences(line: str) -> list[str]:
    """The sentences of one line of text."""
    line = " ".join(line.split())
    parts, start = [], 0
    for end in _END.finditer(line):
        if _ends_sentence(line, end.start(), end.end()):
            parts.append(line[start : end.end()].strip())
            start = end.end()
    parts.append(line[start:].strip())
    return [part for part in parts if part]


def _ends_sentence(line: str, stop: int, after: int) -> bool:
    if not line[after:].strip():
        return True
    following = _NEXT_WORD.match(line, after)
    if following is None:
        return False  # a dash or a symbol follows: "PALM BEACH, Fla. — The president …"
    word = following["word"]
    if not (word[0].isupper() or word[0].isdigit()):
        return False  # "the U.S. for past aid", "Feb. 18" is handled below
    if line[stop] != ".":
        return True  # "!" and "?" end a sentence before a capital
    previous = _PREVIOUS_TOKEN.search(line, 0, stop + 1)
    if previous is None:
        return True
    token = previous["token"].rstrip(".")
    key = token.lower()
    if key in _TITLES:
        return False
    opener = word.lower().strip(".’'") in _OPENERS
    if key in _AMBIGUOUS:
        return opener and not word[0].isdigit()
    if len(token) == 1 and token.isupper():
        return False  # an initial: "Donald J. Trump"
    if "." in token:  # "U.S.", "U.N.", "a.m."
        return opener
    return True
