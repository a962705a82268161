"""Write stored http:// source URLs as https://, the normal form events/urls_normalise.py now keeps.

Without this, a source stored as http://site/a before the change would not be found when the
same address is pasted or imported again (it now normalises to https://site/a), and a second
source would be made. A URL with an explicit port keeps its scheme, as the normaliser does.
Where both forms are already stored, both stay: two sources cited by events need a merge, which
a curator decides, not a migration. The rule is copied here (not imported) so this migration
keeps meaning the same whatever the normaliser says later.
"""

from urllib.parse import urlsplit

from django.db import migrations
from django.db.models import F
from django.utils import timezone


def to_https(apps, schema_editor):
    Source = apps.get_model("events", "Source")
    ChangeStamp = apps.get_model("events", "ChangeStamp")
    changed = 0
    for pk, url in Source.objects.filter(url__startswith="http://").values_list("pk", "url"):
        try:
            if urlsplit(url).port is not None:
                continue
        except ValueError:
            continue
        https = "https://" + url.removeprefix("http://")
        if Source.objects.filter(url=https).exists():
            continue
        changed += Source.objects.filter(pk=pk).update(url=https, version=F("version") + 1)
    if changed:  # readers see source URLs: both freshness stamps move
        ChangeStamp.objects.update(counter=F("counter") + 1, changed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("events", "0014_demo_fingerprints_and_plain_words")]

    operations = [migrations.RunPython(to_https, migrations.RunPython.noop)]
