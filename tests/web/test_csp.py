"""Templates with no inline script, handler or style, and no unescaped output: the Content-Security-Policy
runs no inline script and applies no inline style."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "commonground"
TEMPLATES = sorted(path for path in PACKAGE.glob("*/templates/**/*.html"))


def test_templates__no_inline_script_handler_or_style():
    offences = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE)
        for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offences.append(f"{name}: inline {tag}")
        offences += [f"{name}: handler {m}" for m in re.findall(r"\son[a-z]+\s*=", text, re.IGNORECASE)]
        offences += [f"{name}: {m}" for m in re.findall(r"<style\b|\sstyle\s*=|javascript:|hx-on", text,
                                                        re.IGNORECASE)]
    assert offences == []


def test_templates__no_unescaped_output():
    unescaped = r"\|\s*safe\b|\|\s*escapejs\b|{%\s*autoescape\s+off"
    offences = [f"{path.relative_to(PACKAGE)}: {m}" for path in TEMPLATES
                for m in re.findall(unescaped, path.read_text(encoding="utf-8"))]
    assert offences == []
