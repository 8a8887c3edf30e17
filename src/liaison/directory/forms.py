"""Staff forms of the directory. They parse and validate input only; services write.

Choice lists offer only what the user may use (agencies they may act for, records
they may see); the services check again, so a forged choice is still refused.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import QuerySet

from liaison.core.filters import Filters, yes_no_filter
from liaison.core.forms import UswdsFormMixin
from liaison.directory.models import (
    Agency,
    Contact,
    Jurisdiction,
    LiaisonDesignation,
    Person,
    TaskForce,
    TaskForceAssignment,
    TaskForceMembership,
)
from liaison.directory.selectors import (
    agencies,
    agency_choices_for_user,
    jurisdictions,
    person_list_for_user,
    task_force_list_for_user,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


Fields = dict[str, forms.Field]


def _queryset(fields: Fields, name: str, queryset: QuerySet[Any]) -> None:
    field = fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class _Form(UswdsFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form bound to the user it is shown to.

    Subclasses narrow their fields in :meth:`restrict`, which runs before the form
    is built (and so before anything validates against the unrestricted choices).
    """

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        fields = copy.deepcopy(type(self).base_fields)
        self.restrict(fields, user=user, editing=kwargs.get("instance") is not None)
        # Per-instance fields: Django builds self.fields from base_fields, looked up on self.
        self.base_fields = fields  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        """Remove or narrow fields for ``user``; ``editing`` is False on a create form."""

    def changes(self) -> dict[str, Any]:
        """The fields the user changed, for an update service."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class JurisdictionForm(_Form):
    class Meta:
        model = Jurisdiction
        fields = ["name", "kind", "state", "fips", "parent"]


class AgencyForm(_Form):
    website = forms.URLField(
        required=False, assume_scheme="https", help_text=Agency._meta.get_field("website").help_text
    )

    class Meta:
        model = Agency
        fields = [
            "name",
            "abbreviation",
            "level",
            "jurisdiction",
            "parent",
            "ori",
            "website",
            "phone",
            "active",
        ]

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        if not editing:
            del fields["active"]


class TaskForceForm(_Form):
    class Meta:
        model = TaskForce
        fields = ["name", "lead_agency", "purpose", "area", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        _queryset(
            fields,
            "lead_agency",
            agency_choices_for_user(user=user, action="directory.task_force.create"),
        )


class MembershipForm(_Form):
    class Meta:
        model = TaskForceMembership
        fields = ["agency", "joined_on", "left_on"]
        widgets = {"joined_on": DATE, "left_on": DATE}

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        if editing:
            del fields["agency"]
        else:
            _queryset(fields, "agency", agencies(active_only=True))


class PersonChoiceField(forms.ModelChoiceField[Person]):
    """A person picker that shows what tells two people of one name apart."""

    def label_from_instance(self, obj: Person) -> str:
        return obj.picker_label


class PersonForm(_Form):
    confirm_different_person = forms.BooleanField(
        required=False,
        label="This is a different person",
        help_text="Tick only if the directory warned of someone alike and this is not them.",
    )

    class Meta:
        model = Person
        fields = [
            "agency",
            "given_name",
            "family_name",
            "title",
            "rank",
            "badge_number",
            "email",
            "phone",
            "active_from",
            "active_until",
        ]
        widgets = {"active_from": DATE, "active_until": DATE}

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        _queryset(
            fields, "agency", agency_choices_for_user(user=user, action="directory.person.create")
        )
        if editing:
            del fields["confirm_different_person"]


class AssignmentForm(_Form):
    class Meta:
        model = TaskForceAssignment
        fields = ["person", "task_force", "role", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}
        field_classes = {"person": PersonChoiceField}

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        if editing:
            del fields["person"], fields["task_force"]
            return
        # A person stands to the user as their employer does.
        own = agency_choices_for_user(user=user, action="directory.task_force_assignment.create")
        people = person_list_for_user(user=user, active=True).filter(agency__in=own)
        _queryset(fields, "person", people)
        _queryset(fields, "task_force", task_force_list_for_user(user=user, active=True))


class DesignationForm(_Form):
    class Meta:
        model = LiaisonDesignation
        fields = ["person", "from_agency", "to_agency", "start_date", "end_date", "notes"]
        widgets = {"start_date": DATE, "end_date": DATE}
        field_classes = {"person": PersonChoiceField}

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        _queryset(fields, "to_agency", agencies(active_only=True))
        if editing:
            del fields["person"], fields["from_agency"]
            return
        own = agency_choices_for_user(user=user, action="directory.liaison_designation.create")
        _queryset(fields, "from_agency", own)
        _queryset(
            fields, "person", person_list_for_user(user=user, active=True).filter(agency__in=own)
        )


class ContactForm(_Form):
    class Meta:
        model = Contact
        fields = ["agency", "owner_agency", "name", "purpose", "email", "phone", "hours", "active"]

    def restrict(self, fields: Fields, *, user: Any, editing: bool) -> None:
        _queryset(fields, "agency", agencies(active_only=True))
        if editing:
            del fields["owner_agency"]
        else:
            del fields["active"]
            _queryset(
                fields,
                "owner_agency",
                agency_choices_for_user(user=user, action="directory.contact.create"),
            )


# Filters of the list pages (see liaison.core.filters).

ACTIVE = {"yes": "Active", "no": "Ended or inactive"}


class DirectoryFilters(Filters):
    q = forms.CharField(label="Search", required=False, max_length=100)


class JurisdictionFilter(DirectoryFilters):
    kind = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All"), *Jurisdiction.Kind.choices]
    )


class AgencyFilter(DirectoryFilters):
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All"), *Agency.Level.choices]
    )
    jurisdiction = forms.ModelChoiceField(
        queryset=jurisdictions(by_name=True), required=False, empty_label="All"
    )
    active = yes_no_filter("Status", **ACTIVE)


class AgencyActiveFilter(DirectoryFilters):
    agency = forms.ModelChoiceField(queryset=agencies(), required=False, empty_label="All")
    active = yes_no_filter("Status", **ACTIVE)
