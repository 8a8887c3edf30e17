"""Rate limits per client address for the pages anyone can reach: the public ledger
(pages and API) and the sign-in page.

``LIAISON_RATE_LIMITS`` names each limit: the paths it covers (regular expressions
matched from the start of the path) and its rate (``"120/m"``: requests per second,
minute, hour or day). Counting is django-ratelimit's fixed-window counter, per limit
and per address (``liaison.core.net.client_ip``), in the cache named by
``RATELIMIT_USE_CACHE``: the database cache in production, so that every app server
counts in the same place; the process's memory in the demo and the tests. Over the
limit the answer is 429 with ``Retry-After``: JSON in the API's error body under
``/api/``, otherwise a plain page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from liaison.core.error_codes import CoreErrorCode
from liaison.core.net import client_ip

logger = logging.getLogger(__name__)

MESSAGE = "Too many requests from your network. Please wait a minute and try again."


@dataclass(frozen=True)
class Limit:
    name: str
    paths: tuple[re.Pattern[str], ...]
    rate: str

    def covers(self, path: str) -> bool:
        return any(pattern.match(path) for pattern in self.paths)


def configured_limits() -> list[Limit]:
    specs: dict[str, dict[str, Any]] = dict(settings.LIAISON_RATE_LIMITS)
    return [
        Limit(
            name=name,
            paths=tuple(re.compile(p) for p in spec["paths"]),
            rate=str(spec["rate"]),
        )
        for name, spec in specs.items()
        if spec.get("rate")
    ]


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 answer: the API's JSON error body, or a plain page."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": CoreErrorCode.THROTTLED, "message": MESSAGE, "fields": {}}, status=429
        )
    else:
        response = render(
            request, "429.html", {"message": MESSAGE, "retry_after": retry_after}, status=429
        )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answer 429 once an address goes over a limit that covers the requested path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "RATELIMIT_ENABLE", True):
            for limit in configured_limits():
                if not limit.covers(request.path):
                    continue
                try:
                    usage: dict[str, Any] | None = get_usage(
                        request,
                        group=f"liaison:{limit.name}",
                        key=_address,
                        rate=limit.rate,
                        increment=True,
                    )
                except DatabaseError:
                    # The counter is unreachable: serve rather than refuse everyone.
                    logger.exception("rate limit %s could not count", limit.name)
                    continue
                if usage is not None and usage["should_limit"]:
                    left = int(usage.get("time_left") or 0)
                    return too_many(request, left if left > 0 else 60)
        return self.get_response(request)
