"""Timeline's settings with the naive baseline's URLs (see bench/naive/__init__.py)."""

from timeline.settings import *  # noqa: F403

ROOT_URLCONF = "bench.naive.urls"
