"""Staff forms of the directory. They parse and validate input only; services write.

Choice lists offer only what the user may use (agencies they may act for, records
they may see); the services check again, so a forged choice is still refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from liaison.core.forms import UswdsFormMixin
from liaison.directory import scope
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
from liaison.directory.selectors import person_list_for_user, task_force_list_for_user

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def editable_agencies(user: Any, *, personnel: bool = False) -> QuerySet[Agency]:
    """Agencies on whose behalf ``user`` may create records (all of them for an admin)."""
    agencies = Agency.objects.select_related("jurisdiction").order_by("name")
    if scope.can_manage_reference_data(user):
        return agencies
    if not scope.can_create_owned(user, personnel=personnel):
        return agencies.none()
    return agencies.filter(pk__in=sorted(scope.own_agency_ids(user)))


class _Form(UswdsFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form bound to the user it is shown to."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE
                field.widget.attrs["class"] = "usa-input"

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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk is None:
            del self.fields["active"]


class TaskForceForm(_Form):
    class Meta:
        model = TaskForce
        fields = ["name", "lead_agency", "purpose", "area", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["lead_agency"].queryset = editable_agencies(user)  # type: ignore[attr-defined]


class MembershipForm(_Form):
    class Meta:
        model = TaskForceMembership
        fields = ["agency", "joined_on", "left_on"]
        widgets = {"joined_on": DATE, "left_on": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk is not None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.filter(active=True)  # type: ignore[attr-defined]


class PersonForm(_Form):
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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["agency"].queryset = editable_agencies(user, personnel=True)  # type: ignore[attr-defined]


class AssignmentForm(_Form):
    class Meta:
        model = TaskForceAssignment
        fields = ["person", "task_force", "role", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk is not None:
            del self.fields["person"]
            del self.fields["task_force"]
            return
        own = editable_agencies(user, personnel=True)
        self.fields["person"].queryset = person_list_for_user(  # type: ignore[attr-defined]
            user=user, active=True
        ).filter(agency__in=own)
        self.fields["task_force"].queryset = task_force_list_for_user(user=user, active=True)  # type: ignore[attr-defined]


class DesignationForm(_Form):
    class Meta:
        model = LiaisonDesignation
        fields = ["person", "from_agency", "to_agency", "start_date", "end_date", "notes"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["to_agency"].queryset = Agency.objects.filter(active=True)  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            del self.fields["person"]
            del self.fields["from_agency"]
            return
        own = editable_agencies(user)
        self.fields["from_agency"].queryset = own  # type: ignore[attr-defined]
        self.fields["person"].queryset = person_list_for_user(  # type: ignore[attr-defined]
            user=user, active=True
        ).filter(agency__in=own)


class ContactForm(_Form):
    class Meta:
        model = Contact
        fields = ["agency", "owner_agency", "name", "purpose", "email", "phone", "hours", "active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(active=True)  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            del self.fields["owner_agency"]
        else:
            del self.fields["active"]
            self.fields["owner_agency"].queryset = editable_agencies(user)  # type: ignore[attr-defined]


# Filters of the list pages (GET forms).

ACTIVE_CHOICES = [("", "All"), ("yes", "Active"), ("no", "Ended or inactive")]


class FilterForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)

    def values(self) -> dict[str, Any]:
        """Cleaned filters for a selector: empty ones left out, ``active`` as a bool."""
        if not self.is_valid():
            return {}
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if name == "active":
                out[name] = value == "yes"
            elif isinstance(value, Agency | Jurisdiction):
                out[name] = value.pk
            else:
                out[name] = value
        return out


class JurisdictionFilter(FilterForm):
    kind = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All"), *Jurisdiction.Kind.choices]
    )


class AgencyFilter(FilterForm):
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All"), *Agency.Level.choices]
    )
    jurisdiction = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.order_by("name"), required=False, empty_label="All"
    )
    active = forms.ChoiceField(label="Status", required=False, choices=ACTIVE_CHOICES)


class AgencyActiveFilter(FilterForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"), required=False, empty_label="All"
    )
    active = forms.ChoiceField(label="Status", required=False, choices=ACTIVE_CHOICES)
