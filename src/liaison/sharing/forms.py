"""Forms of the sharing pages; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.core.filters import Filters, yes_no_filter
from liaison.core.forms import UswdsFormMixin
from liaison.core.identifiers import KIND_LABELS
from liaison.directory.models import Agency
from liaison.directory.selectors import agencies
from liaison.policy import vocabulary as v
from liaison.policy.request import MAX_ITEMS
from liaison.sharing import explain
from liaison.sharing.models import (
    CATEGORY_CHOICES,
    CLASSIFICATION_CHOICES,
    INSTRUMENT_CHOICES,
    PURPOSE_CHOICES,
    SOURCE_CHOICES,
    STATE_CHOICES,
    Disclosure,
    RequestItem,
    Review,
    SharingRequest,
)
from liaison.sharing.selectors import custodian_agencies

WHAT_CHOICES = [
    ("", "— Nothing —"),
    ("Data", [(f"category:{code}", label) for code, label in CATEGORY_CHOICES]),
    ("Actions", [(f"action:{code}", code.replace("_", " ").capitalize()) for code in v.ACTIONS]),
]
FLAG_LABELS = {
    "active_investigation": "Part of an active investigation",
    "political_religious_social_views": "About political, religious or social views",
    "tied_to_criminal_conduct": "Tied to criminal conduct",
    "reasonable_suspicion": "Collected on reasonable suspicion",
    "deidentified": "De-identified",
}


class RequestForm(UswdsFormMixin, forms.Form):
    requesting_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Requesting agency",
        help_text="The agency asking, when you file on its behalf.",
    )
    custodian_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency holding the data or the person",
    )
    purpose = forms.ChoiceField(choices=[("", "— Choose —"), *PURPOSE_CHOICES], label="Purpose")
    instrument = forms.ChoiceField(
        choices=[("", "— Choose —"), *INSTRUMENT_CHOICES],
        label="Legal instrument you hold",
        help_text="A warrant, order, subpoena, detainer, agreement clause, consent — or none.",
    )
    urgent = forms.BooleanField(required=False, label="Urgent: it cannot wait for the usual review")

    def __init__(self, *args: Any, on_behalf: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        custodian = self.fields["custodian_agency"]
        assert isinstance(custodian, forms.ModelChoiceField)
        custodian.queryset = custodian_agencies()
        requesting = self.fields["requesting_agency"]
        assert isinstance(requesting, forms.ModelChoiceField)
        if on_behalf:
            requesting.queryset = agencies(active_only=True)
        else:
            del self.fields["requesting_agency"]


class ItemForm(UswdsFormMixin, forms.Form):
    what = forms.ChoiceField(choices=WHAT_CHOICES, required=False, label="What you ask for")
    classification = forms.ChoiceField(
        choices=[("", "— For data —"), *CLASSIFICATION_CHOICES],
        required=False,
        label="Classification",
    )
    source = forms.ChoiceField(
        choices=[("", "— For data —"), *SOURCE_CHOICES], required=False, label="Source system"
    )
    flags = forms.MultipleChoiceField(
        choices=list(FLAG_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="The data is",
    )

    def item(self) -> dict[str, Any] | None:
        """The request-format item, or None for an empty row."""
        data = self.cleaned_data
        if not data.get("what"):
            return None
        kind, _, code = data["what"].partition(":")
        if kind == "action":
            return {"action": code}
        found: dict[str, Any] = {
            "category": code,
            "classification": data.get("classification", ""),
            "source": data.get("source", ""),
        }
        return found | {flag: True for flag in data.get("flags", [])}


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)


class ReviewForm(UswdsFormMixin, forms.Form):
    action = forms.ChoiceField(
        choices=Review.Action.choices, widget=forms.RadioSelect, label="Your answer"
    )
    reason = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="Required to narrow or deny.",
    )

    def __init__(self, *args: Any, items: list[RequestItem], allowed: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_fields: list[tuple[RequestItem, str]] = []
        for item in items:
            if item.statutory_deny or item.overridden:
                continue
            name = f"keep_{item.index}"
            if item.is_action:
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=True,
                    label=f"Keep item {item.index + 1}: {explain.what(item)}",
                )
            else:
                fields = allowed(item)
                self.fields[name] = forms.MultipleChoiceField(
                    choices=[(f, f.replace("_", " ")) for f in fields],
                    initial=fields,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    label=f"Item {item.index + 1}: {explain.what(item)} — fields kept",
                )
            self.item_fields.append((item, name))

    def keep(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for item, name in self.item_fields:
            value = self.cleaned_data.get(name)
            if item.is_action and value:
                out[item.index] = []
            elif not item.is_action and value:
                out[item.index] = list(value)
        return out


class OverrideForm(UswdsFormMixin, forms.Form):
    justification = forms.CharField(
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Written justification",
        help_text="The legal ground on which the rule packs' deny is set aside.",
    )

    def __init__(self, *args: Any, item: RequestItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not item.is_action:
            fields = list(v.CATEGORIES[item.category].fields)
            self.fields["fields"] = forms.MultipleChoiceField(
                choices=[(f, f.replace("_", " ")) for f in fields],
                initial=fields,
                widget=forms.CheckboxSelectMultiple,
                label="Fields that may leave",
            )


class DisclosureForm(UswdsFormMixin, forms.Form):
    package = forms.FileField(
        label="The package as sent",
        help_text="Only its SHA-256 is kept, to prove later what left.",
    )
    channel = forms.ChoiceField(choices=Disclosure.Channel.choices, label="Sent by")
    recipient_name = forms.CharField(max_length=200, label="Received by (name)")
    disclosed_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Sent on",
        help_text="Empty: today.",
    )
    subjects = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Subjects (one per line, kind: value)",
        help_text="Kinds: "
        + ", ".join(f"{k} ({label.lower()})" for k, label in KIND_LABELS.items())
        + ". Kept only as keyed hashes, for the subject's report.",
    )

    def __init__(self, *args: Any, releasable: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(releasable)
        for category, fields in releasable.items():
            self.fields[f"fields_{category}"] = forms.MultipleChoiceField(
                choices=[(f, f.replace("_", " ")) for f in fields],
                initial=fields,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"{category.replace('_', ' ').capitalize()}: fields that left",
            )

    def clean_subjects(self) -> list[tuple[str, str]]:
        pairs = []
        for n, line in enumerate(self.cleaned_data["subjects"].splitlines(), start=1):
            if not line.strip():
                continue
            kind, sep, value = line.partition(":")
            if not sep or kind.strip() not in KIND_LABELS or not value.strip():
                raise forms.ValidationError(
                    f"Line {n}: write the kind, a colon and the value, e.g. “plate: MN ABC-123”."
                )
            pairs.append((kind.strip(), value.strip()))
        return pairs

    def chosen_fields(self) -> dict[str, list[str]]:
        return {
            c: list(self.cleaned_data[f"fields_{c}"])
            for c in self.categories
            if self.cleaned_data.get(f"fields_{c}")
        }


class RequestFilterForm(Filters):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *SharingRequest.Status.choices], required=False
    )
    state = forms.ChoiceField(choices=[("", "Any state"), *STATE_CHOICES], required=False)
    purpose = forms.ChoiceField(choices=[("", "Any purpose"), *PURPOSE_CHOICES], required=False)
    urgent = yes_no_filter("Urgency", yes="Urgent only", no="Not urgent")
    q = forms.CharField(required=False, label="Reference", max_length=40)


class DisclosureFilterForm(Filters):
    state = forms.ChoiceField(choices=[("", "Any state"), *STATE_CHOICES], required=False)
    review_due = yes_no_filter(
        "28 CFR review", yes="A review is due", no="No review due", anything="All"
    )
