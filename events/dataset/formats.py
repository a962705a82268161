"""The dataset's file formats by name: each a function(include_drafts=...) -> lines (bytes)."""

from collections.abc import Callable, Iterator

from events.dataset import jsonl

WRITERS: dict[str, Callable[..., Iterator[bytes]]] = {
    "jsonl": jsonl.jsonl_lines,
}
