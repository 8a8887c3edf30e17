"""Template filters for forms: ``{% load liaison_forms %}``."""

from __future__ import annotations

from django import forms, template

from liaison.core.forms import SummaryItem, error_summary

register = template.Library()


@register.filter(name="error_summary")
def error_summary_filter(form: forms.BaseForm) -> list[SummaryItem]:
    """The lines of ``form``'s error summary (see :func:`liaison.core.forms.error_summary`)."""
    return error_summary(form)
