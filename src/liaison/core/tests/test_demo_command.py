"""The demo command keeps its output to summary lines: the mail its data sends goes to files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core import mail

from liaison.core.management.commands.demo import Command


def test_console_mail_goes_to_files_under_the_demo_directory(settings: Any, tmp_path: Path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.VAR_DIR = tmp_path
    assert Command()._demo_mail_to_files() == tmp_path / "mail"
    mail.send_mail("Agreement #1 is in force", "Body", "a@example.gov", ["b@example.gov"])
    [written] = (tmp_path / "mail").iterdir()
    assert "Subject: Agreement #1 is in force" in written.read_text()


def test_a_configured_mail_server_is_left_alone(settings: Any, tmp_path: Path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.VAR_DIR = tmp_path
    assert Command()._demo_mail_to_files() is None
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
