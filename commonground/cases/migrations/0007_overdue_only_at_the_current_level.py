"""The deadline job used to mark a case overdue when it sent it up the ladder, beside the fresh deadline of the
level above. A case is overdue only where its last deadline passed: at the top of the ladder, where the job logs
an "overdue" event. Clear the mark of every case whose last "overdue" event (if any) comes before its last
escalation, reopening or dispatch, and note on those escalations that the level below had run out of time."""

from django.db import migrations

RESTARTS = ("dispatched", "escalated", "reopened")


def clear_marks_of_escalated_cases(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    marked = list(Case.objects.filter(is_overdue=True).values_list("pk", flat=True))
    stale = []
    for start in range(0, len(marked), 500):
        chunk = marked[start:start + 500]
        last: dict[int, tuple] = {}
        events = (CaseEvent.objects.filter(case_id__in=chunk, action__in=(*RESTARTS, "overdue"))
                  .order_by("case_id", "at", "pk").values_list("case_id", "pk", "action", "data"))
        for case_id, pk, action, data in events:
            last[case_id] = (pk, action, data)
        for case_id in chunk:
            pk, action, data = last.get(case_id, (None, "", {}))
            if action == "overdue":
                continue
            stale.append(case_id)
            if action == "escalated" and not (data or {}).get("overdue"):
                CaseEvent.objects.filter(pk=pk).update(data={**(data or {}), "overdue": True})
    Case.objects.filter(pk__in=stale).update(is_overdue=False)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_idempotency_key_claimed_first"),
    ]

    operations = [
        migrations.RunPython(clear_marks_of_escalated_cases, migrations.RunPython.noop),
    ]
