"""Forms of the ledger pages: the browser's filters and the public proof requests."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.core.filters import Filters
from liaison.core.forms import UswdsFormMixin
from liaison.ledger.models import EntryKind, RedactionAuthority
from liaison.ledger.selectors import AccessFilter, EntryFilter, user_id_for

NO_MATCH = -1


class _LedgerFilterForm(Filters):
    """A filter of ledger entries by agency (choices given) and by a username."""

    agency = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Any"), *agencies]
        self._errors = None  # the mixin validated before the choices were known

    def _user_id(self, name: str) -> int | None:
        """The id of the user named in field ``name``; :data:`NO_MATCH` for an unknown one."""
        username = (self.cleaned_data.get(name) or "").strip()
        if not username:
            return None
        found = user_id_for(username)
        return NO_MATCH if found is None else found


class EntryFilterForm(_LedgerFilterForm):
    field_order = ["actor", "agency", "action", "object_type", "object_id", "kind"]
    actor = forms.CharField(required=False, label="Actor", help_text="Username.")
    action = forms.CharField(
        required=False, help_text="Starts with, e.g. agreement. or token.create"
    )
    object_type = forms.CharField(
        required=False, label="Object type", help_text="e.g. agreements.agreement"
    )
    object_id = forms.CharField(required=False, label="Object id")
    kind = forms.ChoiceField(required=False, choices=[("", "Any"), *EntryKind.choices])

    def to_filter(self) -> EntryFilter:
        data = self.cleaned_data
        return EntryFilter(
            actor_id=self._user_id("actor"),
            agency_id=data.get("agency"),
            action=(data.get("action") or "").strip(),
            object_type=(data.get("object_type") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class InclusionForm(UswdsFormMixin, forms.Form):
    seq = forms.IntegerField(min_value=0, label="Entry number")
    size = forms.IntegerField(
        min_value=1,
        required=False,
        label="Tree size",
        help_text="Leave empty to prove against the latest checkpoint.",
    )


class ConsistencyForm(UswdsFormMixin, forms.Form):
    old_size = forms.IntegerField(min_value=0, label="Older tree size")
    new_size = forms.IntegerField(min_value=0, label="Newer tree size")


class TextSearchForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Text contains", max_length=200)


class RedactForm(UswdsFormMixin, forms.Form):
    authority = forms.ChoiceField(
        choices=[("", "- Select -"), *RedactionAuthority.choices],
        label="Authority for the redaction",
        help_text="Recorded in the ledger with your name and the time.",
    )
    confirm = forms.BooleanField(
        label="I confirm: remove this text for good. The ledger keeps its hash and this redaction.",
        error_messages={"required": "Tick the box to confirm the redaction."},
    )


class AccessFilterForm(_LedgerFilterForm):
    field_order = ["reader", "agency", "person", "record_type", "record_id"]
    reader = forms.CharField(required=False, label="Reader", help_text="Username.")
    person = forms.IntegerField(
        required=False, min_value=1, label="Person", help_text="The person's id (their page's URL)."
    )
    record_type = forms.CharField(
        required=False, label="Record type", help_text="e.g. directory.person or directory.contact"
    )
    record_id = forms.CharField(required=False, label="Record id")

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        self.fields["agency"].label = "Acting for"

    def to_filter(self) -> AccessFilter:
        data = self.cleaned_data
        return AccessFilter(
            reader_id=self._user_id("reader"),
            agency_id=data.get("agency"),
            person_id=str(data["person"]) if data.get("person") else "",
            record_type=(data.get("record_type") or "").strip(),
            record_id=(data.get("record_id") or "").strip(),
            since=data.get("since"),
            until=data.get("until"),
        )
