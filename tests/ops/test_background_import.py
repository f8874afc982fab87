"""Without a Celery broker, a web import starts a detached `commonground run_task` process: the caller returns
at once and the process imports the file (the real path, not the test suite's stand-in)."""

from __future__ import annotations

import json
import time

import pytest

START = """
from django.core.files.uploadedfile import SimpleUploadedFile
from commonground.core.models import User
from commonground.core.rosters.jobs import import_job_start
data = "身份证号,姓名\\n{number},后台导入\\n".encode("utf-8-sig")
job = import_job_start(actor=User.objects.get(username="community"), roster="people",
                       upload=SimpleUploadedFile("people.csv", data))
print(job.pk)
"""
STATUS = ("import json; from commonground.core.models import ImportJob; "
          "job = ImportJob.objects.get(pk={pk}); print(json.dumps([job.status, job.result.get('created')]))")


@pytest.mark.slow
def test_background_import__no_broker__a_detached_process_imports_the_file(demo_deployment):
    from tests.conftest import make_id_number

    job = int(demo_deployment.run("shell", "-c", START.format(number=make_id_number(seq=777))).stdout.split()[-1])
    deadline = time.monotonic() + 120
    status = None
    while time.monotonic() < deadline:
        status = json.loads(demo_deployment.run("shell", "-c", STATUS.format(pk=job)).stdout.strip().splitlines()[-1])
        if status[0] in ("done", "failed"):
            break
        time.sleep(1)
    assert status == ["done", 1]
