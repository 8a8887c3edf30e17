"""Response headers every page gets: Content-Security-Policy and Permissions-Policy.

Scripts, styles, fonts and images come only from this origin (USWDS and htmx are
served as static files; there are no inline scripts), so an injected ``<script>``
does not run. Pages may not be framed, forms post only here, and the browser
features Liaison never uses (camera, microphone, geolocation, …) are switched off.

Also :class:`ApiErrorBodyMiddleware`: every error answer under ``/api/`` is JSON.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from liaison.core.api import error_body

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy = CONTENT_SECURITY_POLICY
        if settings.PRODUCTION:
            policy += "; upgrade-insecure-requests"
        self.policy = policy

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


_API_ERROR_CODES = {
    401: ("unauthorized", "A valid API token or signed-in session is required."),
    403: ("permission_denied", "You are not allowed to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This endpoint does not answer that method."),
    429: ("throttled", "Too many requests; try again later."),
}
_KEPT_HEADERS = ("Allow", "Retry-After")


class ApiErrorBodyMiddleware:
    """Under ``/api/``, an error answer that is not JSON — the router's 405, Django's 400
    for a bad request, a 500 raised outside the API's handlers — becomes the API's JSON
    error body ``{"code", "message", "fields"}`` with the same status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        default = ("server_error", "Something went wrong on our side; nothing was changed.")
        if response.status_code < 500:
            default = ("invalid", "The request could not be understood.")
        code, message = _API_ERROR_CODES.get(response.status_code, default)
        answer = JsonResponse(error_body(code, message), status=response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer


class ServiceErrorMiddleware:
    """The one place a refusal or a service error that leaves a view becomes a page.

    ``NotFound`` answers the 404 page and ``PermissionDenied`` (Liaison's or Django's) the
    403 page, after the refusal is recorded (:func:`liaison.core.access.record_refusal`;
    the ledger writes ``permission.deny``, without personal data). Any other
    :class:`~liaison.core.errors.ServiceError` a view did not turn into form messages — a
    lifecycle step out of order (409), a request the service refuses (400) — answers a
    page with its plain message and status, never a server error. Views therefore call
    selectors and services and let these propagate; they catch only what they show
    beside form fields.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
        from django.http import Http404
        from django.shortcuts import render

        from liaison.core.access import record_refusal
        from liaison.core.errors import NotFound, PermissionDenied, ServiceError

        if not isinstance(exception, ServiceError | DjangoPermissionDenied):
            return None
        record_refusal(request, exception)
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception
        if isinstance(exception, ServiceError):
            back = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
            context = {"message": exception.message, "status": exception.status, "back": back}
            return render(request, "service_error.html", context, status=exception.status)
        return None
