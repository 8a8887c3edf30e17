"""The JSON API at /api/v1/, with its OpenAPI schema at /api/v1/docs.

Each app contributes a router (``liaison.core.api.Router``) from its ``api.py``. Every
error answers the JSON body ``{"code", "message", "fields"}`` (``liaison.core.api.ErrorOut``):
service errors with their own status, invalid requests 422, a missing or bad token
401, an unknown endpoint 404, and anything unexpected 500 — logged without the
request's data.
"""

from __future__ import annotations

import logging
import traceback

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from liaison.accounts.api import ApiAuth
from liaison.accounts.api import router as accounts_router
from liaison.agreements.api import router as agreements_router
from liaison.core.access import record_refusal
from liaison.core.api import error_body
from liaison.core.errors import ServiceError
from liaison.directory.api import router as directory_router
from liaison.ledger.api import router as ledger_router
from liaison.notifications.api import router as notifications_router
from liaison.operations.api import router as operations_router
from liaison.policy.api import router as policy_router
from liaison.sharing.api import router as sharing_router
from liaison.training.api import router as training_router

logger = logging.getLogger("liaison.api")

api = NinjaAPI(
    title="Liaison API",
    version="1",
    description="State–federal task-force coordination records. Token auth: `Authorization: Bearer <token>`.",
    auth=ApiAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    record_refusal(request, exc)  # a security entry when exc is a refusal
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "__all__", []).append(
            str(err.get("msg", "Invalid value."))
        )
    body = error_body("invalid", "Please correct the errors in the request.", fields)
    return api.create_response(request, body, status=422)


_HTTP_ERROR_CODES = {
    401: "unauthorized",
    403: "permission_denied",
    404: "not_found",
    429: "throttled",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_ERROR_CODES.get(exc.status_code, "invalid")
    message = str(exc)
    if isinstance(exc, AuthenticationError):
        message = "A valid API token (Authorization: Bearer …) or signed-in session is required."
    response = api.create_response(request, error_body(code, message), status=exc.status_code)
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "Not found."), status=404)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """500 as JSON. The log names the endpoint and where it failed, never the request's
    values or the exception's message (which can quote them)."""
    match = request.resolver_match
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[::-1][:8]
    )
    logger.error(
        "API %s %s failed: %s at %s",
        request.method,
        match.route if match else "?",
        type(exc).__name__,
        where,
    )
    body = error_body("server_error", "Something went wrong on our side; nothing was changed.")
    return api.create_response(request, body, status=500)


def unknown_endpoint(request: HttpRequest) -> HttpResponse:
    """Any path under /api/v1/ that no operation serves."""
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)


api.add_router("/accounts", accounts_router)
api.add_router("/directory", directory_router)
api.add_router("/agreements", agreements_router)
api.add_router("/notifications", notifications_router)
api.add_router("/ledger", ledger_router)
api.add_router("/policy", policy_router)
api.add_router("/training", training_router)
api.add_router("/sharing", sharing_router)
api.add_router("/operations", operations_router)
