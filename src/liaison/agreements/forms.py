"""Staff forms for agreements and the legal library: input parsing only, no rules."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.agreements import selectors
from liaison.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    DocumentVersion,
    LegalAuthority,
    ReportingObligation,
)
from liaison.agreements.selectors import QUEUE_STAGES, agreement_document_versions
from liaison.agreements.services import AgreementFields, AuthorityFields
from liaison.core.dates import day_text
from liaison.core.filters import Filters, yes_no_filter
from liaison.core.forms import UswdsFormMixin
from liaison.directory.forms import PersonChoiceField
from liaison.directory.models import Agency, Person
from liaison.directory.selectors import agencies, jurisdictions, person_list_for_user

PARTY_SLOTS = 5


class DateInput(forms.DateInput):
    input_type = "date"


def _checkboxes(
    queryset: Any, label: str, required: bool = False
) -> forms.ModelMultipleChoiceField[Any]:
    return forms.ModelMultipleChoiceField(
        queryset=queryset, widget=forms.CheckboxSelectMultiple, required=required, label=label
    )


class _PartyFieldsForm(forms.Form):
    """Adds the party slots; runs before the USWDS mixin styles and validates the fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = agencies(active_only=True)
        for i in range(1, PARTY_SLOTS + 1):
            self.fields[f"party_{i}_agency"] = forms.ModelChoiceField(
                queryset=active, required=False, label=f"Party {i}"
            )
            self.fields[f"party_{i}_role"] = forms.ChoiceField(
                choices=[("", "—"), *AgreementParty.Role.choices],
                required=False,
                label=f"Party {i} role",
            )


class _AgreementScopedForm(forms.Form):
    """A form whose choices depend on the agreement; they are set before the USWDS mixin
    (which validates bound forms while styling them) runs."""

    def __init__(self, *args: Any, agreement: Agreement, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope_to(agreement)

    def scope_to(self, agreement: Agreement) -> None:
        raise NotImplementedError


class AgreementForm(UswdsFormMixin, _PartyFieldsForm):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(
        choices=[("", "Choose a type"), *Agreement.Kind.choices],
        label="Type",
        error_messages={"required": "Choose the type of agreement."},
    )
    reference = forms.CharField(
        max_length=64, required=False, help_text="The parties' own number, if any."
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    effective_date = forms.DateField(required=False, widget=DateInput)
    expiry_date = forms.DateField(
        required=False, widget=DateInput, label="Last day in force", help_text="Empty: open-ended."
    )
    personnel_cap = forms.IntegerField(
        required=False, min_value=0, help_text="Most personnel who may act under it."
    )
    grant_clause = forms.CharField(
        max_length=120,
        initial="Agreement",
        label="Section that lists what it authorizes",
        help_text="For example Art. III. Coverage answers cite it.",
    )
    activities = _checkboxes(selectors.activities(active_only=True), "Authorized activities")
    data_categories = _checkboxes(
        selectors.data_categories(active_only=True), "Authorized data categories"
    )
    purposes = _checkboxes(selectors.purposes(active_only=True), "Authorized purposes")
    authorities = forms.ModelMultipleChoiceField(
        queryset=selectors.legal_authorities(),
        required=False,
        label="Legal authorities it rests on",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    complaint_procedure = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    termination_terms = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    termination_notice_days = forms.IntegerField(min_value=0, initial=0, label="Notice days")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def party_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"party_{i}_agency"], self[f"party_{i}_role"]) for i in range(1, PARTY_SLOTS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, PARTY_SLOTS + 1):
            if data.get(f"party_{i}_agency") and not data.get(f"party_{i}_role"):
                self.add_error(f"party_{i}_role", "Choose the party's role.")
        return data

    def to_fields(self) -> AgreementFields:
        d = self.cleaned_data
        parties = [
            (d[f"party_{i}_agency"], d[f"party_{i}_role"])
            for i in range(1, PARTY_SLOTS + 1)
            if d.get(f"party_{i}_agency")
        ]
        return AgreementFields(
            title=d["title"],
            kind=d["kind"],
            reference=d["reference"],
            summary=d["summary"],
            effective_date=d["effective_date"],
            expiry_date=d["expiry_date"],
            personnel_cap=d["personnel_cap"],
            grant_clause=d["grant_clause"],
            complaint_procedure=d["complaint_procedure"],
            termination_terms=d["termination_terms"],
            termination_notice_days=d["termination_notice_days"] or 0,
            notes=d["notes"],
            parties=parties,
            activities=list(d["activities"]),
            data_categories=list(d["data_categories"]),
            purposes=list(d["purposes"]),
            authority_ids=[a.pk for a in d["authorities"]],
        )

    @classmethod
    def bound_to(cls, agreement: Agreement) -> AgreementForm:
        """The form filled with ``agreement`` as stored, validated, so a service's refusal about
        the draft can be shown on it."""
        form = cls(data=cls.initial_from(agreement))
        form.is_valid()
        return form

    @classmethod
    def initial_from(cls, agreement: Agreement) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(agreement, name)
            for name in (
                "title",
                "kind",
                "reference",
                "summary",
                "effective_date",
                "expiry_date",
                "personnel_cap",
                "grant_clause",
                "complaint_procedure",
                "termination_terms",
                "termination_notice_days",
                "notes",
            )
        }
        grants = list(agreement.grants.all())
        initial["activities"] = [g.activity_id for g in grants if g.activity_id]
        initial["data_categories"] = [g.data_category_id for g in grants if g.data_category_id]
        initial["purposes"] = [g.purpose_id for g in grants if g.purpose_id]
        initial["authorities"] = [a.pk for a in agreement.authorities.all()]
        for i, party in enumerate(agreement.parties.all()[:PARTY_SLOTS], start=1):
            initial[f"party_{i}_agency"] = party.agency_id
            initial[f"party_{i}_role"] = party.role
        return initial


class AgreementFilterForm(Filters):
    arguments = {"party": "party_id", "expiring_within": "expiring_within_days", "q": "search"}

    kind = forms.ChoiceField(choices=[("", "Any type"), *Agreement.Kind.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Agreement.Status.choices], required=False
    )
    party = forms.ModelChoiceField(queryset=agencies(), required=False, empty_label="Any party")
    expiring_within = forms.IntegerField(
        min_value=0, max_value=3650, required=False, label="Ending within (days)"
    )
    q = forms.CharField(required=False, label="Title or reference", max_length=100)
    stage = forms.ChoiceField(
        choices=[("", "Any"), *QUEUE_STAGES.items()],
        required=False,
        label="Waiting for",
        help_text="The queues on the home page.",
    )


class ReviewForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the text"), ("return", "Return to draft")],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when returning it: what must change.",
    )


def _versions_of(agreement: Agreement) -> Any:
    return agreement_document_versions(agreement=agreement)


def _version_label(version: DocumentVersion) -> str:
    """What tells two uploads apart: the title, version, upload date and file name."""
    return (
        f"{version.document.title} — version {version.version}, "
        f"uploaded {day_text(version.uploaded_at)}, {version.original_name}"
    )


def _document_label(document: AgreementDocument) -> str:
    """A document by its title and latest version (its date and file name)."""
    latest = document.latest_version
    if latest is None:
        return document.title
    return f"{document.title} — latest: {_version_label(latest).split(' — ', 1)[1]}"


class _VersionChoiceField(forms.ModelChoiceField[DocumentVersion]):
    def label_from_instance(self, obj: DocumentVersion) -> str:
        return _version_label(obj)


class _DocumentChoiceField(forms.ModelChoiceField[AgreementDocument]):
    def label_from_instance(self, obj: AgreementDocument) -> str:
        return _document_label(obj)


class SignatureForm(UswdsFormMixin, _AgreementScopedForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Signed for",
        help_text="Only parties that have not signed yet.",
    )
    name = forms.CharField(max_length=200, label="Signatory's name")
    title = forms.CharField(max_length=200, label="Signatory's title")
    signed_on = forms.DateField(widget=DateInput, label="Date signed")
    signed_copy = _VersionChoiceField(
        queryset=DocumentVersion.objects.none(),
        required=False,
        label="Signed document",
        empty_label="None (I work for the signing party)",
        help_text="Required to record another party's signature on its behalf: "
        "attach the signed copy under Documents first.",
    )

    def scope_to(self, agreement: Agreement) -> None:
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.unsigned_parties(agreement)
        copy = self.fields["signed_copy"]
        assert isinstance(copy, forms.ModelChoiceField)
        copy.queryset = _versions_of(agreement)


class ReasonForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TerminateForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notice_date = forms.DateField(
        widget=DateInput, required=False, label="Date written notice was given"
    )


class AmendmentForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    section = forms.CharField(
        max_length=120, required=False, help_text="Section that grants, e.g. § 2."
    )
    effective_date = forms.DateField(widget=DateInput)
    new_expiry_date = forms.DateField(widget=DateInput, required=False, label="New last day")
    new_personnel_cap = forms.IntegerField(min_value=0, required=False)
    add_activities = _checkboxes(selectors.activities(active_only=True), "Add activities")
    remove_activities = _checkboxes(selectors.activities(), "Remove activities")
    add_data_categories = _checkboxes(
        selectors.data_categories(active_only=True), "Add data categories"
    )
    remove_data_categories = _checkboxes(selectors.data_categories(), "Remove data categories")
    add_purposes = _checkboxes(selectors.purposes(active_only=True), "Add purposes")
    remove_purposes = _checkboxes(selectors.purposes(), "Remove purposes")


class DocumentUploadForm(UswdsFormMixin, _AgreementScopedForm):
    document = _DocumentChoiceField(
        queryset=AgreementDocument.objects.none(),
        required=False,
        empty_label="A new document",
        label="New version of",
    )
    title = forms.CharField(max_length=200, required=False, help_text="For a new document.")
    file = forms.FileField(label="PDF file", help_text="PDF only, at most 20 MB.")

    def scope_to(self, agreement: Agreement) -> None:
        field = self.fields["document"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agreement.documents.prefetch_related("versions")
        self.fields["file"].widget.attrs["accept"] = "application/pdf"


class NominationForm(UswdsFormMixin, _AgreementScopedForm):
    person = PersonChoiceField(queryset=Person.objects.none())
    function = forms.CharField(max_length=120, label="Role or function")
    nominated_on = forms.DateField(widget=DateInput)

    def scope_to(self, agreement: Agreement) -> None:
        """Offer current personnel of the parties whom the user may see."""
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = person_list_for_user(user=self.user).filter(
            agency__agreement_parties__agreement=agreement, active_until__isnull=True
        )


class TrainingRequirementForm(UswdsFormMixin, forms.Form):
    function = forms.CharField(max_length=120, label="Role or function")
    course_name = forms.CharField(max_length=200)
    hours = forms.DecimalField(max_digits=6, decimal_places=1, min_value=0)
    renewal_months = forms.IntegerField(
        min_value=1, required=False, help_text="Empty: completed once."
    )


class ReportingObligationForm(UswdsFormMixin, forms.Form):
    description = forms.CharField(max_length=300, label="What must be reported")
    frequency = forms.ChoiceField(choices=ReportingObligation.Frequency.choices)
    recipient = forms.ModelChoiceField(queryset=agencies(), label="To")
    first_due_on = forms.DateField(widget=DateInput, label="First due date")


class CoverageForm(UswdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=agencies())
    with_agency = forms.ModelChoiceField(
        queryset=agencies(),
        required=False,
        label="Together with (optional)",
        empty_label="Any other party",
    )
    activity = forms.ModelChoiceField(queryset=selectors.activities(), required=False)
    data_category = forms.ModelChoiceField(queryset=selectors.data_categories(), required=False)
    purpose = forms.ModelChoiceField(queryset=selectors.purposes(), required=False)
    on = forms.DateField(widget=DateInput, label="On date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("activity", "data_category", "purpose")):
            raise forms.ValidationError("Choose an activity, a data category or a purpose.")
        return data


class AuthorityForm(UswdsFormMixin, forms.Form):
    citation = forms.CharField(max_length=200)
    title = forms.CharField(max_length=300)
    jurisdiction_code = forms.ChoiceField(
        choices=LegalAuthority.JurisdictionCode.choices, label="Law of"
    )
    jurisdiction = forms.ModelChoiceField(
        queryset=jurisdictions(),
        required=False,
        label="Issuing county or city",
        help_text="For ordinances and local policies.",
    )
    kind = forms.ChoiceField(choices=LegalAuthority.Kind.choices)
    effective_date = forms.DateField(widget=DateInput, required=False)
    repealed_on = forms.DateField(
        widget=DateInput, required=False, label="Repealed or overruled on"
    )
    source_url = forms.URLField(
        required=False, max_length=500, label="Official text (link)", assume_scheme="https"
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    verify_with_counsel = forms.BooleanField(required=False, label="Verify with counsel")

    def to_fields(self) -> AuthorityFields:
        return AuthorityFields(**self.cleaned_data)


class AuthorityFilterForm(Filters):
    arguments = {"flag": "verify_with_counsel", "q": "search"}

    jurisdiction = forms.ChoiceField(
        choices=[("", "Any"), *LegalAuthority.JurisdictionCode.choices], required=False
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *LegalAuthority.Kind.choices], required=False
    )
    flag = yes_no_filter(
        "Counsel flag", yes="Verify with counsel", no="Not flagged", anything="Any"
    )
    q = forms.CharField(required=False, max_length=100, label="Search")
