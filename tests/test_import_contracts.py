"""The layers and the plugin boundary are enforced by import-linter (`make lint` runs it too)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_function_local_imports_are_in_the_graph_the_linter_checks(tmp_path, monkeypatch):
    package = tmp_path / "kit_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("VALUE = 1\n")
    (package / "high.py").write_text(
        textwrap.dedent(
            """
            def hidden():
                from kit_probe import low  # a function-local import hiding a cycle

                return low.VALUE
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = grimp.build_graph("kit_probe", cache_dir=None)

    assert graph.direct_import_exists(importer="kit_probe.high", imported="kit_probe.low")


def test_plugin_tests_import_only_the_toolkit_and_the_test_kit_from_core():
    graph = grimp.build_graph("core", "plugins", "tests", cache_dir=None)
    allowed = {"core.toolkit", "core.testing"}
    crossing = sorted(
        f"{importer} -> {imported}"
        for importer in graph.find_descendants("plugins")
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.split(".")[0] in {"core", "tests"} and imported not in allowed
    )
    assert crossing == []
