"""Closed votes' ballot records in the published form: no elector keys (they were holders' primary keys).

The old record listed the register as [elector key, area] pairs and each ballot with its elector key, channel and
version; the new one carries the register's totals and, per ballot, its receipt code, area, choice and marks
(services/votes.py ballot_record). The conversion is exact (same weights, same totals, same ballots), so the
result does not change. The hash is recomputed only where the old record still hashed to the stored hash: a
record altered since it was fixed keeps the old hash, so the re-check keeps reporting it. The result notice
names the hash of the record that is published, so its text follows.
"""

from __future__ import annotations

import hashlib
import json

from django.db import migrations


def record_hash(record: dict) -> str:
    """As tally.record_hash when this migration was written (it must not follow later changes)."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_old(record: object) -> bool:
    return isinstance(record, dict) and isinstance(record.get("electorate"), list)


def converted(record: dict) -> dict:
    cents = {key: area for key, area in record["electorate"]}
    ballots = [{"receipt": b["receipt"], "area": cents[b["elector"]], "choice": b["choice"],
                "candidates": sorted(b.get("candidates") or [])} for b in record["ballots"]]
    return {**{k: v for k, v in record.items() if k not in {"electorate", "ballots"}},
            "electorate": {"area": sum(cents.values()), "heads": len(cents)},
            "ballots": sorted(ballots, key=lambda b: b["receipt"])}


def convert_row(row) -> bool:
    """Convert the record of one vote (or history row) in place; False when it is not in the old form."""
    record = row.result.get("record") if isinstance(row.result, dict) else None
    if not is_old(record):
        return False
    new = converted(record)
    row.result = {**row.result, "record": new}
    if record_hash(record) == row.record_hash:
        row.record_hash = record_hash(new)
    return True


def forwards(apps, schema_editor):
    Vote = apps.get_model("deliberation", "Vote")
    HistoricalVote = apps.get_model("deliberation", "HistoricalVote")
    Notice = apps.get_model("deliberation", "Notice")
    for vote in Vote.objects.filter(status="closed").iterator():
        old_hash = vote.record_hash
        if not convert_row(vote):
            continue
        vote.save(update_fields=["result", "record_hash"])
        if vote.record_hash != old_hash:
            for notice in Notice.objects.filter(vote_id=vote.pk, kind="result", body__contains=old_hash):
                notice.body = notice.body.replace(old_hash, vote.record_hash)
                notice.save(update_fields=["body"])
    for row in HistoricalVote.objects.filter(status="closed").iterator():
        if convert_row(row):
            row.save(update_fields=["result", "record_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("deliberation", "0003_ballot_file_types"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
