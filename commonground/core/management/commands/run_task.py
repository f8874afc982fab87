"""`commonground run_task NAME [ARG ...]`: run one Celery task here and now (the background runner without a
broker uses it; an operator may too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.core.background import task_named


class Command(BaseCommand):
    help = "Run one Celery task by name in this process, e.g. run_task core.run_import 12."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("task_args", nargs="*", metavar="ARG")

    def handle(self, *args: Any, name: str, task_args: list[str], **options: Any) -> None:
        try:
            task = task_named(name)
        except KeyError:
            raise CommandError(f"no task named {name}") from None
        task.run(*[int(value) if value.isdigit() else value for value in task_args])
