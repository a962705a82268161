"""The entries of a period or section: joined here, or spliced in after the page is rendered
(embeds.fragments.render_spliced)."""

from django import template
from django.utils.safestring import mark_safe

from embeds.fragments import ENTRIES_MARK, SPLICED_BLOCKS, joined_entries

register = template.Library()


def entries_html(entries) -> str:
    """Each entry's rendered HTML (embeds.fragments, autoescaped there) on a line of its own.

    What `{% for event in entries %}\n{{ event.html }}{% endfor %}` gave, byte for byte: that
    loop cost a 500-entry embed a tenth of its time."""
    return mark_safe(joined_entries(entries).decode())


@register.simple_tag(takes_context=True)
def entries(context, rows) -> str:
    """`entries_html`, or, in a page rendered by `render_spliced`, a mark where they will go."""
    blocks = context.get(SPLICED_BLOCKS)
    if blocks is None:
        return entries_html(rows)
    blocks.append(rows)
    return mark_safe(ENTRIES_MARK)
