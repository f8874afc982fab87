"""The layers: `core` and `web` name no app (apps register what they add: permissions, report sections, nav
entries, home capabilities, header tools), and no app depends on the demo (the demo builds on the apps).

Imports are read statically (ast), so a module is checked whether or not anything imports it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "commonground"
APPS = sorted(path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists())
SHELL = ("core", "web")
# The apps there are and the apps to come: none may be named in the shell, in code or templates.
APP_NAMES = ("cases", "deliberation", "renewal", "coordination", "programs", "business", "cockpit")
APP_NAME = re.compile(rf"(?<![a-z])({'|'.join(APP_NAMES)})(?![a-z])", re.I)  # "_" separates: cases_tags counts
# Core's own vocabulary that shares a word with an app: a kind of place (business community) and the renewal
# work group as an organisation kind and a role kind. Nothing else is excused.
CORE_WORDS = re.compile(r"business[ _-]communit(y|ies)|renewal[ _-]work", re.I)
NOT_CODE = ("migrations", "vendor", "__pycache__")  # generated or vendored; the catalogue lives outside both


def shell_files() -> Iterator[Path]:
    for layer in SHELL:
        for path in sorted((PACKAGE / layer).rglob("*")):
            if path.is_file() and not set(NOT_CODE) & set(path.relative_to(PACKAGE).parts) \
                    and path.suffix not in (".mo", ".po", ".png", ".svg", ".ico"):
                yield path


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(source: str, module: str, *, type_only: bool = True) -> Iterator[str]:
    """Every module `module` imports, relative imports resolved (`from commonground import x` imports x). With
    `type_only=False`, imports under `if TYPE_CHECKING:` are left out (annotations only, no dependency)."""
    package = module.split(".") if module.endswith("__init__") else module.split(".")[:-1]

    def walk(nodes: list[ast.stmt]) -> Iterator[str]:
        for node in nodes:
            if isinstance(node, ast.If) and is_type_checking(node) and not type_only:
                yield from walk(node.orelse)
                continue
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package[:len(package) - node.level + 1], *([base] if base else [])])
                if base.count(".") == 0:  # `from commonground import cases`, `from ... import cases`
                    yield from (f"{base}.{alias.name}" for alias in node.names)
                else:
                    yield base
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from walk(getattr(node, field, []) or [])

    yield from walk(ast.parse(source).body)


def app_of(imported: str) -> str | None:
    parts = imported.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "commonground" and parts[1] in APPS else None


def shell_violations(path: Path, source: str) -> list[str]:
    return sorted({f"{module_name(path)} imports {name}" for name in imports(source, module_name(path))
                   if app_of(name) not in (None, *SHELL)})


def demo_violations(path: Path, source: str) -> list[str]:
    return sorted({f"{module_name(path)} imports {name}"
                   for name in imports(source, module_name(path), type_only=False) if app_of(name) == "demo"})


def test_architecture_checks__an_app_import__found():
    """The checks can fail: an absolute and a relative import of an app from core, a demo import from an app."""
    core_module = PACKAGE / "core/views/places.py"
    assert shell_violations(core_module, "from commonground.cases.models import Case\n") == [
        "commonground.core.views.places imports commonground.cases.models"]
    assert shell_violations(core_module, "def f():\n    from ...deliberation import tally\n") == [
        "commonground.core.views.places imports commonground.deliberation"]
    assert shell_violations(core_module, "from ... import cases\n") == [
        "commonground.core.views.places imports commonground.cases"]
    assert shell_violations(core_module, "from ..models import Place\nimport commonground.web.registry\n") == []
    app_module = PACKAGE / "cases/demo/world.py"
    assert demo_violations(app_module, "import commonground.demo.names\n") == [
        "commonground.cases.demo.world imports commonground.demo.names"]
    assert demo_violations(app_module, "if TYPE_CHECKING:\n    from commonground.demo.context import X\n") == []
    assert APP_NAME.search("{% load cases_tags %}") and not APP_NAME.search("showcases")


def test_core_and_web__import_no_app():
    problems = [problem for path in shell_files() if path.suffix == ".py"
                for problem in shell_violations(path, path.read_text(encoding="utf-8"))]
    assert problems == []


def test_apps__import_nothing_of_the_demo():
    """The demo builds its district by calling the apps (each app's `build_demo_data`); an app only names the
    demo's context type in annotations."""
    problems = [problem for app in APPS if app != "demo" for path in sorted((PACKAGE / app).rglob("*.py"))
                for problem in demo_violations(path, path.read_text(encoding="utf-8"))]
    assert problems == []


def test_core_and_web__name_no_app_in_code_or_templates():
    problems = []
    for path in shell_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if APP_NAME.search(CORE_WORDS.sub("", line)):
                problems.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert problems == []
