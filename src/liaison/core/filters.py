"""The one filter mechanism of list pages.

A list page declares the filters it accepts as a :class:`Filters` form (optional
fields; ``arguments`` maps a filter to its selector keyword where the names differ),
and answers with :func:`list_page`, which reads the filters from the query string
(so a filtered list is a bookmarkable URL), passes the valid ones to the selector,
paginates and renders. The template includes ``core/_filters.html``, the USWDS filter
form that updates ``#results`` live (htmx) as the user types or chooses, and still
works as a plain GET form without JavaScript.

A filter the user got wrong is left out and shown with its message; the others apply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.core.forms import UswdsFormMixin
from liaison.core.pagination import paginate


def yes_no_filter(label: str, *, yes: str, no: str, anything: str = "All") -> forms.Field:
    """A filter answering True (``yes``), False (``no``) or not filtering (``anything``)."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("", anything), ("yes", yes), ("no", no)],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )


class Filters(UswdsFormMixin, forms.Form):
    """The filters a list accepts. Subclasses declare optional fields; ``arguments`` renames a
    field to the selector's keyword (``{"party": "party_id"}``)."""

    arguments: ClassVar[Mapping[str, str]] = {}

    def __init__(self, params: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(params, **kwargs)

    def selector_kwargs(self) -> dict[str, Any]:
        """The valid, non-empty filters as selector keywords; a chosen record passes its pk."""
        self.is_valid()
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "" or value == []:
                continue
            out[self.arguments.get(name, name)] = value.pk if isinstance(value, Model) else value
        return out


def list_page(
    request: HttpRequest,
    *,
    template: str,
    filters: Filters,
    select: Callable[..., QuerySet[Any]],
    context: Mapping[str, Any] | None = None,
    shown: Callable[[list[Any]], object] | None = None,
) -> HttpResponse:
    """A filtered, paginated list: ``select(user=..., **filters)`` for the signed-in user.

    ``shown`` is called with the records of the page (e.g. to record that they were read).
    """
    page = paginate(request, select(user=request.user, **filters.selector_kwargs()))
    if shown is not None:
        page.object_list = list(page.object_list)
        shown(page.object_list)
    return render(request, template, {"page": page, "filter_form": filters, **(context or {})})
