"""Imports sit at the top of modules (STYLE.md 12a); the layer contract is .importlinter.

The one exception is Django's own order of loading: an app's ``AppConfig.ready`` loads
the modules that register its hooks (they import models, which are not ready when
``apps.py`` is imported).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "config",
    "core",
    "history",
    "accounts",
    "offices",
    "catalog",
    "delivery",
    "visits",
    "complaints",
    "softcopies",
    "feedback",
    "reports",
    "privacy",
    "ops",
]


def _app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _imports_inside_functions(path, root=ROOT):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    documented = path.name == "apps.py"  # AppConfig.ready: Django's order of loading

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = function or getattr(child, "name", "<lambda>")
            inside = function is not None and not (documented and function == "ready")
            if isinstance(child, ast.Import | ast.ImportFrom) and inside:
                found.append(f"{path.relative_to(root)}:{child.lineno} (in {function})")
            walk(child, inner)

    walk(tree, None)
    return found


def test_imports_sit_at_the_top_of_modules():
    misplaced = [line for path in _app_modules() for line in _imports_inside_functions(path)]

    assert misplaced == []


@pytest.mark.parametrize("app", APPS)
def test_the_contract_names_every_app(app):
    contract = (ROOT / ".importlinter").read_text()

    assert f"    {app}\n" in contract and app in contract.split("layers =", 1)[1]


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def view(request):\n    from visits.models import Visit\n    return Visit\n")

    assert _imports_inside_functions(module, tmp_path) == ["views.py:2 (in view)"]
