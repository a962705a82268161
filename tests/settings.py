"""Settings for the test suite: Timeline's own, in development mode unless the environment says
otherwise (the settings themselves default to DEBUG off, which needs a real SECRET_KEY)."""

import os

os.environ.setdefault("DEBUG", "1")

from timeline.settings import *  # noqa: F403
