"""The codebase's shape, as tests: dependencies run one way, and functions stay short.

views -> forms -> domain operations (safety engine, courses, sessions, fixes, content) -> models.
No model imports the engine or the planner, at module level or inside a function: behaviour
that needs the rules lives in the domain modules that the views call.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "routines"
MAX_FUNCTION_LINES = 60

# Which top-level parts of `routines` each part may import (besides itself).
ALLOWED = {
    "models": {"models", "durations"},
    "safety": {"models", "durations"},
    "courses": {"models", "safety", "sessions", "durations"},
    "sessions": {"models", "safety", "courses", "durations"},
    "fixes": {"models", "safety"},
    "content": {"models"},
    "forms": {"models", "safety", "sessions", "durations"},
    "personal_data": {"models"},
    "throttle": set(),
}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE).parts
    return relative[0].removesuffix(".py")


def _imported_parts(path: Path, root: Path = ROOT) -> set[str]:
    """The `routines` parts a module imports, wherever the import statement stands."""
    package = list(path.relative_to(root).with_suffix("").parts)[:-1]
    parts = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            if not node.module:
                target += [alias.name for alias in node.names][:1]
        elif isinstance(node, ast.Import):
            target = node.names[0].name.split(".")
        else:
            continue
        if len(target) > 1 and target[0] == "routines":
            parts.add(target[1])
    return parts


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_dependencies_run_one_way(path):
    part = _part(path)
    if part not in ALLOWED:
        return  # views, urls, admin, management commands: the outer layer may use anything
    forbidden = _imported_parts(path) - ALLOWED[part] - {part}
    assert not forbidden, f"{path.relative_to(ROOT)} ({part}) imports {sorted(forbidden)}"


def test_the_dependency_check_sees_an_import_inside_a_function(tmp_path):
    fake = tmp_path / "routines" / "models" / "course.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from ..courses.planner import replan_session\n")

    assert _imported_parts(fake, tmp_path) == {"courses"}


def test_the_dependency_check_resolves_absolute_and_package_imports(tmp_path):
    fake = tmp_path / "routines" / "models" / "session.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("import routines.safety.engine\nfrom .. import courses\n")

    assert _imported_parts(fake, tmp_path) == {"safety", "courses"}


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_is_longer_than_60_lines(path):
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.relative_to(ROOT)}: {', '.join(long)}"
