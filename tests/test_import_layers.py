"""Imports point down the layers, never up (docs/architecture.md, "Layers").

Lowest first: settings and the small shared packages; the database; the domain services; the
Rasa components; the Rasa-facing adapters (actions, channels, dashboard); and the programs that
start everything. A module may import its own layer or any layer below it. The test reads the
source with `ast`, so it also catches an import hidden inside a function.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from bot.settings import PROJECT_ROOT

LAYERS: tuple[tuple[str, ...], ...] = (
    ("bot.settings", "bot.common", "bot.security", "bot.language", "bot.rasa_patches"),
    ("bot.store",),
    ("bot.services",),
    ("bot.nlu", "bot.policies"),
    ("bot.actions", "bot.channels", "bot.web"),
)
TOP = len(LAYERS)  # bot.launcher, bot.worker, bot.admin and the other programs


def layer_of(module: str) -> int | None:
    """The layer index of a bot module; None for anything outside bot."""
    if module != "bot" and not module.startswith("bot."):
        return None
    for index, prefixes in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    return TOP


def module_name(path: Path, project_root: Path) -> str:
    parts = list(path.relative_to(project_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def upward_imports(project_root: Path = PROJECT_ROOT) -> list[str]:
    problems = []
    for path in sorted((project_root / "bot").rglob("*.py")):
        if "migrations" in path.parts:
            continue  # frozen history: each migration imports what it needed then
        importer = module_name(path, project_root)
        own = layer_of(importer)
        assert own is not None
        for line, imported in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            target = layer_of(imported)
            if target is not None and target > own:
                problems.append(f"{path.relative_to(project_root)}:{line} imports {imported} (layer {target} > {own})")
    return problems


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports() == []


def test_every_service_lives_in_a_capability_package():
    services = PROJECT_ROOT / "bot" / "services"
    loose = [path.name for path in services.glob("*.py") if path.name != "__init__.py"]
    assert loose == []
    for package in (path for path in services.iterdir() if path.is_dir() and path.name != "__pycache__"):
        init = package / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), (
            f"{package.name} needs an __init__.py whose docstring says what it owns"
        )


def test_the_check_sees_an_upward_import(tmp_path):
    """A copy of the tree with one service that imports an action: the check names it."""
    shutil.copytree(PROJECT_ROOT / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__", "data"))
    planted = tmp_path / "bot" / "services" / "consent" / "planted.py"
    planted.write_text("def later():\n    from bot.actions.crisis import ActionCrisis\n", encoding="utf-8")
    assert upward_imports(tmp_path) == ["bot/services/consent/planted.py:2 imports bot.actions.crisis (layer 4 > 2)"]
