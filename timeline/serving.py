"""What a serving process does once, after Django is set up and before its first request."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view now (through the URLconf), then move everything loaded so far out of
    the cyclic garbage collector's reach (`gc.freeze`).

    Why: those objects live as long as the process, yet the collector's full collections,
    which come every few requests that build many objects, walked all of them (about 150,000)
    each time. A 500-event API page cost 31-33 ms of CPU on average against 18-19 ms in the
    median; frozen, 19-20 ms on average (docs/benchmarks.md). What requests make is collected
    as before.
    """
    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    gc.freeze()
