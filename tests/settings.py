"""Settings for the test suite: Timeline's own, in development mode unless the environment says
otherwise (the settings themselves default to DEBUG off, which needs a real SECRET_KEY)."""

import os

os.environ.setdefault("DEBUG", "1")

from timeline.settings import *  # noqa: F403

# Tasks run in the test's own thread and transaction: no worker to start.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Archived copies go to a directory of this test run's own, never to var/archive.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

_ARCHIVE_DIR = tempfile.mkdtemp(prefix="timeline-archive-test-")
atexit.register(shutil.rmtree, _ARCHIVE_DIR, ignore_errors=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "archive": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _ARCHIVE_DIR},
    },
}
