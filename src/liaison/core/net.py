"""Where a request comes from: the one rule for the client address, used by sign-in
throttling, rate limits and the ledger's security entries.

Behind ``LIAISON_TRUSTED_PROXIES`` reverse proxies (a number, 0 by default) the client
is the address that many hops from the right of ``X-Forwarded-For``; with none the
header is ignored (a client could write anything in it) and ``REMOTE_ADDR`` counts.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as text ("" when unknown)."""
    hops = int(getattr(settings, "LIAISON_TRUSTED_PROXIES", 0))
    address = str(request.META.get("REMOTE_ADDR", "") or "")
    if hops > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def source_key(request: HttpRequest | None) -> str:
    """A keyed hash (``LIAISON_HASH_KEY``) of the client address: the same source always
    gives the same key, and the address itself is never stored. "" without a request."""
    if request is None:
        return ""
    address = client_ip(request)
    if not address:
        return ""
    key = settings.LIAISON_HASH_KEY.encode()
    return hmac.new(key, f"source:{address}".encode(), hashlib.sha256).hexdigest()[:32]
