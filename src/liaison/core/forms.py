"""Form helpers shared by every page: USWDS widget classes, the same refusal of unstorable
text as the API (:mod:`liaison.core.text`), and the one path from a service's refusal to
the page.

A view validates its form, then calls its service through :func:`run_service`. A
refusal the user can correct (a field message, a constraint, a step out of order)
is put on the form by :func:`apply_service_error`: field messages beside their
fields, the rest in the summary that ``core/_form_errors.html`` shows on top and
that links to each field. ``NotFound`` and ``PermissionDenied`` are not for the form:
they propagate and answer 404 and 403. :func:`form_status` is the status to answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest

from liaison.core.errors import NotFound, PermissionDenied, ServiceError
from liaison.core.roles import Actor, signed_in_actor
from liaison.core.text import validate_storable_text
from liaison.core.validation import constraint_field, constraint_message, model_constraints

T = TypeVar("T")

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "usa-checkbox__input"),
    (forms.RadioSelect, "usa-radio__input"),
    (forms.CheckboxInput, "usa-checkbox__input"),
    (forms.Select, "usa-select"),
    (forms.Textarea, "usa-textarea"),
    (forms.ClearableFileInput, "usa-file-input"),
    (forms.widgets.Input, "usa-input"),
]


class UswdsFormMixin:
    """Give every widget its USWDS class and point it at its error message for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: forms.BaseForm = self  # type: ignore[assignment]
        for field in form.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(validate_storable_text)
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_type):
                    field.widget.attrs["class"] = (
                        f"{field.widget.attrs.get('class', '')} {css}".strip()
                    )
                    break

    def full_clean(self) -> None:
        # Marks invalid widgets only once validation has run, so subclasses may still narrow
        # their fields' choices after __init__ without the form validating too early.
        super().full_clean()  # type: ignore[misc]
        form: forms.BaseForm = self  # type: ignore[assignment]
        if isinstance(form, forms.BaseModelForm):
            _place_constraint_messages(form)
        for name in form.errors:
            mark_invalid(form, name)


def _place_constraint_messages(form: forms.BaseModelForm) -> None:  # type: ignore[type-arg]
    """Move a constraint's message from the form's summary to the field it was declared for.

    Django reports a model's constraints as the form's own errors; :func:`on_field` says
    which field each belongs beside.
    """
    summary = form.errors.get(NON_FIELD_ERRORS)
    if not summary:
        return
    field_of = {
        constraint_message(c): constraint_field(c) for c in model_constraints(type(form.instance))
    }
    kept = []
    for index, text in enumerate(summary):
        name = field_of.get(str(text), NON_FIELD_ERRORS)
        if name in form.fields:
            form.errors.setdefault(name, form.error_class(renderer=form.renderer)).append(text)
        else:
            kept.append(summary.data[index])
    summary.data = kept
    if not kept:
        del form.errors[NON_FIELD_ERRORS]


def mark_invalid(form: forms.BaseForm, name: str) -> None:
    """Point field ``name``'s widget at its error message for screen readers."""
    if name not in form.fields:
        return
    attrs = form.fields[name].widget.attrs
    if attrs.get("aria-invalid") == "true":
        return
    attrs["aria-invalid"] = "true"
    attrs["aria-describedby"] = f"{form.add_prefix(name)}-error"
    attrs["class"] = f"{attrs.get('class', '')} usa-input--error".strip()


def apply_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    """Show a service's refusal on the form: field messages beside fields, the rest on top."""
    form.service_error = error  # type: ignore[attr-defined]
    placed = False
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
        if target is not None:
            mark_invalid(form, target)
    if not placed:
        form.add_error(None, error.message)


def run_service(
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    propagate: tuple[type[ServiceError], ...] = (),
) -> T | None:
    """Call one service for a valid ``form``: its result, or ``None`` with the refusal on the form.

    ``NotFound``, ``PermissionDenied`` and the ``propagate`` classes are raised on (404,
    403, or the page the caller's handler shows); every other :class:`ServiceError` is
    shown on the form. Services return the record they wrote, never ``None``.
    """
    try:
        return call()
    except ServiceError as exc:
        if isinstance(exc, (NotFound, PermissionDenied, *propagate)):
            raise
        apply_service_error(form, exc)
        return None


def form_status(request: HttpRequest, form: forms.BaseForm) -> int:
    """The status of a form page: 200 to show it, 400 (or the refusal's own, e.g. 409) after
    a POST that was refused."""
    if request.method != "POST" or not form.errors:
        return 200
    error = getattr(form, "service_error", None)
    return error.status if isinstance(error, ServiceError) else 400


@dataclass(frozen=True)
class SummaryItem:
    """One line of a form's error summary; ``anchor`` is the field's id, empty for the form."""

    message: str
    label: str = ""
    anchor: str = ""


def error_summary(form: forms.BaseForm) -> list[SummaryItem]:
    """The form's problems for its summary: the form's own first, then each field's, linked."""
    items = [SummaryItem(str(message)) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        if name not in form.fields:
            items.extend(SummaryItem(str(message)) for message in messages)
            continue
        bound = form[name]
        anchor = bound.id_for_label or bound.auto_id or ""
        items.extend(
            SummaryItem(str(message), label=str(bound.label), anchor=anchor) for message in messages
        )
    return items


# --- what every page view needs of its request ------------------------------------------


def page_actor(request: HttpRequest) -> Actor:
    """The signed-in account a page acts for; anyone else is refused (403)."""
    actor = signed_in_actor(request.user)
    if actor is None:
        raise PermissionDenied()
    return actor


def posted(request: HttpRequest) -> Any:
    """The submitted data a form is bound to, or ``None`` to show it unbound."""
    return request.POST if request.method == "POST" else None


def require(allowed: bool) -> None:
    """Refuse the page (403) unless ``allowed``: for a page whose form is offered only to
    those the service would let act (the service checks again)."""
    if not allowed:
        raise PermissionDenied()
