"""Personal identifiers kept so they can be matched but not read: keyed hashes and sealing.

An identifier — a person's name with date of birth, a licence plate, an address, a phone
number, a driver's licence number, an agency record number — enters a service once.
The service keeps two things and never the value in clear:

* :func:`keyed_hash` — HMAC-SHA256 of the *normalized* value under a key derived from
  ``LIAISON_HASH_KEY``. Two records name the same subject exactly when their hashes are
  equal, so deconfliction and data-subject reports match on hashes alone. Without the
  key, a hash cannot be tested against a guessed value.
* :func:`seal` — the value encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under another
  key derived from the same secret, for the few people who may read it back with
  :func:`unseal`. Tokens made under an earlier key (``LIAISON_HASH_KEY_FALLBACKS``)
  still open, so the key can be rotated.

:func:`normalize` makes spellings of one identifier equal before hashing: case, spacing
and punctuation; a plate's separators; the order of a name's parts ("Lopez, Maria" is
"Maria Lopez"); letters with accents; the many ways of writing a date of birth.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from liaison.core.error_codes import CoreErrorCode
from liaison.core.errors import ServiceError


class Kind(StrEnum):
    PERSON = "person"
    """A name and a date of birth: ``"Maria Lopez, 1990-01-31"`` (any date format below)."""
    PLATE = "plate"
    """A vehicle licence plate; the issuing state may lead it: ``"MN ABC-123"``."""
    ADDRESS = "address"
    """A street address on one line."""
    PHONE = "phone"
    """A telephone number; a leading US country code 1 is dropped."""
    LICENSE = "license"
    """A driver's licence or state ID number."""
    RECORD = "record"
    """An agency's record number for the subject (booking, case, SID)."""


KIND_LABELS: dict[str, str] = {
    Kind.PERSON: "Person (name and date of birth)",
    Kind.PLATE: "Licence plate",
    Kind.ADDRESS: "Address",
    Kind.PHONE: "Phone number",
    Kind.LICENSE: "Driver's licence number",
    Kind.RECORD: "Record number",
}

MAX_LENGTH = 300

DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%m/%d/%Y",
    "%m-%d-%Y",
    "%m.%d.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
)

_DATE_AT_END = re.compile(
    r"(?P<date>(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{8}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}))\s*$"
)

# Words an address writes in more than one way.
_ADDRESS_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "highway": "hwy",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "apartment": "apt",
    "suite": "ste",
    "#": "apt",
}


def _refuse(kind: str, message: str) -> ServiceError:
    return ServiceError(message, code=CoreErrorCode.INVALID, fields={"value": [message]})


def _plain(value: str) -> str:
    """Lower case, accents removed, every run of non-alphanumerics one space."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z#]+", " ", ascii_only.casefold()).split())


def parse_date(text: str) -> date | None:
    """A date of birth written any of the usual ways, or ``None``."""
    cleaned = " ".join(text.replace(",", " ").replace(".", " ").split())
    for candidate in {text.strip(), cleaned}:
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
    return None


def _person(value: str) -> str:
    match = _DATE_AT_END.search(value.strip())
    born = parse_date(match.group("date")) if match else None
    if match is None or born is None:
        raise _refuse(
            Kind.PERSON,
            "Give the person's name and date of birth, for example “Maria Lopez, 1990-01-31”.",
        )
    name = _plain(value[: match.start()].replace("#", " "))
    if not name:
        raise _refuse(Kind.PERSON, "Give the person's name before the date of birth.")
    return f"{' '.join(sorted(name.split()))}|{born.isoformat()}"


def _plate(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", _plain(value).upper())


def _address(value: str) -> str:
    words = _plain(value).split()
    return " ".join(_ADDRESS_WORDS.get(w, w) for w in words)


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) < 7:
        raise _refuse(Kind.PHONE, "A phone number has at least seven digits.")
    return digits


def _token(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", _plain(value).upper())


_NORMALIZERS = {
    Kind.PERSON: _person,
    Kind.PLATE: _plate,
    Kind.ADDRESS: _address,
    Kind.PHONE: _phone,
    Kind.LICENSE: _token,
    Kind.RECORD: _token,
}


def normalize(kind: str, value: str) -> str:
    """The canonical spelling of ``value`` as an identifier of ``kind``.

    Raises :class:`ServiceError` (field ``value``) for an unknown kind, an empty value,
    one longer than :data:`MAX_LENGTH`, or one that is not an identifier of that kind.
    """
    try:
        normalizer = _NORMALIZERS[Kind(kind)]
    except ValueError:
        raise ServiceError(
            "Unknown identifier kind.",
            code=CoreErrorCode.INVALID,
            fields={"kind": [f"Choose one of: {', '.join(Kind)}."]},
        ) from None
    if not isinstance(value, str) or not value.strip():
        raise _refuse(kind, "Enter the identifier.")
    if len(value) > MAX_LENGTH:
        raise _refuse(kind, f"An identifier has at most {MAX_LENGTH} characters.")
    normal = normalizer(value)
    if not normal:
        raise _refuse(kind, "This identifier has no letters or digits.")
    return normal


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode()
    )


@lru_cache(maxsize=8)
def _hash_key(secret: str) -> bytes:
    return _derive(secret, b"liaison identifiers: keyed hash v1")


@lru_cache(maxsize=8)
def _fernet(secret: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    keys = [secret, *fallbacks]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(_derive(k, b"liaison identifiers: sealing v1")))
            for k in keys
        ]
    )


def _secret() -> str:
    return str(settings.LIAISON_HASH_KEY)


def _fallbacks() -> tuple[str, ...]:
    return tuple(getattr(settings, "LIAISON_HASH_KEY_FALLBACKS", ()) or ())


def keyed_hash(kind: str, value: str) -> str:
    """64 hex characters: HMAC-SHA256 of ``kind:normalize(kind, value)``.

    The kind is part of what is hashed, so a plate never matches a phone number with the
    same characters. Matching across a key rotation needs the records re-hashed.
    """
    normal = normalize(kind, value)
    message = f"{Kind(kind).value}:{normal}".encode()
    return hmac.new(_hash_key(_secret()), message, hashlib.sha256).hexdigest()


def seal(value: str) -> str:
    """``value`` encrypted for storage (a URL-safe text token)."""
    return _fernet(_secret(), _fallbacks()).encrypt(value.encode()).decode("ascii")


def unseal(token: str) -> str:
    """The value :func:`seal` encrypted. Raises :class:`ServiceError` for a token this
    deployment's keys did not make (or one that was altered)."""
    try:
        return _fernet(_secret(), _fallbacks()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        raise ServiceError(
            "This value was sealed under a key this deployment does not hold.",
            code=CoreErrorCode.INVALID,
        ) from None


def masked(kind: str, value: str) -> str:
    """A hint of the value safe to show beside a match ("M… L…, born 1990", "…123")."""
    normal = normalize(kind, value)
    if Kind(kind) is Kind.PERSON:
        name, born = normal.split("|")
        initials = " ".join(f"{part[0].upper()}…" for part in name.split())
        return f"{initials}, born {born[:4]}"
    return f"…{normal[-3:]}" if len(normal) > 3 else "…"
