"""The dataset's file formats by name: each a function(include_drafts=...) -> lines (bytes)."""

from collections.abc import Callable, Iterator

from events.dataset import ftm, jsonl, plover, popolo

WRITERS: dict[str, Callable[..., Iterator[bytes]]] = {
    "jsonl": jsonl.jsonl_lines,
    "popolo": popolo.popolo_lines,
    "plover": plover.plover_lines,
    "ftm": ftm.ftm_lines,
}
