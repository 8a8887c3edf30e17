"""Staff forms of the training pages; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms

from liaison.core.forms import UswdsFormMixin
from liaison.training.models import MAX_HOURS, Course

DATE = forms.DateInput(attrs={"type": "date"})


class CompletionForm(UswdsFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(active=True).order_by("code"), label="Course"
    )
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
