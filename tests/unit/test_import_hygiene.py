"""The core is UI-free: importing every core module pulls in neither textual nor aiohttp."""

import subprocess
import sys
from pathlib import Path

import coterm_tui.core

CORE = Path(coterm_tui.core.__file__).parent


def test_core_imports_no_ui_or_server_framework() -> None:
    modules = sorted(
        "coterm_tui.core." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if p.name != "__init__.py"
    )
    assert modules, "no core modules found"
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'aiohttp', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_linter_contracts_hold() -> None:
    root = CORE.parent.parent
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
