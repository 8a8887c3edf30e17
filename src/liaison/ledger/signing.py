"""The checkpoint signer key and its public verifier key.

Production takes the key from ``LIAISON_LEDGER_SIGNER_KEY`` (or ``..._FILE``). The
demo and the tests generate one on first use and keep it at
``LIAISON_LEDGER_SIGNER_KEY_PATH`` (under ``var/``), readable by its owner only.
The key name is the log's origin, as C2SP tlog-checkpoint recommends.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from liaison.ledger import checkpoint as notes


class NoSignerKey(ImproperlyConfigured):
    """There is no signer key yet and the caller may not create one."""


def signer_key(*, create: bool = True) -> str:
    """The Ed25519 signer key (``PRIVATE+KEY+...``). Keep it secret.

    Outside production the key is made on first use; with ``create=False`` (read-only
    commands such as ``liaison ledger verify``) a missing key raises :class:`NoSignerKey`
    instead, so looking never leaves a new key behind.
    """
    configured: str | None = settings.LIAISON_LEDGER_SIGNER_KEY
    if configured:
        return configured.strip()
    if settings.PRODUCTION:
        raise ImproperlyConfigured("LIAISON_LEDGER_SIGNER_KEY must be set in production.")
    path = Path(settings.LIAISON_LEDGER_SIGNER_KEY_PATH)
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if not create:
            raise NoSignerKey(
                f"There is no checkpoint signer key at {path} yet; the first checkpoint "
                "makes it (the worker, or `liaison ledger checkpoint`)."
            ) from None
    key = notes.generate_signer_key(str(settings.LIAISON_LEDGER_ORIGIN))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, one key wins and both use it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def verifier_key(*, create: bool = True) -> str:
    """The public verifier key (``<name>+<key id>+<base64>``) anyone checks checkpoints with."""
    return notes.verifier_key_from_signer(signer_key(create=create))


def key_id_hex(signer: str) -> str:
    """The 8-hex-digit key ID of a signer key."""
    return notes.verifier_key_from_signer(signer).split("+")[1]
