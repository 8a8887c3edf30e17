"""Views that refuse after doing some work, for the refusal-recording tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from liaison.core.errors import NotFound, PermissionDenied
from liaison.ledger.denials import NotFoundForbidden
from liaison.ledger.services import ledger_append
from liaison.urls import urlpatterns as site


def _work_then(exc: Exception) -> None:
    with transaction.atomic():
        ledger_append(actor=None, action="thing.change", object_type="tests.thing", object_id=1)
        raise exc


def django_denied(request: HttpRequest) -> HttpResponse:
    _work_then(DjangoPermissionDenied())
    return HttpResponse()


def service_denied(request: HttpRequest) -> HttpResponse:
    _work_then(PermissionDenied())
    return HttpResponse()


def hidden(request: HttpRequest) -> HttpResponse:
    raise NotFoundForbidden(object_type="tests.thing", object_id=7)


def missing(request: HttpRequest) -> HttpResponse:
    raise NotFound()


urlpatterns = [
    *site,
    path("django-denied", django_denied, name="django_denied"),
    path("service-denied", service_denied, name="service_denied"),
    path("hidden", hidden, name="hidden"),
    path("missing", missing, name="missing"),
]
