"""Forms of the data-subject, review and accounting pages (input only; services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from liaison.core.filters import Filters
from liaison.core.forms import UswdsFormMixin
from liaison.core.identifiers import Kind
from liaison.directory.models import Agency
from liaison.policy import vocabulary as v
from liaison.sharing.models import PURPOSE_CHOICES, DataSubjectRequest, DisclosureReview

DATE = forms.DateInput(attrs={"type": "date"})

# The identifier fields of the form, in the order asked, with the kind each is hashed as.
IDENTIFIER_FIELDS: list[tuple[str, str, str]] = [
    (Kind.PERSON, "Name and date of birth", "For example “Maria Lopez, 1990-01-31”."),
    (Kind.LICENSE, "Driver's licence or state ID number", ""),
    (Kind.PLATE, "Licence plate", ""),
    (Kind.PHONE, "Phone number", ""),
    (Kind.ADDRESS, "Address", "Street address on one line."),
    (Kind.RECORD, "Agency record number", "Booking, case or SID number the subject gave."),
]


class DataSubjectRequestForm(UswdsFormMixin, forms.Form):
    """A data subject's request as the privacy officer received it. The identifiers are
    hashed by the service; nothing typed here is stored as typed."""

    custodian_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency asked",
        help_text="Its disclosures, and those of its sub-agencies, are searched.",
    )
    received_on = forms.DateField(label="Received on", widget=DATE)
    identity_proof = forms.ChoiceField(
        label="How the requester proved their identity", choices=DataSubjectRequest.Proof.choices
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label, help_text in IDENTIFIER_FIELDS:
            self.fields[str(kind)] = forms.CharField(
                label=label, required=False, max_length=300, help_text=help_text
            )
        self.fields["contact"] = forms.CharField(
            label="How to reach the requester (optional)",
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Kept encrypted; only a privacy officer of the agency can read it back.",
        )
        self.fields["custodian_agency"].queryset = agencies  # type: ignore[attr-defined]
        if agencies.count() == 1:
            self.fields["custodian_agency"].initial = agencies.first()
        self.fields["received_on"].initial = timezone.localdate()

    def identifiers(self) -> list[tuple[str, str]]:
        return [
            (str(kind), self.cleaned_data[str(kind)])
            for kind, _, _ in IDENTIFIER_FIELDS
            if self.cleaned_data.get(str(kind), "").strip()
        ]


class AnswerForm(UswdsFormMixin, forms.Form):
    answered_on = forms.DateField(
        label="Answered on", widget=DATE, help_text="The day the report was given to the subject."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()


class DenyForm(AnswerForm):
    reason = forms.CharField(
        label="Reason for the denial",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As told to the requester, with the law it rests on.",
    )


class ReviewOutcomeForm(UswdsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=[
            (DisclosureReview.Outcome.RETAIN, "Retain: the information is still valid"),
            (DisclosureReview.Outcome.PURGE, "Purge"),
        ],
    )
    justification = forms.CharField(label="Justification", widget=forms.Textarea(attrs={"rows": 3}))
    next_review_due = forms.DateField(
        label="Next review by (when retained)",
        required=False,
        widget=DATE,
        help_text="Within five years; five years from today when left empty.",
    )


class AccountingFilters(Filters):
    """Filters of the accounting of disclosures."""

    arguments = {"recipient": "recipient", "custodian": "custodian"}

    recipient = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"), required=False, label="Recipient agency"
    )
    custodian = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"), required=False, label="Disclosing agency"
    )
    purpose = forms.ChoiceField(choices=[("", "Any purpose"), *PURPOSE_CHOICES], required=False)
    category = forms.ChoiceField(
        choices=[("", "Any category")]
        + [(c, c.replace("_", " ").capitalize()) for c in v.CATEGORIES],
        required=False,
    )
    disclosed_from = forms.DateField(required=False, label="Disclosed from", widget=DATE)
    disclosed_to = forms.DateField(required=False, label="Disclosed to", widget=DATE)


class SubjectRequestFilters(Filters):
    status = forms.ChoiceField(
        choices=[("", "Open requests"), *DataSubjectRequest.Status.choices], required=False
    )
