"""Every outside call has a time limit: a database server that accepts the connection
and never answers fails it instead of holding the process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from liaison.core.worker_testing import LocalSmtpServer

CONNECT = (
    "import django; django.setup()\n"
    "from django.db import connection\n"
    "connection.ensure_connection()\n"
)


def test_a_database_server_that_never_answers_fails_the_connection() -> None:
    with LocalSmtpServer(answering=False) as silent:  # any socket that never answers
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "liaison.test_settings",
            "DATABASE_URL": f"postgres://liaison@127.0.0.1:{silent.port}/liaison",
            "DATABASE_CONNECT_TIMEOUT": "1",
        }
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", CONNECT],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert silent.held >= 1

    assert result.returncode != 0
    assert "OperationalError" in result.stderr
    assert time.monotonic() - started < 30
