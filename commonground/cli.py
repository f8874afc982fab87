"""The `commonground` console script: manage.py under a friendlier name.

`commonground serve` runs gunicorn on 127.0.0.1:8000; every other word is a Django
management command (`demo`, `import`, `export`, `report`, `migrate`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
    if len(argv) > 1 and argv[1] == "serve":
        bind = os.environ.get("CG_BIND", "127.0.0.1:8000")
        # The interpreter running us is the virtualenv's, whose bin/ need not be on PATH.
        os.execv(
            sys.executable,
            [sys.executable, "-m", "gunicorn", "commonground.config.wsgi:application", "--bind", bind,
             "--workers", os.environ.get("WEB_CONCURRENCY", "2"), "--access-logfile", "-", *argv[2:]],
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
