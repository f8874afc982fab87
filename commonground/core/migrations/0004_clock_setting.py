"""The demo's pinned `today` becomes a clock that starts on that day at 16:00 and runs on from now."""

import datetime
import zoneinfo

from django.db import migrations
from django.utils import timezone

LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")


def forwards(apps, schema_editor):
    Setting = apps.get_model("core", "Setting")
    pinned = Setting.objects.filter(key="today").first()
    if pinned is None:
        return
    day = datetime.date.fromisoformat(pinned.value)
    starts_at = datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=LOCAL)
    Setting.objects.update_or_create(key="clock", defaults={
        "value": {"starts_at": starts_at.isoformat(), "real_at": timezone.now().isoformat()}})
    pinned.delete()


def backwards(apps, schema_editor):
    Setting = apps.get_model("core", "Setting")
    clock = Setting.objects.filter(key="clock").first()
    if clock is None:
        return
    day = datetime.datetime.fromisoformat(clock.value["starts_at"]).astimezone(LOCAL).date()
    Setting.objects.update_or_create(key="today", defaults={"value": day.isoformat()})
    clock.delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_person_registered_place")]
    operations = [migrations.RunPython(forwards, backwards)]
