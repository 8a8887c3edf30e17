"""The ``liaison`` command lists its subcommands, as a module and as the console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from liaison.cli import main
from liaison.core.roles import Role

SUBCOMMANDS = [
    "demo",
    "serve",
    "worker",
    "createuser",
    "token",
    "ledger",
    "training",
    "check",
    "migrate",
]


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


def liaison(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the console script as a newcomer would: demo profile, no variables but the
    project directory (``LIAISON_HOME``, so the test's files stay in ``home``)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LIAISON_") and k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    clean.update(LIAISON_HOME=str(home), LIAISON_PROFILE="demo", **env)
    if not (home / "node_modules").exists():
        # The project's static files (USWDS, htmx) come from its node_modules.
        (home / "node_modules").symlink_to(Path(__file__).resolve().parents[1] / "node_modules")
    return subprocess.run(
        [console_script(), *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


@pytest.mark.parametrize("command", [["ledger", "verify"], ["ledger", "key"], ["jobs"]])
def test_a_read_only_command_without_a_database_says_what_to_run_and_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    result = liaison(tmp_path, *command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "there is no database at" in lines[0]
    assert "make demo" in lines[0]
    assert [f for f in files_under(tmp_path / "var") if "sqlite" in f or "key" in f] == []


def test_a_database_that_is_not_migrated_is_named_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "var" / "MN").mkdir(parents=True)
    (tmp_path / "var" / "MN" / "liaison.sqlite3").touch()
    result = liaison(tmp_path, "ledger", "verify")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is not migrated" in result.stderr
    assert "liaison migrate" in result.stderr
    assert not (tmp_path / "var" / "MN" / "ledger-signer.key").exists()


def test_every_command_finds_the_data_the_demo_made_without_variables(tmp_path: Path) -> None:
    made = liaison(tmp_path, "demo", "--state", "WI")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "var" / "WI" / "liaison.sqlite3").exists()
    assert not (tmp_path / "var" / "MN").exists()
    verified = liaison(tmp_path, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ledger verified:")
    assert "1 checkpoints" in verified.stdout
    key = liaison(tmp_path, "ledger", "key")
    assert key.returncode == 0, key.stderr
    assert key.stdout.startswith("liaison.wi.example/ledger+")
    assert liaison(tmp_path, "jobs").returncode == 0
    assert not (tmp_path / "var" / "MN" / "liaison.sqlite3").exists()


def test_a_refused_account_reads_as_sentences_without_a_class_name(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the command's entry point (``liaison.cli.main``), in this process: the
    console script itself is run by the tests above."""
    password = tmp_path / "pw"
    password.write_text("correct horse battery staple 2026\n")
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "createuser",
                "--username",
                world.users[Role.ADMIN].username,
                "--email",
                "not-an-address",
                "--role",
                "officer",
                "--agency",
                "BCA",
                "--password-file",
                str(password),
            ]
        )
    assert exited.value.code == 1
    stderr = capsys.readouterr().err
    assert "CommandError" not in stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("liaison createuser: The account was not created. ")
    assert "Username: " in stderr
    assert "Please correct the errors below" not in stderr
