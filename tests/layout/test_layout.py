"""The code's shape, checked on every run: sizes, layers and import circles (issue 12).

Reads the source with ``ast`` only; nothing is imported or executed. A failure names the file,
the function or the circle, so the fix is obvious.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("actions", "advocacy", "cms", "events", "integrations", "partners", "reports")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "node_modules", "bench") or "migrations" in parts:
            continue
        yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every app module this file imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _sources() if p.relative_to(ROOT).parts[0] in APPS}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_no_source_file_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in _sources() if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES}
    assert long == {}


def test_no_function_body_is_over_60_lines():
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.body[0].lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = lines
    assert long == {}


def _cycle_from(graph, start):
    stack, seen = [(start, [start])], set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return trail + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None


def test_no_import_circle_between_app_modules():
    graph = _graph()
    # A package's __init__ is a parent of its modules, not an import of them: leave it out.
    graph = {m: {n for n in deps if not m.startswith(n + ".")} for m, deps in graph.items()}
    cycles = {m: c for m in graph if (c := _cycle_from(graph, m))}
    assert cycles == {}


def test_actions_never_imports_cms_or_reports():
    apps_above = ("cms", "events", "partners", "reports")
    wrong = {m: sorted(d for d in deps if d.split(".")[0] in apps_above) for m, deps in _graph().items()}
    assert {m: d for m, d in wrong.items() if m.startswith("actions") and d} == {}


def test_partners_never_import_cms_or_reports():
    """Partners are below the pages and reports, beside events: ``cms`` and ``reports`` use them."""
    wrong = {m: sorted(d for d in deps if d.split(".")[0] in ("cms", "reports")) for m, deps in _graph().items()}
    assert {m: d for m, d in wrong.items() if m.startswith("partners") and d} == {}


def test_rate_limits_sit_at_the_bottom():
    assert {d for d in _graph()["actions.ratelimit"] if d.split(".")[0] in APPS} == set()


@pytest.mark.parametrize("module", ["actions.intake", "actions.totals", "actions.review", "actions.outbox.deliver"])
def test_services_never_import_tasks(module):
    """Services wake workers through ``actions.publish``, the one module that looks tasks up."""
    assert "actions.tasks" not in _graph()[module]
