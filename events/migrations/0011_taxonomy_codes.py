"""Correct the CAMEO and PLOVER codes the first release seeded (see events/taxonomy.py).

Only types still carrying the first release's wrong code are changed, so a code a curator has
since set by hand stays. The values are copied here (not imported) so this migration keeps
meaning the same whatever the taxonomy module says later.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

# slug: ((old CAMEO, old PLOVER), (new CAMEO, new PLOVER))
CORRECTIONS = {
    "aid-pledge": (("033", "AID"), ("033", "AGREE")),
    "aid-suspension": (("162", "REDUCE"), ("162", "SANCTION")),
    "summit": (("043", "CONSULT"), ("040", "CONSULT")),
    "diplomatic-relations": (("064", "COOPERATE"), ("", "")),
    "agreement": (("057", "AGREE"), ("057", "SUPPORT")),
    "military-action": (("190", "FIGHT"), ("190", "ASSAULT")),
}


def correct(apps, schema_editor, *, forward=True):
    EventType = apps.get_model("events", "EventType")
    ChangeStamp = apps.get_model("events", "ChangeStamp")
    changed = 0
    for slug, (old, new) in CORRECTIONS.items():
        was, becomes = (old, new) if forward else (new, old)
        changed += EventType.objects.filter(
            slug=slug, cameo_code=was[0], plover_code=was[1]
        ).update(cameo_code=becomes[0], plover_code=becomes[1])
    if changed:  # readers see the codes (/api/v1/types/): both freshness stamps move
        ChangeStamp.objects.update(counter=F("counter") + 1, changed_at=timezone.now())


def undo(apps, schema_editor):
    correct(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("events", "0010_public_change")]

    operations = [migrations.RunPython(correct, undo)]
