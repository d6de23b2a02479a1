"""The project's apps are layers, lowest first, in the order of INSTALLED_APPS: a lower app never
imports a higher one (docs/architecture.md). Read from the source, imports inside functions too,
so a shortcut across the layers shows up here rather than as an import cycle later."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app).is_dir()]


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def test_no_app_imports_a_higher_one():
    rank = {app: index for index, app in enumerate(APPS)}
    crossings = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for line, module in imported_modules(path)
        if rank.get(module.split(".")[0], -1) > rank[app]
    ]
    assert len(APPS) > 20 and APPS[0] == "core"
    assert crossings == []
