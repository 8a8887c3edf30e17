"""The JSON API at /api/v1/, with its OpenAPI schema at /api/v1/docs.

Each app contributes a router from its ``api.py``; service errors become 4xx JSON
bodies ``{"code", "message", "fields"}``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from liaison.accounts.api import ApiAuth
from liaison.accounts.api import router as accounts_router
from liaison.agreements.api import router as agreements_router
from liaison.core.errors import ServiceError
from liaison.directory.api import router as directory_router
from liaison.ledger.api import router as ledger_router
from liaison.ledger.denials import record_refusal
from liaison.notifications.api import router as notifications_router

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
    body = {
        "code": "invalid",
        "message": "Please correct the errors in the request.",
        "fields": fields,
    }
    return api.create_response(request, body, status=422)


api.add_router("/accounts", accounts_router)
api.add_router("/directory", directory_router)
api.add_router("/agreements", agreements_router)
api.add_router("/notifications", notifications_router)
api.add_router("/ledger", ledger_router)
