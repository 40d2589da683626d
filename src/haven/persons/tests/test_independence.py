"""The persons app stands on its own: cases build on persons, never the other way round."""

import ast
from pathlib import Path

import haven.persons

ROOT = Path(haven.persons.__file__).parent
FORBIDDEN = "haven.cases"


def imported_modules(source: str, package: list[str]) -> set[str]:
    """Every module (and imported name) of ``source``, relative imports resolved against ``package``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def forbidden(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m == FORBIDDEN or m.startswith(FORBIDDEN + "."))


def test_the_walk_catches_every_way_of_importing_cases():
    tests_package = ["haven", "persons", "tests"]
    for source in ["import haven.cases.models", "from haven.cases import services",
                   "from ...cases.models import Case", "from ... import cases",
                   "def f():\n    from haven.cases.models import Case\n"]:
        assert forbidden(imported_modules(source, tests_package)), source
    assert not forbidden(imported_modules("from ..models import Person\nimport haven.casework", tests_package))


def test_persons_imports_nothing_from_cases():
    offenders = {}
    for path in sorted(ROOT.rglob("*.py")):
        package = ["haven", "persons", *path.relative_to(ROOT).parent.parts]
        found = forbidden(imported_modules(path.read_text(encoding="utf-8"), package))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}
