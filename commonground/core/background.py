"""Work that must not run inside a web request (a 300,000-row import outlives gunicorn's 30 s timeout).

With a Celery broker (CELERY_BROKER_URL) the task goes to the workers. Without one, it runs in a detached
`commonground run_task` process, so the request returns at once and the work survives the web worker.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings


def start(task_name: str, *args: int | str) -> None:
    """Start the Celery task `task_name` with `args` off the request (after the caller's commit)."""
    if settings.CELERY_BROKER_URL:
        from commonground.config.celery import app

        app.send_task(task_name, args=list(args))
        return
    log = Path(settings.VAR_DIR) / "background.log"
    with log.open("a") as output:
        subprocess.Popen(  # noqa: S603 (our own interpreter and command)
            [sys.executable, "-m", "commonground.cli", "run_task", task_name, *map(str, args)],
            stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True,
        )


def task_named(name: str) -> Any:
    """The registered Celery task called `name` (KeyError when there is none)."""
    from commonground.config.celery import app

    app.loader.import_default_modules()
    return app.tasks[name]
