"""What every ``liaison`` subcommand shares: refusals read as sentences.

A subcommand subclasses :class:`LiaisonCommand` instead of Django's ``BaseCommand``.
Run from the shell, a refusal prints ``liaison <command>: <sentence>`` (no exception
class name, no traceback) and exits with the error's status; called from code or
tests (``call_command``) it raises ``CommandError`` as usual. A service's refusal
becomes a sentence with :func:`refusal_sentence`.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.core.errors import ServiceError

# Form-style summaries that say nothing on a terminal once the fields are listed.
_SUMMARIES = {"please correct the errors below.", "please correct the errors below"}


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def refusal_sentence(error: ServiceError, *, what: str = "") -> str:
    """``error`` as plain sentences: ``what`` first (e.g. "The account was not created."),
    then the message and each field's messages named by the field."""
    parts = [_sentence(what)] if what else []
    if error.message.strip().lower() not in _SUMMARIES or not error.fields:
        parts.append(_sentence(error.message))
    for field, messages in error.fields.items():
        said = " ".join(_sentence(m) for m in messages)
        if field in ("__all__", ""):
            parts.append(said)
        else:
            parts.append(f"{field.replace('_', ' ').capitalize()}: {said}")
    return " ".join(p for p in parts if p)


class LiaisonCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            name = type(self).__module__.rsplit(".", 1)[-1]
            self.stderr.write(f"liaison {name}: {exc}")
            sys.exit(exc.returncode)
