"""Production settings: Django's deployment checks pass, and missing secrets stop the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison.ledger.checkpoint import generate_signer_key

PRODUCTION_ENV = {
    "LIAISON_PROFILE": "production",
    "SECRET_KEY": "k8Zq2v9RrT4mW1xY7pL0sN3bC6dF5gH8jK2lM4nP7qR9tV1wX3yZ5aB7cD9eF1gH",
    "ALLOWED_HOSTS": "liaison.example.gov",
    "LIAISON_HASH_KEY": "h3Jk9Lm2Np5Qr8St1Uv4Wx7Yz0Ab3Cd6Ef9Gh2Ij5Kl8",
    "DATABASE_URL": "postgres://liaison:secret@db.internal:5432/liaison",
}


def run_liaison(
    *args: str, env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LIAISON_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("SECRET_KEY", None)
    clean.update(env)
    clean["LIAISON_VAR"] = str(tmp_path / "var")
    return subprocess.run(
        [sys.executable, "-m", "liaison", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


@pytest.fixture
def production_env() -> dict[str, str]:
    return {
        **PRODUCTION_ENV,
        "LIAISON_LEDGER_SIGNER_KEY": generate_signer_key("liaison.mn.example/ledger"),
    }


def test_the_production_settings_pass_the_deployment_checks(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_liaison("check", "--deploy", env=production_env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    del production_env["SECRET_KEY"]
    result = run_liaison("check", env=production_env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set in production (or SECRET_KEY_FILE)." in result.stderr


def load_settings(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Import the settings alone, as every process does first (cheaper than a command)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LIAISON_", "DJANGO_"))}
    for name in ["DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"]:
        clean.pop(name, None)
    clean.update(env)
    clean["LIAISON_VAR"] = str(tmp_path / "var")
    return subprocess.run(
        [sys.executable, "-c", "import liaison.settings"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"LIAISON_HASH_KEY": ""}, "LIAISON_HASH_KEY must be set in production"),
        ({"LIAISON_LEDGER_SIGNER_KEY": ""}, "LIAISON_LEDGER_SIGNER_KEY must be set in production"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set in production"),
        ({"LIAISON_REQUIRE_MFA": "0"}, "MFA cannot be switched off in production."),
    ],
    ids=["hash key", "signer key", "allowed hosts", "mfa off"],
)
def test_production_refuses_to_start_without_each_required_setting(
    production_env: dict[str, str], tmp_path: Path, change: dict[str, str], message: str
) -> None:
    result = load_settings({**production_env, **change}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_may_be_given_as_files(production_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(production_env)
    for name in ["SECRET_KEY", "LIAISON_HASH_KEY", "LIAISON_LEDGER_SIGNER_KEY", "DATABASE_URL"]:
        secret = tmp_path / f"{name.lower()}.txt"
        secret.write_text(env.pop(name) + "\n", encoding="utf-8")
        env[f"{name}_FILE"] = str(secret)
    result = run_liaison("check", "--deploy", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_weak_hash_key_and_sqlite_fail_the_deployment_checks(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = {
        **production_env,
        "LIAISON_HASH_KEY": "short",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = run_liaison("check", "--deploy", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "liaison.E001" in result.stderr
    assert "liaison.E004" in result.stderr
