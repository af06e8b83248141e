"""The shape of the code base, checked: data flows one way between the apps, and modules stay small.

docs/architecture.md draws the same graph; when an app needs a new dependency, change both on purpose.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# app → the apps it may import (module-level or inside functions). Data flows
# certification → catalog → search / feed → web; config composes everything; core imports no app.
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "core": set(),
    "certification": {"core"},
    "accounts": {"certification", "core", "notifications"},
    "catalog": {"certification", "core"},
    "catalog.feeds": {"catalog", "certification", "core"},
    "catalog.uploads": {"catalog", "catalog.feeds", "certification", "core"},
    "search": {"catalog", "certification", "core"},
    # officers' exports of search results write with the feed's workbook writer and formula guard
    "search.exports": {"search", "catalog", "catalog.feeds", "certification", "core"},
    "notifications": {"catalog", "catalog.feeds", "certification", "core"},
    "program": {"catalog", "catalog.feeds", "certification", "core", "search"},
    "officers": {"catalog", "certification", "core", "notifications", "search"},
    "web": {
        "accounts",
        "catalog",
        "catalog.feeds",
        "catalog.uploads",
        "certification",
        "core",
        "notifications",
        "program",
        "officers",
        "search",
        "search.exports",
    },
    "config": {
        "accounts",
        "catalog",
        "catalog.feeds",
        "catalog.uploads",
        "certification",
        "core",
        "notifications",
        "program",
        "officers",
        "search",
        "search.exports",
        "web",
    },
}
# Most specific first, so catalog.feeds is not mistaken for catalog.
APPS = sorted(ALLOWED_IMPORTS, key=len, reverse=True)
MAX_MODULE_LINES = 400
# A module may exceed the limit only with a reason written here.
LONG_MODULES: dict[str, str] = {
    "config/settings.py": (
        "one flat list of settings, each an environment read with the comment that explains it, grouped by "
        "concern: operators read one file (docs/operations.md points here), and it holds no logic to split"
    ),
    "certification/models.py": (
        "the registry's tables and the choices they share in one models module (calls live in "
        "certification/calls.py); the next table to arrive (evaluation panels) should start a models/ package"
    ),
}


def app_of(module: str) -> str | None:
    return next((app for app in APPS if module == app or module.startswith(f"{app}.")), None)


def source_files() -> list[Path]:
    return [
        path
        for app in ALLOWED_IMPORTS
        if "." not in app
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from catalog import feeds" imports catalog.feeds
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_apps_import_only_downstream():
    wrong = []
    for path in source_files():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        source_app = app_of(module)
        for imported in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            target_app = app_of(imported)
            if target_app and target_app != source_app and target_app not in ALLOWED_IMPORTS[source_app]:
                wrong.append(f"{path.relative_to(ROOT)} imports {imported} ({source_app} → {target_app})")
    assert not wrong, "imports against the flow of data:\n" + "\n".join(wrong)


def test_architecture_check_sees_a_wrong_import():
    tree = ast.parse("def f():\n    from catalog.models import ProductListing\n")
    assert app_of(next(iter(imported_modules(tree)))) == "catalog"
    assert "catalog" not in ALLOWED_IMPORTS["certification"]


def test_modules_are_small():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in source_files()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    unexplained = {name: lines for name, lines in long.items() if name not in LONG_MODULES}
    assert not unexplained, f"split these by job, or state the reason in LONG_MODULES: {unexplained}"
