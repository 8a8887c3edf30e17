"""Form helpers shared by every staff page: USWDS widget classes, service errors, and the
same refusal of unstorable text as the API (:mod:`liaison.core.text`)."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.core.errors import ServiceError
from liaison.core.text import validate_storable_text

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
        for name in form.errors:
            mark_invalid(form, name)


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
