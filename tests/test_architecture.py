"""The dependency rule (docs/architecture.md): an app imports only from apps below it.

frontend → reports → surveys → participation → geo → core
`config` wires everything together and is exempt.
"""

import ast
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
LAYERS = ["frontend", "reports", "surveys", "participation", "geo", "core"]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


def _violations(app: str) -> list[str]:
    allowed = set(LAYERS[LAYERS.index(app) :])
    found = []
    for path in sorted((PROJECT_DIR / app).rglob("*.py")):
        for other in sorted(_imported_apps(path) - allowed):
            found.append(f"{path.relative_to(PROJECT_DIR)} imports {other}")
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_from_apps_below_it(app):
    assert _violations(app) == []


def test_the_check_notices_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "core"
    fake.mkdir()
    (fake / "bad.py").write_text("from reports.models import Report\n")
    monkeypatch.setattr(f"{__name__}.PROJECT_DIR", tmp_path)

    assert _violations("core") == ["core/bad.py imports reports"]
