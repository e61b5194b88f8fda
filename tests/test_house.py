"""The rules of the house, read from the code: no app module over 500 lines, no import of another app's private
names, task names that are module paths, and import-linter contracts that do fail on an import going up."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from partnership.celery import app
from partnership.task_aliases import REGISTERED

ROOT = Path(__file__).resolve().parents[1]
APPS = ("partnership", "agreements", "trainings", "events", "stats", "notifications", "workspace")
# Sub-packages that are apps of their own for these rules (their own models, services and views).
SUB_APPS = ("agreements.signing", "agreements.axis5")
MAX_LINES = 500


def _app_modules():
    for package in APPS:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "data" in relative.parts:
                continue
            yield relative


def _lines(path: Path) -> int:
    return len((ROOT / path).read_text(encoding="utf-8").splitlines())


def test_no_app_module_is_over_500_lines():
    """Migrations and generated data aside: a module that grows past the limit is split by what it owns."""
    over = {str(path): _lines(path) for path in _app_modules() if _lines(path) > MAX_LINES}
    assert over == {}


def _unit(module: str) -> str:
    """The app a module belongs to, for the private-names rule (``agreements.signing`` is its own)."""
    for sub_app in SUB_APPS:
        if module == sub_app or module.startswith(sub_app + "."):
            return sub_app
    return module.partition(".")[0]


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return ".".join(filter(None, [base, node.module]))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """``line: name`` of each private name ``module`` takes from another app: ``from x import _y``,
    ``import x._y``, or ``x._y`` on a module ``x`` of another app imported by ``import x``/``from . import x``."""
    tree = ast.parse(source)
    own = _unit(module)
    found = []
    other_modules = {}  # local name → module of another app
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source_module = _absolute(node, module, is_package)
            for alias in node.names:
                target = f"{source_module}.{alias.name}"
                if _unit(source_module) == own:
                    continue
                if _is_private(alias.name) or any(_is_private(part) for part in source_module.split(".")):
                    found.append(f"{node.lineno}: {target}")
                else:
                    other_modules[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _unit(alias.name) == own or alias.name.partition(".")[0] not in APPS:
                    continue
                if any(_is_private(part) for part in alias.name.split(".")):
                    found.append(f"{node.lineno}: {alias.name}")
                elif alias.asname:
                    other_modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in other_modules
            and _is_private(node.attr)
        ):
            found.append(f"{node.lineno}: {other_modules[node.value.id]}.{node.attr}")
    return found


def test_no_app_imports_another_app_s_private_names():
    found = []
    for path in _app_modules():
        module = ".".join(path.with_suffix("").parts).removesuffix(".__init__")
        source = (ROOT / path).read_text(encoding="utf-8")
        found += [f"{path}:{where}" for where in private_imports(source, module, is_package=path.name == "__init__.py")]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from trainings.services import _parse_row\n",
        "from ..services import _draft\n",  # from agreements.signing.views: agreements is another app for signing
        "import trainings.services as ts\nts._parse_row()\n",
        "from trainings import services\nservices._parse_row()\n",
    ],
)
def test_the_private_names_scan_reports_each_way_of_reaching_one(source):
    assert len(private_imports(source, "agreements.signing.views")) == 1


def test_the_private_names_scan_leaves_an_app_s_own_private_names_alone():
    source = "from .services import _draft\nfrom agreements.services import _draft as d\nfrom events import services\n"
    assert private_imports(source, "agreements.views") == []


def test_every_registered_task_is_named_after_its_module_or_is_a_declared_alias():
    app.loader.import_default_modules()
    wrong = {}
    for name, task in app.tasks.items():
        if not name.startswith(tuple(f"{package}." for package in APPS)):
            continue
        run = getattr(task, "_orig_run", task.run)
        path = f"{run.__module__}.{run.__name__}"
        if name != path and REGISTERED.get(name) != path:
            wrong[name] = path
    assert wrong == {}


# --- The import contracts (pyproject.toml, ``lint-imports``) fail on an import going up --------------------

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# A small house that keeps every contract: each app imports downwards only.
CLEAN_HOUSE = {
    "partnership/models.py": "",
    "partnership/services.py": "from partnership import models\n",
    "partnership/views.py": "from partnership import services\n",
    "partnership/urls.py": "import workspace.views\n",  # the project part may name every app
    "agreements/models.py": "from partnership import models\n",
    "agreements/services.py": "from agreements import models\n",
    "agreements/selectors.py": "from agreements import models\n",
    "agreements/views.py": "from agreements import selectors, services\n",
    "agreements/signing/models.py": "from agreements import models\n",
    "agreements/signing/services.py": "from agreements.signing import models\nfrom agreements import services\n",
    "agreements/axis5/models.py": "",
    "trainings/models.py": "from agreements import models\n",
    "trainings/_csv.py": "",
    "trainings/services.py": "from trainings import _csv, models\n",
    "events/models.py": "",
    "stats/models.py": "from trainings import models\n",
    "notifications/models.py": "",
    "workspace/views.py": "from agreements import selectors\nfrom trainings import services\n",
}


def _lint_imports(tmp_path: Path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    files = {**CLEAN_HOUSE, **extra}
    for relative, source in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    for directory in {path.parent for path in tmp_path.rglob("*.py")}:
        (directory / "__init__.py").touch()
    # The project's own contracts, unchanged.
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return subprocess.run(
        [str(LINT_IMPORTS), "pyproject.toml", "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _broken(result: subprocess.CompletedProcess) -> list[str]:
    # "<name> BROKEN (1 ignored import)"; a long name is followed by its verdict without a space.
    verdicts = (re.fullmatch(r"(.+?)\s*(KEPT|BROKEN)( \(.*\))?", line) for line in result.stdout.splitlines())
    return [verdict[1] for verdict in verdicts if verdict and verdict[2] == "BROKEN"]


def test_the_contracts_keep_a_house_whose_imports_go_down(tmp_path):
    result = _lint_imports(tmp_path, {})
    assert (result.returncode, _broken(result)) == (0, []), result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        (
            "partnership/services.py",
            "from agreements import selectors\n",
            "The core imports no feature app (only the project modules name them)",
        ),
        (
            "partnership/permissions.py",
            "import trainings.services\n",
            "The core imports no feature app (only the project modules name them)",
        ),
        (
            "events/models.py",
            "from workspace import views\n",
            "Feature apps import nothing from the top floor (workspace)",
        ),
        (
            "agreements/models.py",
            "from partnership import models\nfrom agreements import views\n",
            "Inside each app: views, API and admin above services and selectors, above models",
        ),
        (
            "agreements/signing/models.py",
            "from agreements import models\nfrom agreements.signing import services\n",
            "Inside each app: views, API and admin above services and selectors, above models",
        ),
        (
            "stats/models.py",
            "from trainings import _csv\n",
            "A private module (``_name.py``) is imported only inside its own package",
        ),
    ],
)
def test_a_contract_fails_on_a_deliberate_back_import(tmp_path, module, source, contract):
    result = _lint_imports(tmp_path, {module: source})
    assert (result.returncode, _broken(result)) == (1, [contract]), result.stdout + result.stderr
