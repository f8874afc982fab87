"""The demo writes through the services on the one clock: no demo module patches a module, the clock, the
calendar or the timestamps of the models (which would let the demo write what the services never would)."""

from __future__ import annotations

import ast
from pathlib import Path

from commonground.demo.builder import extension_steps

ROOT = Path(__file__).resolve().parents[2] / "commonground"
FORBIDDEN_WORDS = ("auto_now", "monkeypatch", "timezone.now =")


def demo_modules() -> list[Path]:
    return sorted({*ROOT.glob("demo/*.py"), *ROOT.glob("*/demo.py"), *ROOT.glob("*/demo/**/*.py")})


def module_patches(path: Path) -> list[str]:
    """Assignments to an attribute of an imported module, and setattr() on one."""
    tree = ast.parse(path.read_text())
    modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names if alias.name[:1].islower() and "." not in alias.name}
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in modules:
                found.append(f"{path.name}:{node.lineno} {ast.unparse(target)} = …")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in modules):
            found.append(f"{path.name}:{node.lineno} setattr({node.args[0].id}, …)")
    return found


def test_demo_modules__no_patching_of_modules_clock_or_timestamps():
    paths = demo_modules()

    assert {p.relative_to(ROOT).parts[0] for p in paths} >= {"demo", "cases", "deliberation", "renewal"}
    words = [f"{p.relative_to(ROOT)}: {word}" for p in paths for word in FORBIDDEN_WORDS if word in p.read_text()]
    patches = [patch for p in paths for patch in module_patches(p)]
    assert words == []
    assert patches == []


def test_extension_steps__every_app_demo_module_or_package_in_app_order(settings):
    assert [label for label, _step in extension_steps()] == ["cases", "deliberation", "renewal", "coordination", "programs",
                                                                 "business", "cockpit"]
