"""Staff forms of the training pages; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.agreements.models import Agreement
from liaison.agreements.selectors import agreement_list_for_user
from liaison.core.filters import Filters, yes_no_filter
from liaison.core.forms import UswdsFormMixin
from liaison.directory.models import TaskForce
from liaison.directory.selectors import task_force_list_for_user
from liaison.training.models import MAX_HOURS, MAX_VALIDITY_MONTHS, Course, Requirement
from liaison.training.selectors import courses

DATE = forms.DateInput(attrs={"type": "date"})


class CompletionForm(UswdsFormMixin, forms.Form):
    course = forms.ModelChoiceField(queryset=courses(active_only=True), label="Course")
    completed_on = forms.DateField(label="Completed on", widget=DATE)
    hours = forms.DecimalField(
        label="Hours attended",
        required=False,
        min_value=0,
        max_value=MAX_HOURS,
        decimal_places=1,
        help_text="Empty: the course's length.",
    )
    score = forms.IntegerField(label="Score (0–100)", required=False, min_value=0, max_value=100)
    certificate = forms.FileField(label="Certificate (optional)", required=False)

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if course is not None:
            self.fields["course"].initial = course.pk


class OverrideForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    valid_until = forms.DateField(
        label="Holds until (optional)",
        required=False,
        widget=DATE,
        help_text="Empty: until revoked.",
    )


class EvaluationForm(UswdsFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall rating",
        coerce=int,
        choices=[
            (n, f"{n} — {t}")
            for n, t in [(5, "Excellent"), (4, "Good"), (3, "Fair"), (2, "Poor"), (1, "Very poor")]
        ],
    )
    comments = forms.CharField(
        label="Comments (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ImportForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: person (badge number or e-mail), course (code), date (YYYY-MM-DD), hours, score.",
    )


class CourseForm(UswdsFormMixin, forms.Form):
    """A catalog course's details (``services.CourseFields``)."""

    code = forms.CharField(
        label="Code", max_length=40, help_text="Stable short code, e.g. ICE-287G-TFO."
    )
    title = forms.CharField(label="Title", max_length=200)
    provider = forms.CharField(
        label="Provider",
        required=False,
        max_length=200,
        help_text="E.g. ICE/FLETC, the POST board.",
    )
    hours = forms.DecimalField(label="Hours", min_value=0, max_value=MAX_HOURS, decimal_places=1)
    modality = forms.ChoiceField(label="Modality", choices=Course.Modality.choices)
    topics = forms.CharField(
        label="Topics", required=False, max_length=300, help_text="Separated by commas."
    )
    validity_months = forms.IntegerField(
        label="Valid for (months)",
        required=False,
        min_value=1,
        max_value=MAX_VALIDITY_MONTHS,
        help_text="Empty: a completion never expires.",
    )
    is_certification = forms.BooleanField(
        label="Completing it certifies the person", required=False
    )
    certifying_body = forms.CharField(
        label="Certifying body", required=False, max_length=200, help_text="For a certification."
    )
    passing_score = forms.IntegerField(
        label="Passing score (0–100)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Empty: no score needed.",
    )
    attribute = forms.CharField(
        label="GFIPM/NIEF attribute",
        required=False,
        max_length=64,
        help_text="Set to true while a completion is current, e.g. 28CFRCertificationIndicator.",
    )

    @classmethod
    def for_course(cls, data: Any, course: Course) -> CourseForm:
        return cls(data, initial={name: getattr(course, name) for name in cls.base_fields})

    def fields_value(self) -> Any:
        from liaison.training.services import CourseFields

        data = self.cleaned_data
        return CourseFields(**{name: data[name] for name in self.base_fields})


class RequirementForm(UswdsFormMixin, forms.Form):
    """A new requirement: the course, what it is attached to, its basis and dates."""

    course = forms.ModelChoiceField(queryset=courses(active_only=True), label="Course")
    scope_kind = forms.ChoiceField(
        label="Required for", choices=Requirement.Scope.choices, help_text="What it is attached to."
    )
    role = forms.CharField(
        label="Role or function",
        required=False,
        max_length=120,
        help_text="Required for a role requirement; elsewhere empty means everyone.",
    )
    task_force = forms.ModelChoiceField(
        queryset=TaskForce.objects.none(),
        required=False,
        label="Task force",
        help_text="For a task-force requirement.",
    )
    agreement_kind = forms.ChoiceField(
        label="Agreement type",
        required=False,
        choices=[("", "—"), *Agreement.Kind.choices],
        help_text="For an agreement-type requirement.",
    )
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        label="Agreement",
        help_text="For one agreement's requirement.",
    )
    basis = forms.ChoiceField(
        label="Basis",
        choices=Requirement.Basis.choices,
        help_text="Statutory or contractual: no override. Agency policy: a supervisor may override.",
    )
    effective_from = forms.DateField(label="In effect from", widget=DATE)
    effective_until = forms.DateField(
        label="Last day (optional)", required=False, widget=DATE, help_text="Empty: while in force."
    )
    renewal_months = forms.IntegerField(
        label="Renew every (months, optional)",
        required=False,
        min_value=1,
        max_value=MAX_VALIDITY_MONTHS,
        help_text="Shorter than the course's validity, when this requirement asks for it.",
    )
    citation = forms.CharField(
        label="Source (optional)", required=False, max_length=200, help_text="E.g. agreement § 6."
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user may see: the choices come through the access selectors.
        task_forces: Any = self.fields["task_force"]
        task_forces.queryset = task_force_list_for_user(user=user).order_by("name")
        agreements: Any = self.fields["agreement"]
        agreements.queryset = agreement_list_for_user(user=user).order_by("title")


class RequirementEndForm(UswdsFormMixin, forms.Form):
    effective_until = forms.DateField(
        label="Last day it applies", widget=DATE, help_text="It stays listed, as history."
    )


class CourseFilter(Filters):
    q = forms.CharField(label="Search", required=False, max_length=100)
    certification = yes_no_filter("Certification", yes="Certifications", no="Other courses")
    to_review = yes_no_filter("To review", yes="To review", no="Reviewed")
    active = yes_no_filter("Offered", yes="Offered", no="No longer offered")


class RequirementFilter(Filters):
    arguments = {"scope_kind": "scope"}
    scope_kind = forms.ChoiceField(
        label="Required for", required=False, choices=[("", "All"), *Requirement.Scope.choices]
    )
    basis = forms.ChoiceField(
        label="Basis", required=False, choices=[("", "All"), *Requirement.Basis.choices]
    )
    course = forms.ModelChoiceField(queryset=courses(), required=False, empty_label="All")
    in_effect = yes_no_filter("In effect", yes="In effect today", no="Not in effect today")
