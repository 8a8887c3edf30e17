"""Training: the course catalog, requirements, completions, overrides, evaluations, imports."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from liaison.core.models import TimeStampedModel
from liaison.core.validation import on_field
from liaison.core.validators import validate_name

MAX_VALIDITY_MONTHS = 240
MAX_HOURS = 10_000


class Course(TimeStampedModel):
    """A course of the catalog, offered by a provider (ICE/FLETC, the state POST board, …)."""

    class Modality(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        ONLINE = "online", "Online"
        EXERCISE = "exercise", "Exercise"

    code = models.CharField(
        max_length=40, unique=True, help_text="Stable short code, e.g. ICE-287G-TFO."
    )
    title = models.CharField(
        max_length=200, validators=[validate_name], help_text="Title of the course."
    )
    provider = models.CharField(
        max_length=200, blank=True, help_text="Who gives it, e.g. ICE/FLETC or the POST board."
    )
    hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
        help_text="Length of the course in hours.",
    )
    modality = models.CharField(
        max_length=16,
        choices=Modality.choices,
        default=Modality.CLASSROOM,
        help_text="Classroom, online or exercise.",
    )
    topics = models.CharField(
        max_length=300, blank=True, help_text="Topics covered, separated by commas."
    )
    validity_months = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_VALIDITY_MONTHS)],
        help_text="Months a completion stays current; empty: it never expires.",
    )
    is_certification = models.BooleanField(
        default=False, help_text="True when completing it certifies the person."
    )
    certifying_body = models.CharField(
        max_length=200, blank=True, help_text="Body that certifies, for a certification."
    )
    passing_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Lowest passing score (0–100); empty: no score needed.",
    )
    attribute = models.CharField(
        max_length=64,
        blank=True,
        help_text=(
            "GFIPM/NIEF user attribute a current verified completion sets to true, "
            "e.g. 28CFRCertificationIndicator."
        ),
    )
    to_review = models.BooleanField(
        default=False,
        help_text="Made from an agreement's free-text course name; check its details.",
    )
    active = models.BooleanField(default=True, help_text="False when no longer offered.")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    def clean(self) -> None:
        if self.is_certification and not self.certifying_body:
            raise ValidationError({"certifying_body": "A certification names its certifying body."})


class Requirement(TimeStampedModel):
    """A course people must have current to act in a role, on a task force or under an
    agreement (of a type, or one agreement), from its effective date."""

    class Scope(models.TextChoices):
        ROLE = "role", "Role"
        TASK_FORCE = "task_force", "Task force"
        AGREEMENT_KIND = "agreement_kind", "Agreement type"
        AGREEMENT = "agreement", "Agreement"

    class Basis(models.TextChoices):
        STATUTORY = "statutory", "Statutory (no override)"
        CONTRACTUAL = "contractual", "Contractual (no override)"
        POLICY = "policy", "Agency policy (a supervisor may override)"

    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="requirements",
        help_text="Course that must be current.",
    )
    scope = models.CharField(
        max_length=16, choices=Scope.choices, help_text="What the requirement is attached to."
    )
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text=(
            "Role or function it applies to (any case); required for a role requirement, "
            "empty elsewhere: everyone."
        ),
    )
    task_force = models.ForeignKey(
        "directory.TaskForce",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_requirements",
        help_text="Task force whose members need it (task-force requirements).",
    )
    agreement_kind = models.CharField(
        max_length=32,
        blank=True,
        help_text="Agreement type whose nominees need it (agreement-type requirements).",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_requirements",
        help_text="Agreement whose nominees need it (agreement requirements).",
    )
    basis = models.CharField(
        max_length=16,
        choices=Basis.choices,
        help_text="Statutory or contractual ones cannot be overridden; agency policy can.",
    )
    renewal_months = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_VALIDITY_MONTHS)],
        help_text="Months a completion counts for this requirement; empty: the course's validity.",
    )
    effective_from = models.DateField(help_text="First day the requirement applies.")
    effective_until = models.DateField(
        null=True, blank=True, help_text="Last day it applies; empty while in force."
    )
    citation = models.CharField(
        max_length=200, blank=True, help_text="Where it comes from, e.g. agreement § 6."
    )

    class Meta:
        ordering = ["scope", "course__code", "pk"]
        constraints = [
            on_field(
                "effective_until",
                models.CheckConstraint(
                    condition=models.Q(effective_until__isnull=True)
                    | models.Q(effective_until__gte=models.F("effective_from")),
                    name="training_requirement_until_after_from",
                    violation_error_message="The last day cannot be before the first day.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.code} for {self.applies_to}"

    def get_absolute_url(self) -> str:
        return reverse("training:requirement_detail", args=[self.pk])

    @property
    def overridable(self) -> bool:
        return self.basis == self.Basis.POLICY

    @property
    def applies_to(self) -> str:
        role = f" ({self.role})" if self.role and self.scope != self.Scope.ROLE else ""
        if self.scope == self.Scope.ROLE:
            return f"role {self.role}"
        if self.scope == self.Scope.TASK_FORCE:
            return f"task force {self.task_force}{role}"
        if self.scope == self.Scope.AGREEMENT_KIND:
            return f"agreements of type {self.agreement_kind}{role}"
        return f"agreement #{self.agreement_id}{role}"

    def in_effect(self, on: date) -> bool:
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    def clean(self) -> None:
        needs = {
            self.Scope.ROLE: ("role", bool(self.role), "Name the role."),
            self.Scope.TASK_FORCE: ("task_force", self.task_force_id is not None, "Choose one."),
            self.Scope.AGREEMENT_KIND: ("agreement_kind", bool(self.agreement_kind), "Choose one."),
            self.Scope.AGREEMENT: ("agreement", self.agreement_id is not None, "Choose one."),
        }
        if self.scope in needs:
            name, present, message = needs[self.Scope(self.scope)]
            if not present:
                raise ValidationError({name: message})
        extra = {
            "task_force": self.scope != self.Scope.TASK_FORCE and self.task_force_id is not None,
            "agreement": self.scope != self.Scope.AGREEMENT and self.agreement_id is not None,
            "agreement_kind": self.scope != self.Scope.AGREEMENT_KIND and bool(self.agreement_kind),
        }
        wrong = {k: "Only for that kind of requirement." for k, v in extra.items() if v}
        if wrong:
            raise ValidationError(wrong)


class Completion(TimeStampedModel):
    """A person's completion of a course. It counts once a supervisor verified it."""

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered"
        IMPORTED = "imported", "Imported"

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="training_completions",
        help_text="Person who completed the course.",
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="completions",
        help_text="Course completed.",
    )
    completed_on = models.DateField(help_text="Day the course was completed.")
    hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
        help_text="Hours attended.",
    )
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Score (0–100), when the course is scored.",
    )
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="Last day it is current, from the course's validity; empty: never expires.",
    )
    certificate = models.FileField(
        upload_to="training/certificates/%Y/",
        blank=True,
        help_text="Scanned certificate, if any.",
    )
    source = models.CharField(
        max_length=16,
        choices=Source.choices,
        default=Source.ENTERED,
        help_text="Entered by hand or imported from a file.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who recorded it; empty for a system import.",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Supervisor who verified it; unverified completions do not count.",
    )
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was verified (UTC)."
    )

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            on_field(
                "completed_on",
                models.UniqueConstraint(
                    fields=["person", "course", "completed_on"],
                    name="training_completion_unique",
                    violation_error_message=(
                        "The person has a completion of this course on this day already."
                    ),
                ),
            )
        ]
        indexes = [models.Index(fields=["course", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.course.code} on {self.completed_on}"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def passed(self) -> bool:
        """Whether the score (if the course has a passing score) reaches it."""
        passing = self.course.passing_score
        return passing is None or (self.score is not None and self.score >= passing)


class Override(TimeStampedModel):
    """A supervisor's override of an agency-policy requirement for one person, with a reason."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="training_overrides",
        help_text="Person the override is for.",
    )
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.PROTECT,
        related_name="overrides",
        help_text="Agency-policy requirement overridden.",
    )
    reason = models.TextField(help_text="Why the person may act without it, as stated.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Supervisor who granted it.",
    )
    granted_on = models.DateField(help_text="Day it was granted.")
    valid_until = models.DateField(
        null=True, blank=True, help_text="Last day it holds; empty: until revoked."
    )

    class Meta:
        ordering = ["-granted_on", "pk"]

    def __str__(self) -> str:
        return f"Override of {self.requirement}"

    def holds(self, on: date) -> bool:
        return self.granted_on <= on and (self.valid_until is None or on <= self.valid_until)


class Evaluation(TimeStampedModel):
    """An attendee's evaluation of a course they completed."""

    completion = models.OneToOneField(
        Completion,
        on_delete=models.CASCADE,
        related_name="evaluation",
        help_text="Completion evaluated.",
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Overall rating, 1 (poor) to 5 (excellent).",
    )
    comments = models.TextField(blank=True, help_text="What worked, and what did not.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who submitted it.",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class CompletionImport(TimeStampedModel):
    """An uploaded CSV of completions: previewed first, then committed (valid rows) once."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Being checked"
        PREVIEWED = "previewed", "Checked, waiting for confirmation"
        COMMITTED = "committed", "Imported"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who uploaded the file.",
    )
    file_name = models.CharField(max_length=255, help_text="Name of the file as uploaded.")
    content = models.TextField(help_text="The CSV text, kept until it is committed.")
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.PREVIEWED,
        help_text="Being checked, checked (waiting for confirmation), or imported.",
    )
    total_rows = models.PositiveIntegerField(default=0, help_text="Data rows in the file.")
    processed_rows = models.PositiveIntegerField(
        default=0, help_text="Rows checked so far (progress of a large file)."
    )
    valid_rows = models.PositiveIntegerField(default=0, help_text="Rows that can be imported.")
    imported_rows = models.PositiveIntegerField(default=0, help_text="Rows imported on commit.")
    rejected = models.TextField(
        blank=True, help_text="CSV of the rejected rows with their errors, after commit."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("training:import_detail", args=[self.pk])
