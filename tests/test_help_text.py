"""The data dictionary is complete: every field of every project model has help text."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def _fields_without_help_text() -> list[str]:
    missing = []
    for model in apps.get_models(include_auto_created=False):
        if not model.__module__.startswith("liaison."):
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if field.auto_created or not isinstance(field, models.Field):
                continue
            if isinstance(field, models.CompositePrimaryKey):  # its parts carry the text
                continue
            if not str(field.help_text).strip():
                missing.append(f"{model._meta.label}.{field.name}")
    return missing


def test_every_field_of_every_model_has_help_text() -> None:
    assert _fields_without_help_text() == []


def test_the_check_sees_foreign_keys_and_inherited_fields() -> None:
    user = apps.get_model("accounts", "User")
    names = {f.name for f in user._meta.get_fields() if isinstance(f, models.Field)}
    assert {"agency", "email", "password"} <= names
    assert str(user._meta.get_field("agency").help_text)
