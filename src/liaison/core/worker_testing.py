"""Running a real ``liaison worker`` process from a test, against the test database.

The test must commit its data where another process can read it, so use pytest-django's
``transactional_db`` (on SQLite the test settings keep the test database in a file).
Mail sent by the worker goes to files in ``mail_dir`` (Django's file-based backend),
since the test's in-memory outbox is in another process, or to a
:class:`LocalSmtpServer` when the test is about the mail server itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
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
    *,
    mail_dir: Path | None = None,
    periodic: list[tuple[str, int]] | None = None,
    extra_env: dict[str, str] | None = None,
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
    env.update(extra_env or {})
    return env


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "liaison", "worker", *args]


def start_worker(
    *args: str,
    mail_dir: Path | None = None,
    periodic: list[tuple[str, int]] | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Start ``liaison worker <args>`` in the background (stdout and stderr piped)."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        worker_command(*args),
        env=worker_environment(mail_dir=mail_dir, periodic=periodic, extra_env=extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_worker(
    *args: str,
    mail_dir: Path | None = None,
    periodic: list[tuple[str, int]] | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``liaison worker --burst <args>`` to completion; raise if it fails."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        worker_command("--burst", *args),
        env=worker_environment(mail_dir=mail_dir, periodic=periodic, extra_env=extra_env),
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


class LocalSmtpServer:
    """A mail server on 127.0.0.1 for tests, in a thread of the test process.

    While :attr:`answering` is set it speaks just enough SMTP to accept messages and
    keeps each in :attr:`messages`; while it is clear it accepts connections and never
    says a word (a hung server), counting them in :attr:`held`. Use it as a context
    manager; :meth:`smtp_env` gives a worker process the settings to reach it.
    """

    def __init__(self, *, answering: bool = True) -> None:
        self.answering = threading.Event()
        if answering:
            self.answering.set()
        self.messages: list[Message] = []
        self.held = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> LocalSmtpServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def smtp_env(self, *, timeout: float) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": str(timeout),
        }

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:  # pragma: no cover - listener closed
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            conn.settimeout(0.1)
            if not self.answering.is_set():
                with self._lock:
                    self.held += 1
                self._hold(conn)
                return
            conn.settimeout(10)
            reader = conn.makefile("rb")
            conn.sendall(b"220 localhost test server\r\n")
            for line in reader:
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250 localhost\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    self._receive(reader)
                    conn.sendall(b"250 accepted\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    def _hold(self, conn: socket.socket) -> None:
        """Read and ignore what the client sends, answer nothing, until it hangs up."""
        while not self._stop.is_set():
            try:
                if not conn.recv(1024):
                    return
            except TimeoutError:
                continue
            except OSError:
                return

    def _receive(self, reader: Any) -> None:
        lines: list[bytes] = []
        for line in reader:
            if line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        with self._lock:
            self.messages.append(message_from_bytes(b"".join(lines)))
