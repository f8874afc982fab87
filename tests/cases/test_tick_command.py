from __future__ import annotations

import io

from celery.schedules import crontab
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from commonground.cases.models import Case, Level, Notification, NotificationPreference, Stage
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept, case_dispatch
from commonground.cases.tasks import send_digests_task, tick_task
from commonground.config.celery import app

from .conftest import at, frozen


def dispatched_at(moment, tree, people, category) -> Case:
    with frozen(moment):
        case = case_report(actor=people["resident"], category=category, place=tree.building,
                           description="楼道口垃圾三天没人清理")
        case_accept(case=case, actor=people["worker"])
        return case_dispatch(case=case, actor=people["worker"])


def tick(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("tick", *args, stdout=out)
    return out.getvalue()


def numbers(output: str) -> list[int]:
    """The counts the command printed, in order (the wording is translated)."""
    return [int(word) for word in output.replace(",", " ").replace(".", " ").split() if word.isdigit()]


def test_tick_command__overdue_case__escalated_then_second_run_changes_nothing(located, categories, people, nothing_written):
    case = dispatched_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])  # due 14:30
    late = at(2024, 9, 24, 9, 0)

    with frozen(late):
        first = tick()
    with nothing_written():
        with frozen(late):
            second = tick()

        case.refresh_from_db()
        assert (case.level, case.handling_place, case.is_overdue, case.stage) == (
            Level.STREET, located.street, False, Stage.DISPATCH)  # the street has its own, fresh time limit
        assert (numbers(first)[-2:], numbers(second)[-2:]) == ([0, 1], [0, 0])


def test_tick_command__nothing_due__changes_nothing(located, categories, people, nothing_written):
    dispatched_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])
    with nothing_written(), frozen(at(2024, 9, 23, 10, 0)):
        output = tick()

    assert output.count("\n") == 1


def test_tick_command__digests__one_email_then_none(located, categories, people, settings):
    worker = people["grid"]
    worker.email = "grid@example.org"
    worker.save()
    NotificationPreference.objects.create(user=worker, digest=True)
    dispatched_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])
    with frozen(at(2024, 9, 23, 10, 0)):
        first = tick("--digests")
        second = tick("--digests")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grid@example.org"]
    assert (numbers(first)[-1], numbers(second)[-1]) == (1, 0)
    assert not Notification.objects.filter(user=worker, emailed_at__isnull=True).exists()


def test_dispatch__email_on__each_handler_mailed_after_commit_unless_they_opted_out(
        located, categories, people, settings, django_capture_on_commit_callbacks):
    settings.CG_EMAIL_NOTIFICATIONS = True
    for key, address in (("grid", "grid@example.org"), ("worker", "worker@example.org")):
        people[key].email = address
        people[key].save()
    NotificationPreference.objects.create(user=people["worker"], email=False)  # in the app only

    with django_capture_on_commit_callbacks(execute=True):
        dispatched_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])

    assert [message.to for message in mail.outbox] == [["grid@example.org"]]
    told = Notification.objects.filter(kind="assigned")
    assert {people["grid"].pk, people["worker"].pk} <= {n.user_id for n in told}
    assert [n.user_id for n in told if n.emailed_at is not None] == [people["grid"].pk]


def test_tick_task__eager_without_broker__runs_the_deadline_job_once(located, categories, people):
    case = dispatched_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])

    with frozen(at(2024, 9, 24, 9, 0)):
        first = tick_task.delay().get()
        second = tick_task.delay().get()

    assert (first, second) == ({"warned": 0, "escalated": 1}, {"warned": 0, "escalated": 0})
    assert Case.objects.get(pk=case.pk).escalations == 1


def test_send_digests_task__nobody_asked__sends_nothing(db):
    assert send_digests_task.delay().get() == 0
    assert mail.outbox == []


def test_celery_app__eager_and_beat_schedule():
    schedule = app.conf.beat_schedule

    assert app.conf.task_always_eager is True
    assert {"cases.tick", "cases.send_digests"} <= set(app.tasks)
    assert (schedule["cases-tick"]["task"], schedule["cases-tick"]["schedule"]) == ("cases.tick", 300.0)
    assert schedule["cases-digests"]["task"] == "cases.send_digests"
    assert schedule["cases-digests"]["schedule"] == crontab(hour=8, minute=0)
    assert str(app.conf.timezone) == "Asia/Shanghai"
