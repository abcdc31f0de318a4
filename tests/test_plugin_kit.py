"""``flask plugins new <id>``: a generated plugin lints clean, migrates on its own Alembic branch
(up, down, up), is enabled for a tenant, answers its command, and passes its own tests — run in
subprocesses on the database backend the suite runs on (a SQLite file of its own, or a schema of
its own in the suite's PostgreSQL database), with only itself installed besides the shipped ones.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from core.testing.app import owner_url, reset_schema

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PID = "field_notes"

# What every generated plugin holds: the layout of the shipped plugins.
LAYOUT = {
    "__init__.py",
    "models.py",
    "schemas.py",
    "settings.py",
    "rules.py",
    "services/__init__.py",
    "services/notes.py",
    "views.py",
    "api.py",
    "kpis.py",
    "cli.py",
    "demo.py",
    "i18n.py",
    f"migrations/versions/{PID}_0001_initial.py",
    f"templates/{PID}/index.html",
    f"translations/ar/LC_MESSAGES/{PID}.po",
    f"translations/en/LC_MESSAGES/{PID}.po",
    "tests/__init__.py",
    "tests/conftest.py",
}

# Run in a subprocess with the generated plugin installed: the real commands, one after the other.
MIGRATE_AND_ENABLE = """
import json, sys
from pathlib import Path
from sqlalchemy import inspect
from core.extensions import db
from core.testing import schema_differences
from core.testing.app import make_app

url, pid, manifests = sys.argv[1:4]
app = make_app(url, CHARITY_EXTRA_PLUGINS=[pid])
cli = app.test_cli_runner()
report = {}

def run(*args):
    result = cli.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output, repr(result.exception))
    return result.output

def tables():
    with app.app_context():
        db.engine.dispose()
        return {name for name in inspect(db.engine).get_table_names() if name.startswith(pid + "_")}

run("db", "upgrade")
report["after upgrade"] = sorted(tables())
with app.app_context(), db.engine.connect() as connection:
    report["differences"] = [
        str(d) for d in schema_differences(connection, db.metadata) if pid + "_" in str(d)
    ]
run("db", "downgrade", pid + "@base")
report["after downgrade"] = sorted(tables())
run("db", "upgrade")
report["after second upgrade"] = sorted(tables())
report["apply"] = run("tenants", "apply", manifests).strip()
report["count"] = run(pid, "count").strip()
report["disable"] = run("plugins", "disable", pid, "--tenant", "kit").strip()
report["count when disabled"] = run(pid, "count").strip()
report["help"] = run(pid, "--help")
print(json.dumps(report))
"""

MANIFEST = f"""
slug = "kit"
name_ar = "جمعية التجربة"
name_en = "Kit association"

[plugins.{PID}]
enabled = true

[plugins.{PID}.settings]
page_size = 20
"""


@contextmanager
def scratch_database(database_url: str, tmp_path: Path, name: str) -> Iterator[dict[str, str]]:
    """The environment of a database a subprocess may empty and fill: a SQLite file, or a schema
    of its own in the suite's PostgreSQL database (dropped afterwards)."""
    if not database_url.startswith("postgresql"):
        yield {"TEST_DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3"}
        return
    schema = f"{name}_{uuid.uuid4().hex[:12]}"

    def in_schema(url: str) -> str:
        options = {"options": f"-csearch_path={schema}"}
        return make_url(url).update_query_dict(options).render_as_string(hide_password=False)

    urls = {
        "TEST_DATABASE_URL": in_schema(database_url),
        "TEST_DATABASE_OWNER_URL": in_schema(owner_url(database_url)),
    }
    reset_schema(urls["TEST_DATABASE_URL"], urls["TEST_DATABASE_OWNER_URL"])
    try:
        yield urls
    finally:
        engine = create_engine(owner_url(database_url))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def environment(database: dict[str, str], tmp_path: Path) -> dict[str, str]:
    # The outer run's PYTEST_ADDOPTS (e.g. its --basetemp, a parent of this tmp_path) is not the
    # generated plugin's: its pytest runs with the options written here.
    outer = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return {
        **outer,
        **database,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def finished(process: subprocess.Popen, command, timeout: int = 240) -> str:
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    assert process.returncode == 0, f"{command}\n{stdout[-8000:]}\n{stderr[-8000:]}"
    return stdout


def run(command: list[str], env: dict[str, str], cwd: Path, timeout: int = 180):
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{command}\n{result.stdout[-8000:]}\n{result.stderr[-8000:]}"
    return result.stdout


def core_imports(plugin: Path, tests: bool = True) -> set[str]:
    """The modules of core (and of the suite's tests/) the plugin's code imports."""
    found = set()
    for file in plugin.rglob("*.py"):
        if not tests and "tests" in file.relative_to(plugin).parts:
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name for name in names if name.split(".")[0] in ("core", "tests")}
    return found


@pytest.mark.parametrize(
    ("plugin_id", "message"),
    [
        ("Field-Notes", "not a valid plugin id"),
        ("9lives", "not a valid plugin id"),
        ("class", "not a valid plugin id"),
        ("x", "2 to 30 characters"),
        ("a_plugin_id_longer_than_thirty_chars", "2 to 30 characters"),
        ("makkah_aid", "already taken"),
        ("tenants", "already taken"),
        ("json", "standard library"),
        ("sqlalchemy", "already an importable module"),
    ],
)
def test_plugins_new_refuses_a_bad_id_and_writes_nothing(runner, tmp_path, plugin_id, message):
    result = runner.invoke(args=["plugins", "new", plugin_id, "--path", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_plugins_new_refuses_a_folder_that_exists(runner, tmp_path):
    (tmp_path / PID).mkdir()
    result = runner.invoke(args=["plugins", "new", PID, "--path", str(tmp_path)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert list((tmp_path / PID).iterdir()) == []


def test_a_generated_plugin_migrates_is_enabled_and_passes_its_own_tests_and_the_contract(
    runner, database_url, tmp_path
):
    result = runner.invoke(
        args=["plugins", "new", PID, "--path", str(tmp_path), "--name-en", "Field notes"]
        + ["--name-ar", "ملاحظات ميدانية"]
    )
    assert result.exit_code == 0, result.output
    plugin = tmp_path / PID
    assert {str(p.relative_to(plugin)) for p in plugin.rglob("*") if p.is_file()} >= LAYOUT
    assert 'name_ar="ملاحظات ميدانية"' in (plugin / "__init__.py").read_text(encoding="utf-8")

    assert core_imports(plugin) == {"core.toolkit", "core.testing"}  # .importlinter's contract
    assert "core.testing" not in core_imports(plugin, tests=False)

    ruff = [str(BIN / "ruff"), "--config", str(ROOT / "pyproject.toml")]
    lint_env = {**os.environ, "RUFF_NO_CACHE": "true"}
    run([ruff[0], "check", *ruff[1:], str(plugin)], lint_env, ROOT)
    run([ruff[0], "format", "--check", *ruff[1:], str(plugin)], lint_env, ROOT)

    (tmp_path / "tenants").mkdir()
    (tmp_path / "tenants" / "kit.toml").write_text(MANIFEST, encoding="utf-8")
    # Two databases, two processes at once: the commands (migrate, enable, count), and the
    # plugin's own tests on a session database they build themselves.
    with (
        scratch_database(database_url, tmp_path, "kit_cli") as cli_database,
        scratch_database(database_url, tmp_path, "kit_tests") as tests_database,
    ):
        script = [sys.executable, "-c", MIGRATE_AND_ENABLE, cli_database["TEST_DATABASE_URL"], PID]
        script.append(str(tmp_path / "tenants"))
        # Its own temporary folder: with pytest's default one it would prune the oldest runs in
        # /tmp/pytest-of-<user>, the outer run's (or a concurrent run's) database among them.
        pytest_command = [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider"]
        pytest_command += ["--basetemp", str(tmp_path / "inner-pytest")]
        pytest_command += ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path)]
        pytest_command += ["-p", "core.testing", "-o", f"charity_extra_plugins={PID}", str(plugin / "tests")]
        # ... and the contract suite every plugin must pass, for the generated plugin alone.
        pytest_command += [
            str(ROOT / "tests" / "test_plugin_contract.py"),
            "-k",
            f"not test_plugin_contract or {PID}",
        ]
        processes = [
            (
                command,
                subprocess.Popen(
                    command,
                    env=environment(database, tmp_path),
                    cwd=tmp_path,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
            for command, database in ((script, cli_database), (pytest_command, tests_database))
        ]
        try:
            outputs = [finished(process, command) for command, process in processes]
        finally:
            for _command, process in processes:
                if process.poll() is None:  # the other one failed: stop this one too
                    process.kill()
                    process.communicate()

    report = json.loads(outputs[0].strip().splitlines()[-1])
    assert report["after upgrade"] == [f"{PID}_notes"]
    assert report["differences"] == []  # the migration builds exactly what the model declares
    assert report["after downgrade"] == []
    assert report["after second upgrade"] == [f"{PID}_notes"]
    assert f"{PID}=on" in report["apply"]
    assert report["count"] == "kit: 0"
    assert report["count when disabled"] == ""
    assert "count" in report["help"]
    assert " passed" in outputs[1] and "failed" not in outputs[1] and "skipped" not in outputs[1]
    # Every check of the contract suite ran for the generated plugin, and passed.
    for name in plugin_contract_tests():
        assert f"::{name}[{PID}] PASSED" in outputs[1], name  # the node id outside rootdir is cut


def plugin_contract_tests() -> list[str]:
    """The tests of tests/test_plugin_contract.py run once per installed plugin."""
    module = importlib.import_module("tests.test_plugin_contract")
    return [
        name
        for name, function in vars(module).items()
        if name.startswith("test_")
        and callable(function)
        and {"plugin_id", "world"} & set(inspect.signature(function).parameters)
    ]
