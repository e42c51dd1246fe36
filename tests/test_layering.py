"""The house's one rule of layout (DESIGN.md): apps stack from the bottom up, and a lower app never
imports a higher one. forms_templates → workflow → similar → approvals → notifications → portal;
config stands at the side (settings and urls see every app; any app may read config's plumbing).

The graph is read from the source with ``ast`` — every ``import`` and ``from … import``, also
inside functions, where a lazy import would otherwise hide an upward dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent
LAYERS = ["forms_templates", "workflow", "similar", "approvals", "notifications", "portal"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".", 1)[0] for name in names} & set(RANK)


def upward_imports() -> list[str]:
    found = []
    for app in LAYERS:
        for path in sorted((BASE / app).rglob("*.py")):
            for other in sorted(imported_apps(path)):
                if RANK[other] > RANK[app]:
                    found.append(f"{path.relative_to(BASE)} imports {other}")
    return found


def test_no_app_imports_one_above_it():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path):
    # The check itself can fail: a lazy import inside a function counts.
    module = tmp_path / "sample.py"
    module.write_text(
        "def f():\n    from portal.views import home\n    import notifications.models\n"
    )
    assert imported_apps(module) == {"portal", "notifications"}


@pytest.mark.parametrize("app", LAYERS)
def test_every_layer_exists(app):
    assert (BASE / app / "__init__.py").exists()


def test_the_shared_api_plumbing_reads_only_the_engines_errors():
    # config/api/ is what every app's API shares; if it read an app's models or services, the
    # lower apps that use it would reach that app through it.
    reached = set()
    for path in sorted((BASE / "config" / "api").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                reached.add(node.module)
            elif isinstance(node, ast.Import):
                reached.update(alias.name for alias in node.names)
    assert {name for name in reached if name.split(".", 1)[0] in RANK} == {"workflow.exceptions"}


def literal_comparisons(path: Path, values: set[str]) -> list[str]:
    """``x == "pending"``-style comparisons (also ``in (...)``) against any of ``values``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        constants = [c for o in operands for c in (o, *getattr(o, "elts", ()))]
        for constant in constants:
            if isinstance(constant, ast.Constant) and constant.value in values:
                found.append(f"{path}:{node.lineno} compares {constant.value!r}")
    return found


def test_the_engine_reads_no_upper_rows_by_literal():
    # A signature's states are the engine's words (workflow.models.SignatureStatus), which
    # approvals stores: below approvals, nobody compares a signature's status to a string.
    values = {"pending", "declined"}
    found = []
    for app in LAYERS[: RANK["approvals"]]:
        for path in sorted((BASE / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found.extend(literal_comparisons(path, values))
    assert found == []


def test_the_literal_check_sees_a_literal(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def f(s):\n    return s.status == 'pending' or s in ('declined',)\n")
    assert len(literal_comparisons(module, {"pending", "declined"})) == 2
