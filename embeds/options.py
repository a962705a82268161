"""The embed's display options, read from the query string; everything else is a filter."""

from dataclasses import dataclass

from django.http import QueryDict

THEMES = ("light", "dark", "auto")
GROUPINGS = ("month", "year")
# A curated timeline shows its entries in the curator's order unless asked for "date".
ORDERS = ("curated", "date")
# Options of the embed itself; the other parameters go to the shared EventFilterSet.
OPTION_NAMES = ("theme", "compact", "highlight", "maxheight", "group", "order", "start", "end")
MIN_HEIGHT, MAX_HEIGHT = 150, 5000


class OptionError(ValueError):
    """A display option with a value we cannot use; the message says what is allowed."""


@dataclass(frozen=True)
class EmbedOptions:
    theme: str = "auto"
    compact: bool = False
    highlight: str = ""
    maxheight: int | None = None
    group: str = "month"
    order: str = "curated"

    @classmethod
    def from_query(cls, query: QueryDict) -> "EmbedOptions":
        theme = query.get("theme", "auto") or "auto"
        if theme not in THEMES:
            raise OptionError(f"theme must be one of {', '.join(THEMES)}, not “{theme}”.")
        group = query.get("group", "month") or "month"
        if group not in GROUPINGS:
            raise OptionError(f"group must be one of {', '.join(GROUPINGS)}, not “{group}”.")
        order = query.get("order", "curated") or "curated"
        if order not in ORDERS:
            raise OptionError(f"order must be one of {', '.join(ORDERS)}, not “{order}”.")
        compact = query.get("compact", "0")
        if compact not in ("", "0", "1", "true", "false"):
            raise OptionError("compact must be 1 or 0.")
        return cls(
            theme=theme,
            compact=compact in ("1", "true"),
            highlight=(query.get("highlight") or "").strip().lower()[:200],
            maxheight=_height(query.get("maxheight")),
            group=group,
            order=order,
        )


def _height(raw: str | None) -> int | None:
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise OptionError(f"maxheight must be a number of pixels, not “{raw}”.") from None
    if not MIN_HEIGHT <= value <= MAX_HEIGHT:
        raise OptionError(f"maxheight must be between {MIN_HEIGHT} and {MAX_HEIGHT} pixels.")
    return value


def filter_data(query: QueryDict) -> QueryDict:
    """The query string as EventFilterSet data: options removed, start/end as from/to."""
    data = query.copy()
    for name in OPTION_NAMES:
        data.pop(name, None)
    if query.get("start") and "from" not in query:
        data["from"] = query["start"]
    if query.get("end") and "to" not in query:
        data["to"] = query["end"]
    return data
