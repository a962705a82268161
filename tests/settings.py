"""Settings for the test suite: Timeline's own, in development mode unless the environment says
otherwise (the settings themselves default to DEBUG off, which needs a real SECRET_KEY)."""

import os

os.environ.setdefault("DEBUG", "1")

from timeline.settings import *  # noqa: F403

# Tasks run in the test's own thread and transaction: no worker to start.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
