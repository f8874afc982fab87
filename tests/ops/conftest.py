"""The operations tests share one deployment with the demo built in it (building it is the slow part)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .deploy import ROOT, Deployment

WRITER = Path(__file__).with_name("writer.py")


@pytest.fixture(scope="package")
def migrated(tmp_path_factory) -> Iterator[Deployment]:
    """An empty deployment, migrated once: the others start as copies of its database."""
    template = Deployment(tmp_path_factory.mktemp("ops"), "migrated")
    try:
        template.run("migrate", "-v", "0")
        yield template
    finally:
        template.drop()


@pytest.fixture(scope="package")
def demo_deployment(tmp_path_factory, migrated) -> Iterator[Deployment]:
    live = Deployment(tmp_path_factory.mktemp("ops"), "live", like=migrated)
    try:
        live.run("migrate", "-v", "0")  # nothing to do: proves the copy is the migrated database
        live.run("demo", timeout=1800)  # a hang guard: under a loaded CI the build takes minutes
        yield live
    finally:
        live.drop()


class Filer:
    """writer.py filing cases into a deployment; `acknowledged` holds (number, seconds) as they commit."""

    def __init__(self, deployment: Deployment) -> None:
        env = deployment.env()
        env.pop("SECRET_KEY")
        self.process = subprocess.Popen([sys.executable, str(WRITER)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.acknowledged: list[tuple[str, float]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.startswith("ACK "):
                _ack, number, seconds = line.split()
                self.acknowledged.append((number, float(seconds)))

    def failed(self) -> str:
        return self.process.stderr.read()[-3000:] if self.process.poll() is not None else ""

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
