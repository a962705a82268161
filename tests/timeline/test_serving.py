"""A serving process (WSGI or ASGI) imports its views and freezes what it loaded, at start."""

import subprocess
import sys

import pytest

from tests.timeline.test_settings import PRODUCTION_ENV, ROOT

PROBE = """
import gc, sys
import {module}
print(gc.get_freeze_count(), "events.api.event_views" in sys.modules, "embeds.views" in sys.modules)
"""


@pytest.mark.parametrize("module", ["timeline.wsgi", "timeline.asgi"])
def test_the_entry_point_loads_every_view_and_moves_it_out_of_the_collectors_reach(module):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        env={**PRODUCTION_ENV, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, api_views, page_views = result.stdout.split()
    # Django, the apps and the views: tens of thousands of objects the collector skips now.
    assert int(frozen) > 50_000
    assert (api_views, page_views) == ("True", "True")
