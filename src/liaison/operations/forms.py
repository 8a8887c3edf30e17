"""Staff forms for operations: input parsing only, no rules."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from liaison.agreements import selectors as agreement_selectors
from liaison.agreements.models import Agreement
from liaison.core.filters import Filters
from liaison.core.forms import UswdsFormMixin
from liaison.directory import scope
from liaison.directory.models import Agency, Person
from liaison.directory.selectors import agencies
from liaison.operations import aar
from liaison.operations.models import AfterActionReview, Operation, Outcome, Subject
from liaison.operations.plans import PLAN_FORMAT

FOLLOW_UP_SLOTS = 3


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return super().format_value(value)


class OperationFilters(Filters):
    q = forms.CharField(label="Name contains", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Operation.Status.choices]
    )
    lead_agency = forms.ModelChoiceField(label="Lead agency", required=False, queryset=agencies())
    starts_from = forms.DateField(label="Starting on or after", required=False, widget=DateInput)
    arguments = {"lead_agency": "lead_agency_id"}


class PlanForm(UswdsFormMixin, forms.Form):
    """A plan: what, who leads, when, where (coordinates) and whom, in the plan/1 format."""

    name = forms.CharField(max_length=200)
    lead_agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    window_start = forms.DateTimeField(label="Starts", widget=DateTimeInput)
    window_end = forms.DateTimeField(label="Ends", widget=DateTimeInput)
    objectives = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    activities = forms.ModelMultipleChoiceField(
        queryset=agreement_selectors.activities(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What the operation involves; legal review checks each is covered.",
    )
    agreements = forms.ModelMultipleChoiceField(
        queryset=Agreement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Covering agreements",
    )
    lat = forms.FloatField(
        label="Latitude", min_value=-90, max_value=90, help_text="WGS 84 degrees, e.g. 44.9537."
    )
    lon = forms.FloatField(
        label="Longitude",
        min_value=-180,
        max_value=180,
        help_text="WGS 84 degrees, e.g. -93.0900. Choosing a point on the map fills both.",
    )
    radius_m = forms.FloatField(label="Radius (metres)", min_value=0, initial=250)
    more_locations = forms.CharField(
        label="More places",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line: latitude, longitude, radius in metres.",
    )
    subjects = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line: kind (person, plate, address or phone), a colon, the value "
        "(a person as name and date of birth). Stored encrypted; compared only by keyed hash.",
    )
    contact_phone = forms.CharField(max_length=32, required=False, label="Point of contact's phone")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = sorted(scope.own_agency_ids(user))
        lead: Any = self.fields["lead_agency"]
        lead.queryset = agencies(ids=own)
        agreements: Any = self.fields["agreements"]
        agreements.queryset = (
            agreement_selectors.agreement_list_for_user(user=user)
            .filter(parties__agency_id__in=own)
            .distinct()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", "The operation cannot end before it starts.")
        for n, line in enumerate((data.get("more_locations") or "").splitlines(), 1):
            if line.strip() and len(line.split(",")) != 3:
                self.add_error("more_locations", f"Line {n}: give latitude, longitude, radius.")
        kinds = set(Subject.Kind.values)
        for n, line in enumerate((data.get("subjects") or "").splitlines(), 1):
            kind = line.split(":", 1)[0].strip().lower()
            if line.strip() and (":" not in line or kind not in kinds):
                self.add_error(
                    "subjects", f"Line {n}: start with one of {', '.join(sorted(kinds))}."
                )
        return data

    def plan(self) -> dict[str, Any]:
        """The plan in the ``liaison.operations.plan/1`` format."""
        d = self.cleaned_data
        locations: list[dict[str, Any]] = [
            {"lat": d["lat"], "lon": d["lon"], "radius_m": d["radius_m"]}
        ]
        for line in (d.get("more_locations") or "").splitlines():
            if line.strip():
                lat, lon, radius = (part.strip() for part in line.split(","))
                locations.append(
                    {"lat": _number(lat), "lon": _number(lon), "radius_m": _number(radius)}
                )
        subjects = [
            {"kind": line.split(":", 1)[0].strip().lower(), "value": line.split(":", 1)[1].strip()}
            for line in (d.get("subjects") or "").splitlines()
            if line.strip()
        ]
        return {
            "format": PLAN_FORMAT,
            "name": d["name"],
            "lead_agency": d["lead_agency"].name,
            "status": "planned",
            "window": {
                "start": d["window_start"].isoformat(),
                "end": d["window_end"].isoformat(),
            },
            "locations": locations,
            "subjects": subjects,
        }


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text  # the plan's validation names the line


class ParticipantForm(UswdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=agencies(active_only=True))
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="Leave empty to list the agency without names.",
    )
    role = forms.CharField(max_length=120, required=False, help_text="e.g. Task Force Officer.")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["person"]
        person.queryset = people


class ReasonForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args: Any, required: bool = True, label: str = "Reason", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].label = label


class LogForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    occurred_at = forms.DateTimeField(
        label="When", required=False, widget=DateTimeInput, help_text="Empty: now."
    )


class AfterActionForm(UswdsFormMixin, forms.Form):
    objectives_met = forms.ChoiceField(
        label="Objectives", choices=AfterActionReview.Objectives.choices, widget=forms.RadioSelect
    )
    objectives_assessment = forms.CharField(
        label="Objectives against outcomes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    arrest_category = forms.CharField(
        label="Charge category of the arrests", required=False, max_length=120
    )
    went_well = forms.CharField(
        label="What went well", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_change = forms.CharField(
        label="What to change", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: list[Agency], owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        for value, label in Outcome.Kind.choices:
            self.fields[f"count_{value}"] = forms.IntegerField(
                label=str(label), min_value=0, initial=0, required=False
            )
            self.fields[f"reference_{value}"] = forms.CharField(
                label=f"{label}: incident or complaint reference",
                required=False,
                max_length=120,
            )
        for agency in agencies:
            self.fields[f"hours_{agency.pk}"] = forms.DecimalField(
                label=f"{agency.name}: hours", min_value=0, required=False, decimal_places=1
            )
            self.fields[f"cost_{agency.pk}"] = forms.DecimalField(
                label=f"{agency.name}: cost (US$)", min_value=0, required=False, decimal_places=2
            )
        for n in range(1, FOLLOW_UP_SLOTS + 1):
            self.fields[f"follow_up_{n}_action"] = forms.CharField(
                label=f"Follow-up {n}", required=False, max_length=300
            )
            self.fields[f"follow_up_{n}_owner"] = forms.ModelChoiceField(
                label=f"Follow-up {n}: owner", queryset=owners, required=False
            )
            self.fields[f"follow_up_{n}_due"] = forms.DateField(
                label=f"Follow-up {n}: due", required=False, widget=DateInput
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, FOLLOW_UP_SLOTS + 1):
            parts = [data.get(f"follow_up_{n}_{p}") for p in ("action", "owner", "due")]
            if any(parts) and not all(parts):
                self.add_error(
                    f"follow_up_{n}_action", "Give the action, its owner and its due date."
                )
        return data

    def fields_for_service(self) -> aar.ReviewFields:
        d = self.cleaned_data
        outcomes = [
            aar.OutcomeFields(
                kind=value,
                count=int(d.get(f"count_{value}") or 0),
                category=d.get("arrest_category", "") if value == Outcome.Kind.ARREST else "",
                reference=d.get(f"reference_{value}") or None,
            )
            for value in Outcome.Kind.values
            if d.get(f"count_{value}")
        ]
        costs = [
            aar.CostFields(
                agency=agency,
                hours=d.get(f"hours_{agency.pk}") or Decimal(0),
                cost=d.get(f"cost_{agency.pk}") or Decimal(0),
            )
            for agency in self.agencies
            if d.get(f"hours_{agency.pk}") or d.get(f"cost_{agency.pk}")
        ]
        follow_ups = [
            aar.FollowUpFields(
                action=d[f"follow_up_{n}_action"],
                owner_id=d[f"follow_up_{n}_owner"].pk,
                due_on=d[f"follow_up_{n}_due"],
            )
            for n in range(1, FOLLOW_UP_SLOTS + 1)
            if d.get(f"follow_up_{n}_action")
        ]
        return aar.ReviewFields(
            objectives_met=d["objectives_met"],
            objectives_assessment=d.get("objectives_assessment", ""),
            went_well=d.get("went_well", ""),
            to_change=d.get("to_change", ""),
            outcomes=outcomes,
            costs=costs,
            follow_ups=follow_ups,
        )
