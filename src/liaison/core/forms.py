"""Form helpers shared by every staff page: USWDS widget classes and service errors."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.core.errors import ServiceError

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
        for name, field in form.fields.items():
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_type):
                    field.widget.attrs["class"] = (
                        f"{field.widget.attrs.get('class', '')} {css}".strip()
                    )
                    break
            if form.is_bound and name in form.errors:
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"{form.add_prefix(name)}-error"
                field.widget.attrs["class"] += " usa-input--error"


def apply_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    """Show a service's refusal on the form: field messages beside fields, the rest on top."""
    placed = False
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
