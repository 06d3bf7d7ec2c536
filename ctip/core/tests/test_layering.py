"""Only URL configurations import views: a view is reached through its address, never called from other code.

The import contracts between apps are checked by ``lint-imports`` (``[tool.importlinter]`` in pyproject.toml, run
by ``make lint``); this rule names modules by their role rather than their app, which those contracts cannot say.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ctip

PACKAGE = Path(ctip.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_view_module(name: str) -> bool:
    """Pages (``views``, ``*_views``, anything in a ``views`` package) and the API's views (``api``, ``api_*``)."""
    parts = name.split(".")
    return any(p == "views" or p.endswith("_views") or p == "api" or p.startswith("api_") for p in parts[2:]) and not (
        parts[-1].endswith("urls")
    )


def _views_package(name: str) -> str | None:
    """The views package a module belongs to (``ctip.cases.views`` for ``ctip.cases.views.actions``), if any."""
    parts = name.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 and parts[2] == "views" else None


def _may_import(importer: str, target: str) -> bool:
    """URL configurations and tests import views; a views package's modules import each other."""
    if importer.rsplit(".", 1)[-1].endswith("urls") or ".tests" in importer:
        return True
    home = _views_package(importer)
    return home is not None and (target == home or target.startswith(home + "."))


def _imports(path: Path, name: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return [m for m in found if m.startswith("ctip.")]


def test_only_url_configurations_import_views():
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        if "migrations" in name:
            continue
        offences += [
            f"{name} imports {target}"
            for target in _imports(path, name)
            if is_view_module(target) and not _may_import(name, target)
        ]
    assert offences == []


def test_view_modules_are_recognised():
    assert is_view_module("ctip.cases.views.actions")
    assert is_view_module("ctip.plans.dashboard_views")
    assert is_view_module("ctip.cases.api_care")
    assert is_view_module("ctip.screening.api")
    assert not is_view_module("ctip.screening.api_urls")
    assert not is_view_module("ctip.api.errors")
    assert not is_view_module("ctip.cases.services")
