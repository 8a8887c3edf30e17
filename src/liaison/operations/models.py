"""Joint operations: the plan, its participants, places, subjects and resources, the
deconfliction index and the conflicts it finds.

A subject's identifier is never stored in clear: ``sealed`` holds it encrypted
(``liaison.core.identifiers.seal``) and ``hash`` the keyed hash of its normalized form,
the only thing deconfliction compares. :class:`OperationCell` is the index the check
reads (see ``operations/deconfliction.py`` and docs/operations.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from liaison.core.models import TimeStampedModel
from liaison.core.validation import on_field
from liaison.core.validators import validate_name

MAX_RADIUS_M = 100_000
MAX_HOURS = 1_000_000
MAX_VEHICLES = 10_000
MAX_FUNDING = 1_000_000_000


class Operation(TimeStampedModel):
    """A joint operation of one or more agencies, from its plan to its closing."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In legal review"
        APPROVED = "approved", "Approved"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(
        max_length=200, validators=[validate_name], help_text="Name of the operation."
    )
    lead_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="led_operations",
        help_text="Agency that leads the operation; owns this record.",
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text="Where it is in its lifecycle: planned, submitted, in legal review, "
        "approved, active, closed, or cancelled.",
    )
    window_start = models.DateTimeField(help_text="When the operation starts (UTC).")
    window_end = models.DateTimeField(help_text="When the operation ends (UTC).")
    objectives = models.TextField(blank=True, help_text="What the operation sets out to do.")
    agreements = models.ManyToManyField(
        "agreements.Agreement",
        blank=True,
        related_name="operations",
        help_text="Agreements that cover the operation's activities.",
    )
    activities = models.ManyToManyField(
        "agreements.Activity",
        blank=True,
        related_name="operations",
        help_text="Activities the operation involves (the agreements' taxonomy).",
    )
    point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="operations_as_contact",
        help_text="Whom other agencies call about a conflict with this operation.",
    )
    contact_phone = models.CharField(
        max_length=32,
        blank=True,
        help_text="Phone number to reach the point of contact about this operation.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who entered the plan; empty for imported data without an account.",
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the plan was first submitted."
    )

    class Meta:
        ordering = ["-window_start", "-id"]
        indexes = [
            models.Index(fields=["-window_start", "-id"], name="operation_list_order"),
            models.Index(fields=["lead_agency", "status"], name="operation_agency_status"),
            models.Index(fields=["status", "window_start"], name="operation_status_start"),
        ]
        constraints = [
            on_field(
                "window_end",
                models.CheckConstraint(
                    condition=models.Q(window_end__gte=models.F("window_start")),
                    name="operation_window_end_after_start",
                    violation_error_message="The operation cannot end before it starts.",
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participant(TimeStampedModel):
    """An agency, and optionally one of its people, taking part in an operation."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="participants",
        help_text="Operation taken part in.",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="operation_participations",
        help_text="Agency taking part.",
    )
    person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operation_participations",
        help_text="Person taking part; empty when the agency is listed without names.",
    )
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text="Role in the operation, e.g. entry team or surveillance.",
    )

    class Meta:
        ordering = ["operation", "agency__name", "pk"]
        constraints = [
            on_field(
                "person",
                models.UniqueConstraint(
                    fields=["operation", "person"],
                    condition=models.Q(person__isnull=False),
                    name="operation_participant_once",
                    violation_error_message="This person takes part in the operation already.",
                ),
            )
        ]

    def __str__(self) -> str:
        who = self.person or self.agency
        return f"{who} ({self.role})" if self.role else str(who)


class Location(models.Model):
    """A place of an operation: a point with a radius, or a polygon.

    The bounding box (radius included) is computed by the service and is what the
    deconfliction index is built from.
    """

    class Shape(models.TextChoices):
        CIRCLE = "circle", "Point with a radius"
        POLYGON = "polygon", "Polygon"

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="locations",
        help_text="Operation taking place here.",
    )
    shape = models.CharField(
        max_length=8,
        choices=Shape.choices,
        help_text="A point with a radius, or a polygon.",
    )
    label = models.CharField(
        max_length=200, blank=True, help_text="What the place is, e.g. staging area."
    )
    lat = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Latitude of the point (WGS 84 degrees); empty for a polygon.",
    )
    lon = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Longitude of the point (WGS 84 degrees); empty for a polygon.",
    )
    radius_m = models.FloatField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RADIUS_M)],
        help_text="Radius around the point, in metres (0 for the point itself).",
    )
    polygon = models.JSONField(
        null=True,
        blank=True,
        help_text="Polygon outline as [[lon, lat], ...] (WGS 84 degrees); empty for a point.",
    )
    county = models.CharField(
        max_length=120, blank=True, help_text="County the place lies in, from shipped boundaries."
    )
    city = models.CharField(
        max_length=120, blank=True, help_text="City the place lies in, from shipped boundaries."
    )
    min_lat = models.FloatField(help_text="Southern edge of the bounding box (degrees).")
    max_lat = models.FloatField(help_text="Northern edge of the bounding box (degrees).")
    min_lon = models.FloatField(help_text="Western edge of the bounding box (degrees).")
    max_lon = models.FloatField(help_text="Eastern edge of the bounding box (degrees).")

    class Meta:
        ordering = ["operation", "pk"]
        constraints = [
            on_field(
                "shape",
                models.CheckConstraint(
                    condition=(
                        models.Q(
                            shape="circle",
                            lat__isnull=False,
                            lon__isnull=False,
                            polygon__isnull=True,
                        )
                        | models.Q(
                            shape="polygon",
                            lat__isnull=True,
                            lon__isnull=True,
                            polygon__isnull=False,
                        )
                    ),
                    name="operation_location_one_shape",
                    violation_error_message=(
                        "A place is either a point with a radius or a polygon."
                    ),
                ),
            )
        ]

    def __str__(self) -> str:
        if self.label:
            return self.label
        if self.shape == self.Shape.CIRCLE:
            return f"{self.lat:.5f}, {self.lon:.5f} ± {self.radius_m:g} m"
        return f"polygon of {len(self.polygon or [])} points"


class Subject(models.Model):
    """A subject of an operation (a person, plate, address or phone number).

    Only the sealed identifier and its keyed hash are stored; deconfliction matches on
    the hash of the normalized value, never on the value.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Person (name and date of birth)"
        PLATE = "plate", "Vehicle plate"
        ADDRESS = "address", "Address"
        PHONE = "phone", "Phone number"

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="subjects",
        help_text="Operation the subject is of.",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, help_text="Kind of identifier.")
    sealed = models.TextField(
        help_text="The identifier, encrypted; read only by those who may see the operation."
    )
    hash = models.CharField(
        max_length=64,
        help_text="Keyed hash of the normalized identifier, the only thing compared.",
    )

    class Meta:
        ordering = ["operation", "kind", "pk"]
        indexes = [models.Index(fields=["kind", "hash"], name="operation_subject_hash")]
        constraints = [
            on_field(
                "kind",
                models.UniqueConstraint(
                    fields=["operation", "kind", "hash"],
                    name="operation_subject_once",
                    violation_error_message="The operation lists this subject already.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} subject"


def hours_field(help_text: str) -> models.DecimalField:  # type: ignore[type-arg]
    """Personnel hours, to a tenth, from 0 to ``MAX_HOURS``."""
    return models.DecimalField(
        max_digits=9,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
        help_text=help_text,
    )


def dollars_field(help_text: str) -> models.DecimalField:  # type: ignore[type-arg]
    """US dollars, to the cent, from 0 to ``MAX_FUNDING``."""
    return models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_FUNDING)],
        help_text=help_text,
    )


class Resource(TimeStampedModel):
    """What one agency puts into an operation."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="resources",
        help_text="Operation the resources are for.",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="operation_resources",
        help_text="Agency providing them.",
    )
    personnel_hours = hours_field("Personnel hours planned.")
    vehicles = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_VEHICLES)],
        help_text="Number of vehicles.",
    )
    equipment = models.TextField(blank=True, help_text="Equipment provided, in plain words.")
    funding = dollars_field("Funding provided, in US dollars.")

    class Meta:
        ordering = ["operation", "agency__name"]
        constraints = [
            on_field(
                "agency",
                models.UniqueConstraint(
                    fields=["operation", "agency"],
                    name="operation_resource_one_per_agency",
                    violation_error_message="This agency's resources are listed already.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} for {self.operation}"


class OperationCell(models.Model):
    """One row of the deconfliction index: a location's bounding box meets a grid cell.

    The grid is fixed (``deconfliction.CELL_DEGREES``); ``span`` is the class of the
    window's length, so the check can bound how early a row may start and still
    overlap. Each row carries its location's bounding box and, for a circle, the circle,
    so the check answers from the index alone except for polygons. Rows exist only while
    the operation is planned or active (closed and cancelled ones are dropped); the
    service keeps them in step with every edit.
    """

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="cells",
        help_text="Operation indexed.",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="cells",
        help_text="The operation's location whose bounding box meets the cell.",
    )
    cell = models.BigIntegerField(help_text="Grid cell number (row and column packed).")
    span = models.PositiveSmallIntegerField(
        help_text="Class of the window's length: at most 4^span hours."
    )
    window_start = models.DateTimeField(help_text="The operation's start, as stored on it.")
    window_end = models.DateTimeField(help_text="The operation's end, as stored on it.")
    min_lat = models.FloatField(help_text="The location's southern edge (degrees).")
    max_lat = models.FloatField(help_text="The location's northern edge (degrees).")
    min_lon = models.FloatField(help_text="The location's western edge (degrees).")
    max_lon = models.FloatField(help_text="The location's eastern edge (degrees).")
    lat = models.FloatField(
        null=True, help_text="The circle's centre latitude; empty for a polygon."
    )
    lon = models.FloatField(
        null=True, help_text="The circle's centre longitude; empty for a polygon."
    )
    radius_m = models.FloatField(default=0, help_text="The circle's radius in metres.")

    class Meta:
        indexes = [
            # Covering: the check reads every column it needs from the index itself.
            models.Index(
                fields=[
                    *("span", "cell", "window_start", "window_end"),
                    *("min_lat", "max_lat", "min_lon", "max_lon"),
                    *("operation", "location", "lat", "lon", "radius_m"),
                ],
                name="operation_cell_check",
            )
        ]

    def __str__(self) -> str:
        return f"cell {self.cell} span {self.span} of {self.operation_id}"


class Conflict(models.Model):
    """Two operations that meet in place and time, or share a subject.

    Stored once per pair and reason, the lower operation id as ``operation_a``; each
    side acknowledges for itself. ``cleared_at`` is set when an edit (or the end of
    either operation) removes the conflict; a later edit that brings it back records a
    new conflict.
    """

    class Reason(models.TextChoices):
        PLACE_TIME = "place_time", "Place and time"
        SUBJECT = "subject", "Shared subject"

    operation_a = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="conflicts_as_a",
        help_text="One operation of the pair (the lower id).",
    )
    operation_b = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="conflicts_as_b",
        help_text="The other operation of the pair (the higher id).",
    )
    reason = models.CharField(
        max_length=16,
        choices=Reason.choices,
        help_text="Why they conflict: place and time, or a shared subject.",
    )
    detected_at = models.DateTimeField(help_text="When the conflict was found.")
    acknowledged_by_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who acknowledged it for the first operation.",
    )
    acknowledged_at_a = models.DateTimeField(
        null=True, blank=True, help_text="When the first operation's side acknowledged it."
    )
    acknowledged_by_b = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who acknowledged it for the second operation.",
    )
    acknowledged_at_b = models.DateTimeField(
        null=True, blank=True, help_text="When the second operation's side acknowledged it."
    )
    cleared_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an edit or the end of an operation removed the conflict; "
        "empty while it stands.",
    )

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [
            models.Index(fields=["operation_a", "cleared_at"], name="conflict_a_open"),
            models.Index(fields=["operation_b", "cleared_at"], name="conflict_b_open"),
        ]
        constraints = [
            on_field(
                "operation_b",
                models.CheckConstraint(
                    condition=models.Q(operation_a__lt=models.F("operation_b")),
                    name="operation_conflict_ordered_pair",
                    violation_error_message="A conflict is between two different operations.",
                ),
            ),
            on_field(
                "reason",
                models.UniqueConstraint(
                    fields=["operation_a", "operation_b", "reason"],
                    condition=models.Q(cleared_at__isnull=True),
                    name="operation_conflict_once",
                    violation_error_message="This conflict is recorded already.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.operation_a_id} / {self.operation_b_id}"

    def side_of(self, operation_id: int) -> str:
        """``"a"`` or ``"b"``: which side of the conflict ``operation_id`` is."""
        if operation_id == self.operation_a_id:
            return "a"
        if operation_id == self.operation_b_id:
            return "b"
        raise ValueError("the operation is not a side of this conflict")

    def other_id(self, operation_id: int) -> int:
        return self.operation_b_id if self.side_of(operation_id) == "a" else self.operation_a_id

    def acknowledged_by_side(self, operation_id: int) -> bool:
        side = self.side_of(operation_id)
        return getattr(self, f"acknowledged_at_{side}") is not None


# --- legal review, approval, execution and after-action review --------------------------


class ReviewStep(models.Model):
    """One step of an operation's review and execution, by whom, when and why.

    Counsel's sign-off records the digest of the checklist it signed off
    (``operations/checklist.py``); approval needs a sign-off whose digest is the
    checklist's as it still is.
    """

    class Kind(models.TextChoices):
        REVIEW_START = "review_start", "Legal review started"
        SIGNOFF = "signoff", "Counsel signed off"
        RETURN = "return", "Counsel returned the plan"
        APPROVAL = "approval", "Supervisor approved"
        START = "start", "Operation started"
        CLOSE = "close", "Operation closed"

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="review_steps",
        help_text="Operation the step is of.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, help_text="What was done.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who did it; empty for the system.",
    )
    at = models.DateTimeField(help_text="When it was done (UTC).")
    reason = models.TextField(blank=True, help_text="Why, in the actor's words.")
    checklist_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the checklist as it stood (sign-off and approval).",
    )

    class Meta:
        ordering = ["operation", "at", "pk"]
        indexes = [models.Index(fields=["operation", "kind", "-at"], name="operation_step_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.operation_id})"


class LogEntry(models.Model):
    """A time-stamped entry of the execution log, written by a participant."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="log_entries",
        help_text="Operation the entry is about.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who wrote the entry.",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Agency the author wrote for.",
    )
    occurred_at = models.DateTimeField(help_text="When what the entry tells happened (UTC).")
    recorded_at = models.DateTimeField(help_text="When the entry was written (UTC).")
    text = models.TextField(help_text="What happened.")

    class Meta:
        ordering = ["operation", "occurred_at", "pk"]
        verbose_name_plural = "log entries"

    def __str__(self) -> str:
        return f"log entry {self.pk} of {self.operation_id}"


class AfterActionReview(TimeStampedModel):
    """What an operation achieved, cost and taught, written after it closed."""

    class Objectives(models.TextChoices):
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"

    operation = models.OneToOneField(
        Operation,
        on_delete=models.CASCADE,
        related_name="after_action_review",
        help_text="Operation reviewed.",
    )
    objectives_met = models.CharField(
        max_length=8,
        choices=Objectives.choices,
        help_text="Whether the operation's objectives were met.",
    )
    objectives_assessment = models.TextField(
        blank=True, help_text="How the outcomes compare with the objectives."
    )
    went_well = models.TextField(blank=True, help_text="What went well.")
    to_change = models.TextField(blank=True, help_text="What to change next time.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who wrote the review.",
    )

    def __str__(self) -> str:
        return f"after-action review of {self.operation_id}"


class Outcome(models.Model):
    """A count of one kind of outcome of an operation (arrests by charge category, ...)."""

    class Kind(models.TextChoices):
        ARREST = "arrest", "Arrests"
        DETAINER = "detainer", "Detainers served"
        SEIZURE = "seizure", "Seizures"
        USE_OF_FORCE = "use_of_force", "Use-of-force events"
        INJURY = "injury", "Injuries"
        COMPLAINT = "complaint", "Complaints received"

    review = models.ForeignKey(
        AfterActionReview,
        on_delete=models.CASCADE,
        related_name="outcomes",
        help_text="Review the outcome belongs to.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, help_text="Kind of outcome.")
    category = models.CharField(
        max_length=120,
        blank=True,
        help_text="Charge category of arrests, or what was seized; empty otherwise.",
    )
    count = models.PositiveIntegerField(
        validators=[MaxValueValidator(MAX_VEHICLES * 100)], help_text="How many."
    )
    reference = models.CharField(
        max_length=120,
        null=True,
        blank=True,
        help_text="Reference of the incident or complaint record, once those are recorded.",
    )

    class Meta:
        ordering = ["review", "kind", "category", "pk"]

    def __str__(self) -> str:
        return f"{self.count} {self.get_kind_display().lower()}"


class AgencyCost(models.Model):
    """The hours and cost one agency put into an operation, as reviewed afterwards."""

    review = models.ForeignKey(
        AfterActionReview,
        on_delete=models.CASCADE,
        related_name="costs",
        help_text="Review the figures belong to.",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Agency whose hours and costs these are.",
    )
    hours = hours_field("Personnel hours spent.")
    cost = dollars_field("Cost in US dollars.")

    class Meta:
        ordering = ["review", "agency__name"]
        constraints = [
            on_field(
                "agency",
                models.UniqueConstraint(
                    fields=["review", "agency"],
                    name="operation_cost_one_per_agency",
                    violation_error_message="This agency's hours and costs are listed already.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.hours} h"


class FollowUp(TimeStampedModel):
    """An action the after-action review calls for, with its owner and due date."""

    review = models.ForeignKey(
        AfterActionReview,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        help_text="Review that calls for the action.",
    )
    action = models.CharField(max_length=300, help_text="What is to be done.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="operation_follow_ups",
        help_text="Who is to do it.",
    )
    due_on = models.DateField(help_text="When it is due.")
    done_at = models.DateTimeField(null=True, blank=True, help_text="When it was done.")
    reminded_on = models.DateField(
        null=True, blank=True, help_text="Last day the worker reminded the owner."
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="operation_followup_due")]

    def __str__(self) -> str:
        return self.action
