"""`manage.py loaddata`, Django's, with history recording off while the fixture loads.

A fixture made by `dumpdata` already holds the history tables. django-simple-history skips
raw saves, but not the many-to-many changes loaddata makes (a saved query's actors and
types), so the stock command wrote a history row of its own for each timeline and then
failed on the fixture's row with the same id (IntegrityError on the historical timeline
table). What is loaded is the past as it was recorded, not a new edit.
"""

from django.core.management.commands import loaddata
from django.test.utils import override_settings


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            return super().handle(*fixture_labels, **options)
