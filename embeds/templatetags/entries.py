"""The entries of a period or section, joined: one string instead of a template loop."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def entries_html(entries) -> str:
    """Each entry's rendered HTML (embeds.fragments, autoescaped there) on a line of its own.

    What `{% for event in entries %}\n{{ event.html }}{% endfor %}` gave, byte for byte: that
    loop cost a 500-entry embed a tenth of its time."""
    return mark_safe("".join([f"\n{entry.html}" for entry in entries]))
