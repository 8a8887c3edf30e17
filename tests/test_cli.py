"""The ``liaison`` command lists its subcommands, as a module and as the console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUBCOMMANDS = ["demo", "serve", "worker", "createuser", "token", "ledger", "check", "migrate"]


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LIAISON_PROFILE"] = "test"
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def listed(output: str) -> set[str]:
    return {line.strip() for line in output.splitlines() if line.startswith("    ")}


def console_script() -> str:
    script = Path(sys.executable).with_name("liaison")
    if script.exists():
        return str(script)
    found = shutil.which("liaison")
    if found is None:
        pytest.fail("the liaison console script is not installed: run `make install`")
    return found


@pytest.mark.parametrize("how", ["python -m liaison --help", "liaison help"])
def test_the_command_lists_its_subcommands(how: str) -> None:
    if how == "liaison help":
        command = [console_script(), "help"]
    else:
        command = [sys.executable, "-m", "liaison", "--help"]
    result = run(command)
    assert result.returncode == 0, result.stderr
    missing = [name for name in SUBCOMMANDS if name not in listed(result.stdout)]
    assert missing == []


def test_an_unknown_subcommand_fails_with_a_hint() -> None:
    result = run([sys.executable, "-m", "liaison", "no-such-command"])
    assert result.returncode != 0
    assert "Unknown command: 'no-such-command'" in result.stderr
