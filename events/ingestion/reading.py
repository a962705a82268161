"""Reading an article: its main text (one paragraph a line), title, author and publication
date, from a fetched page, an uploaded HTML file or pasted text.

trafilatura finds the main text and the metadata; htmldate reads the publication date the page
declares (its metadata and markup only: `extensive_search` off, so a date quoted in the text is
never taken for it). Neither downloads anything at run time. The page's text is never trusted
as HTML: it is kept as plain text and escaped wherever it is shown.
"""

import codecs
import datetime as dt
import re
from dataclasses import dataclass

import htmldate
import trafilatura

MAX_TEXT_CHARS = 1_000_000
# In a Content-Type header, or in the page's <meta charset> / <meta http-equiv> near its top.
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


class Refused(Exception):
    """An article that cannot be read; ``reason`` says why in one line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Article:
    text: str  # paragraphs, one a line
    title: str = ""
    author: str = ""
    published: dt.date | None = None


def decode_html(body: bytes, content_type: str = "") -> str:
    """The page as text, in the character set it declares (header, then <meta>), else UTF-8."""
    declared = _charset(content_type.encode("latin-1", "replace")) or _charset(body[:4096])
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared).name
        except LookupError:
            raise Refused(f"The page declares an unknown character set ({declared}).") from None
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        if declared:
            raise Refused(f"The page is not valid {declared} as it declares.") from None
        raise Refused("The page is not UTF-8 and declares no character set.") from None


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("The text is not UTF-8: save it as UTF-8 and try again.") from None


def _charset(data: bytes) -> str:
    match = _CHARSET.search(data)
    return match.group(1).decode("ascii") if match else ""


def read_html(html: str, *, url: str = "") -> Article:
    """The article in a page, or Refused when the page has no article text."""
    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=False,
    )
    text = _paragraphs(document.text if document is not None else "")
    title = ((document.title if document is not None else "") or "").strip()
    if title and text.split("\n", 1)[0].strip() == title:  # the headline, repeated as text
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if len(text) < 40:
        raise Refused("No article text was found on the page.")
    return Article(
        text=text[:MAX_TEXT_CHARS],
        title=title[:500],
        author=((document.author if document is not None else "") or "").strip()[:500],
        published=_published(html),
    )


def read_text(text: str, *, title: str = "", published: dt.date | None = None) -> Article:
    """Pasted text: paragraphs are separated by blank lines or line breaks."""
    if "\x00" in text:
        raise Refused("The text contains binary data: paste or upload plain UTF-8 text.")
    if len(text) > MAX_TEXT_CHARS:
        raise Refused(f"The text is longer than {MAX_TEXT_CHARS:,} characters.")
    body = _paragraphs(text)
    if not body:
        raise Refused("The text is empty.")
    return Article(text=body, title=title.strip()[:500], published=published)


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def _published(html: str) -> dt.date | None:
    found = htmldate.find_date(
        html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
    )
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found)
    except ValueError:
        return None
