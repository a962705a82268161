"""Curator Markdown to safe HTML: markdown-it-py renders, nh3 sanitises against an allow-list.

Raw HTML in the Markdown is not rendered (html=False); nh3 then removes anything outside the
allow-list, so a summary can never carry script, styles or event handlers into a page or embed.
"""

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> SafeString:
    """Render curator Markdown to sanitised HTML; links open safely in a new tab."""
    if not text:
        return mark_safe("")
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    return mark_safe(clean)  # sanitised just above


def markdown_to_text(text: str) -> str:
    """Plain text of the Markdown (for CSV, iCalendar, feeds' summaries, meta descriptions)."""
    return html.unescape(nh3.clean(_md.render(text or ""), tags=set())).strip()
