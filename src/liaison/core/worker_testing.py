"""Running a real ``liaison worker`` process from a test, against the test database.

The test must commit its data where another process can read it, so use pytest-django's
``transactional_db`` (on SQLite the test settings keep the test database in a file).
Mail sent by the worker goes to files in ``mail_dir`` (Django's file-based backend),
since the test's in-memory outbox is in another process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def worker_database_url() -> str:
    """A ``DATABASE_URL`` naming the database this test process is using."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(params["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise RuntimeError("A worker process cannot open an in-memory SQLite database.")
        return f"sqlite:///{Path(name).resolve()}"
    if connection.vendor == "postgresql":
        user = quote(str(params.get("USER") or ""), safe="")
        password = quote(str(params.get("PASSWORD") or ""), safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = params.get("HOST") or "localhost"
        port = params.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{quote(str(params['NAME']), safe='')}"
    raise RuntimeError(f"No worker test support for {connection.vendor}.")


def worker_environment(
    *, mail_dir: Path | None = None, periodic: list[tuple[str, int]] | None = None
) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.test_settings",
        "LIAISON_PROFILE": "test",
        "DATABASE_URL": worker_database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    if mail_dir is not None:
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["EMAIL_FILE_PATH"] = str(mail_dir)
    if periodic is not None:
        env["LIAISON_TEST_PERIODIC_TASKS"] = json.dumps(periodic)
    return env


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "liaison", "worker", *args]


def start_worker(
    *args: str, mail_dir: Path | None = None, periodic: list[tuple[str, int]] | None = None
) -> subprocess.Popen[str]:
    """Start ``liaison worker <args>`` in the background (stdout and stderr piped)."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        worker_command(*args),
        env=worker_environment(mail_dir=mail_dir, periodic=periodic),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_worker(
    *args: str,
    mail_dir: Path | None = None,
    periodic: list[tuple[str, int]] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``liaison worker --burst <args>`` to completion; raise if it fails."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        worker_command("--burst", *args),
        env=worker_environment(mail_dir=mail_dir, periodic=periodic),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"worker exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def sent_mail(mail_dir: Path) -> list[Message]:
    """The messages the file-based email backend wrote to ``mail_dir``."""
    messages: list[Message] = []
    for path in sorted(mail_dir.glob("*.log")):
        # One file per connection; messages are separated by a line of 79 dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages
