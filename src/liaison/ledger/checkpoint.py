"""C2SP ``tlog-checkpoint`` bodies in C2SP ``signed-note`` envelopes, signed with Ed25519.

A checkpoint body is ``<origin>\\n<size>\\n<base64 root hash>\\n`` plus optional
non-empty extension lines. A signed note is the text (ending in a newline), a
blank line, then one or more lines ``— <key name> <base64(key ID || signature)>``.
The key ID is ``SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]`` and the
Ed25519 signature covers the UTF-8 note text including its final newline.

Keys use the text forms of ``golang.org/x/mod/sumdb/note``:

* verifier key ``<name>+<hex key ID>+<base64(0x01 || public key)>``
* signer key ``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>``

so notes and keys interoperate with Go's ``note`` package and the C2SP tooling.
Malformed keys and notes, and notes without a valid signature by the given key,
raise :class:`NoteError`; malformed checkpoint bodies raise :class:`CheckpointError`.
Both subclass ``ValueError``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "MAX_SIGNATURES",
    "MAX_TREE_SIZE",
    "Checkpoint",
    "CheckpointError",
    "NoteError",
    "format_checkpoint",
    "generate_signer_key",
    "key_id",
    "open_note",
    "parse_checkpoint",
    "sign_note",
    "verifier_key_from_signer",
]

ED25519 = 0x01
"""Signature type byte of Ed25519 in C2SP signed-note."""
MAX_SIGNATURES = 100
"""Notes with more signature lines are rejected (the spec requires accepting 16)."""
MAX_TREE_SIZE = 2**63 - 1
"""Largest tree size accepted, as by Go's ``tlog.ParseTree`` (a signed 64-bit integer)."""
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_SIZE_RE = re.compile(r"0|[1-9][0-9]*")
_KEY_ID_RE = re.compile(r"[0-9a-fA-F]{8}")


class NoteError(ValueError):
    """A key or signed note is malformed, or the note is not validly signed by the key."""


class CheckpointError(ValueError):
    """A checkpoint body is malformed."""


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint body."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """The note text of this checkpoint (see :func:`format_checkpoint`)."""
        return format_checkpoint(self.origin, self.size, self.root_hash, self.extensions)


# --- text helpers ----------------------------------------------------------------------


def _has_bad_chars(text: str, allow_newline: bool) -> bool:
    """Whether ``text`` is not valid UTF-8 or has ASCII controls (other than an allowed \\n)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any(ord(c) < 0x20 and not (allow_newline and c == "\n") for c in text)


def _valid_name(name: str) -> bool:
    """Key names are non-empty, without Unicode spaces, ``+`` or control characters."""
    return (
        bool(name)
        and not _has_bad_chars(name, allow_newline=False)
        and "+" not in name
        and not any(c.isspace() for c in name)
    )


def _b64decode(text: str) -> bytes | None:
    """Standard, padded, canonical base64 (the only encoding that re-encodes to ``text``)."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# --- keys ------------------------------------------------------------------------------


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 ``public_key`` (32 bytes) under key ``name``."""
    if not _valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    if len(public_key) != 32:
        raise NoteError("an Ed25519 public key is 32 bytes")
    material = name.encode("utf-8") + b"\n" + bytes([ED25519]) + bytes(public_key)
    return hashlib.sha256(material).digest()[:4]


def _public_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes_raw()


def _key_text(name: str, public_key: bytes, key_data: bytes) -> str:
    kid = key_id(name, public_key).hex()
    return f"{name}+{kid}+{_b64encode(bytes([ED25519]) + key_data)}"


def _split_key(text: str) -> tuple[str, bytes, bytes]:
    """``<name>+<hex id>+<base64(0x01 || 32 bytes)>`` as (name, key ID, 32 key bytes)."""
    name, _, rest = text.partition("+")
    kid_hex, _, data = rest.partition("+")
    raw = _b64decode(data)
    if not _valid_name(name) or not _KEY_ID_RE.fullmatch(kid_hex) or raw is None:
        raise NoteError("malformed key")
    if len(raw) != 33 or raw[0] != ED25519:
        raise NoteError("not an Ed25519 key")
    return name, bytes.fromhex(kid_hex), raw[1:]


def _parse_signer(signer_key: str) -> tuple[str, bytes, Ed25519PrivateKey]:
    if not isinstance(signer_key, str) or not signer_key.startswith("PRIVATE+KEY+"):
        raise NoteError("a signer key starts with PRIVATE+KEY+")
    name, kid, seed = _split_key(signer_key.removeprefix("PRIVATE+KEY+"))
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    if key_id(name, _public_bytes(private_key)) != kid:
        raise NoteError("signer key ID does not match its key")
    return name, kid, private_key


def _parse_verifier(verifier_key: str) -> tuple[str, bytes, Ed25519PublicKey]:
    if not isinstance(verifier_key, str):
        raise NoteError("a verifier key is a string")
    name, kid, public_bytes = _split_key(verifier_key)
    if key_id(name, public_bytes) != kid:
        raise NoteError("verifier key ID does not match its key")
    try:
        return name, kid, Ed25519PublicKey.from_public_bytes(public_bytes)
    except ValueError as exc:
        raise NoteError("invalid Ed25519 public key") from exc


def generate_signer_key(name: str) -> str:
    """A new random Ed25519 signer key (``PRIVATE+KEY+...``) for key ``name``. Keep it secret."""
    if not isinstance(name, str) or not _valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    private_key = Ed25519PrivateKey.generate()
    seed = private_key.private_bytes_raw()
    return "PRIVATE+KEY+" + _key_text(name, _public_bytes(private_key), seed)


def verifier_key_from_signer(signer_key: str) -> str:
    """The public verifier key (``<name>+<hex id>+<base64>``) matching ``signer_key``."""
    name, _, private_key = _parse_signer(signer_key)
    public_key = _public_bytes(private_key)
    return _key_text(name, public_key, public_key)


# --- signed notes ----------------------------------------------------------------------


def sign_note(text: str, signer_key: str) -> str:
    """``text`` signed by ``signer_key``: text, blank line, one signature line.

    ``text`` must be non-empty, end with a newline, and contain no ASCII control
    characters other than newlines.
    """
    name, kid, private_key = _parse_signer(signer_key)
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if _has_bad_chars(text, allow_newline=True):
        raise NoteError("note text must be UTF-8 without control characters")
    signature = private_key.sign(text.encode("utf-8"))
    return f"{text}\n{SIGNATURE_PREFIX}{name} {_b64encode(kid + signature)}\n"


def open_note(note: str, verifier_key: str) -> str:
    """The text of ``note`` once a signature by ``verifier_key`` has been verified.

    Signatures by other keys (another name or key ID) are ignored, as the spec
    requires. Raises :class:`NoteError` if the note is malformed, has more than
    :data:`MAX_SIGNATURES` signature lines, has no signature by the key, or has any
    signature by the key that does not verify.
    """
    vname, vkid, public_key = _parse_verifier(verifier_key)
    if not isinstance(note, str) or _has_bad_chars(note, allow_newline=True):
        raise NoteError("malformed note: not UTF-8 text without control characters")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise NoteError("malformed note: the signature block must end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("malformed note: too many signatures")
    message = text.encode("utf-8")
    verified = False
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("malformed note: bad signature line")
        name, _, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        raw = _b64decode(encoded)
        if not _valid_name(name) or raw is None or len(raw) < 5:
            raise NoteError("malformed note: bad signature line")
        if name != vname or raw[:4] != vkid:
            continue
        try:
            public_key.verify(raw[4:], message)
        except InvalidSignature as exc:
            raise NoteError(f"invalid signature for key {vname}+{vkid.hex()}") from exc
        verified = True
    if not verified:
        raise NoteError(f"note has no signature by key {vname}+{vkid.hex()}")
    return text


# --- checkpoints -----------------------------------------------------------------------


def format_checkpoint(
    origin: str, size: int, root_hash: bytes, extensions: Sequence[str] = ()
) -> str:
    """The checkpoint note text ``<origin>\\n<size>\\n<base64 root>\\n[<extension>\\n...]``."""
    lines = [origin, *extensions]
    if any(not isinstance(x, str) or not x or _has_bad_chars(x, False) for x in lines):
        raise CheckpointError("origin and extension lines must be non-empty single lines")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_TREE_SIZE:
        raise CheckpointError(f"invalid tree size {size!r}")
    if not isinstance(root_hash, bytes | bytearray | memoryview) or len(root_hash) != 32:
        raise CheckpointError("root hash must be 32 bytes")
    body = f"{origin}\n{size}\n{_b64encode(bytes(root_hash))}\n"
    return body + "".join(f"{line}\n" for line in extensions)


def parse_checkpoint(body: str) -> Checkpoint:
    """Parse a checkpoint note text (as returned by :func:`open_note`).

    Requires a final newline, at least three lines, all non-empty and free of
    control characters; a decimal size without leading zeros up to
    :data:`MAX_TREE_SIZE`; a canonical base64 root of 32 bytes.
    """
    if not isinstance(body, str) or not body.endswith("\n"):
        raise CheckpointError("checkpoint must end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, size and root hash lines")
    if any(not line or _has_bad_chars(line, False) for line in lines):
        raise CheckpointError("checkpoint lines must be non-empty and free of control characters")
    origin, size_text, root_text, *extensions = lines
    if not _SIZE_RE.fullmatch(size_text) or int(size_text) > MAX_TREE_SIZE:
        raise CheckpointError(f"invalid tree size {size_text!r}")
    root = _b64decode(root_text)
    if root is None or len(root) != 32:
        raise CheckpointError("root hash must be the base64 of 32 bytes")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))
