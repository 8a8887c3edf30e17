"""Who is who: jurisdictions, agencies, task forces, personnel, liaison designations, contacts."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from liaison.core.dates import day_text
from liaison.core.models import TimeStampedModel
from liaison.core.validation import on_field
from liaison.core.validators import validate_name


def _check_dates(start: date | None, end: date | None, end_field: str, message: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: message})


def _check_within_service(person: Person | None, start: date | None, what: str) -> None:
    """``what`` (an assignment, a designation) starts while ``person`` is with their agency."""
    if person is None or start is None:
        return
    if start < person.active_from:
        raise ValidationError(
            {
                "start_date": f"{person}'s first day with {person.agency} is "
                f"{day_text(person.active_from)}; {what} cannot start before it."
            },
            code="before_first_day",
        )
    if person.active_until is not None and start > person.active_until:
        raise ValidationError(
            {
                "start_date": f"{person}'s last day with {person.agency} was "
                f"{day_text(person.active_until)}; {what} cannot start after it."
            },
            code="after_last_day",
        )


class Jurisdiction(TimeStampedModel):
    class Kind(models.TextChoices):
        FEDERAL = "federal", "Federal"
        STATE = "state", "State"
        COUNTY = "county", "County"
        CITY = "city", "City"

    name = models.CharField(
        max_length=200,
        validators=[validate_name],
        help_text="Official name, e.g. Hennepin County.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, help_text="Level of government.")
    state = models.CharField(
        max_length=2, blank=True, help_text="USPS state code; empty for federal."
    )
    fips = models.CharField(
        max_length=7, blank=True, help_text="Census FIPS code (state, county or place)."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Enclosing jurisdiction (the state for a county, the county for a city).",
    )

    class Meta:
        ordering = ["state", "kind", "name"]
        constraints = [
            on_field(
                "name",
                models.UniqueConstraint(
                    fields=["kind", "state", "name"],
                    name="jurisdiction_unique_name",
                    violation_error_message=(
                        "A jurisdiction of this level with this name is already listed "
                        "for the state."
                    ),
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:jurisdiction_detail", args=[self.pk])

    def clean(self) -> None:
        # A jurisdiction lies inside a larger one: a county in a state, a city in a county
        # or a state, a state in the nation.
        parent = self.parent
        rank = JURISDICTION_RANK.get(self.kind)
        if parent is not None and rank is not None:
            parent_rank = JURISDICTION_RANK.get(parent.kind, rank)
            if parent_rank >= rank:
                raise ValidationError(
                    {
                        "parent": (
                            f"A {self.get_kind_display().lower()} cannot lie inside "
                            f"a {parent.get_kind_display().lower()}. Choose a larger "
                            "jurisdiction, or none."
                        )
                    }
                )


JURISDICTION_RANK: dict[str, int] = {
    Jurisdiction.Kind.FEDERAL: 0,
    Jurisdiction.Kind.STATE: 1,
    Jurisdiction.Kind.COUNTY: 2,
    Jurisdiction.Kind.CITY: 3,
}


class Agency(TimeStampedModel):
    class Level(models.TextChoices):
        FEDERAL = "federal", "Federal"
        STATE = "state", "State"
        LOCAL = "local", "Local"

    name = models.CharField(
        max_length=200, unique=True, validators=[validate_name], help_text="Full official name."
    )
    abbreviation = models.CharField(
        max_length=32, blank=True, validators=[validate_name], help_text="Short name, e.g. BCA."
    )
    level = models.CharField(
        max_length=16, choices=Level.choices, help_text="Federal, state or local."
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="Jurisdiction the agency serves.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="components",
        help_text="Parent agency, e.g. ICE for HSI.",
    )
    ori = models.CharField(max_length=9, blank=True, help_text="FBI Originating Agency Identifier.")
    website = models.URLField(blank=True, help_text="Public website.")
    phone = models.CharField(max_length=32, blank=True, help_text="Main public phone number.")
    active = models.BooleanField(default=True, help_text="False once the agency no longer exists.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:agency_detail", args=[self.pk])

    @property
    def is_federal(self) -> bool:
        return self.level == self.Level.FEDERAL

    def clean(self) -> None:
        parent = self.parent
        if parent is not None and self.level and parent.level != self.level:
            # A component shares its parent's level: a federal office under a state
            # department would put federal staff's records in the state's scope.
            raise ValidationError(
                {
                    "parent": (
                        f"A {self.get_level_display().lower()} agency cannot be part of "
                        f"a {parent.get_level_display().lower()} agency. Choose a parent "
                        "at the same level, or none."
                    )
                }
            )
        if (
            self.pk is not None
            and self.level
            and Agency.objects.filter(parent_id=self.pk).exclude(level=self.level).exists()
        ):
            raise ValidationError(
                {"level": "Its component agencies are at another level; change them first."}
            )
        ancestor = self.parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "An agency cannot be its own parent or ancestor."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class TaskForce(TimeStampedModel):
    name = models.CharField(
        max_length=200,
        unique=True,
        validators=[validate_name],
        help_text="Name of the task force.",
    )
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="led_task_forces",
        help_text="Agency that leads the task force; it owns this record.",
    )
    member_agencies = models.ManyToManyField(
        Agency,
        through="TaskForceMembership",
        related_name="task_forces",
        blank=True,
        help_text="Agencies taking part besides the lead (see the memberships).",
    )
    purpose = models.TextField(help_text="What the task force is for, in plain language.")
    area = models.CharField(max_length=300, blank=True, help_text="Area of operation.")
    start_date = models.DateField(help_text="First day of the task force.")
    end_date = models.DateField(null=True, blank=True, help_text="Last day; empty while it runs.")

    class Meta:
        ordering = ["name"]
        constraints = [
            on_field(
                "end_date",
                models.CheckConstraint(
                    condition=models.Q(end_date__isnull=True)
                    | models.Q(end_date__gte=models.F("start_date")),
                    name="taskforce_end_after_start",
                    violation_error_message="The last day cannot be before the first day.",
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:task_force_detail", args=[self.pk])


class TaskForceMembership(TimeStampedModel):
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="Task force the agency takes part in.",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="Agency that takes part.",
    )
    joined_on = models.DateField(help_text="When the agency joined.")
    left_on = models.DateField(null=True, blank=True, help_text="When the agency left.")

    class Meta:
        constraints = [
            on_field(
                "agency",
                models.UniqueConstraint(
                    fields=["task_force", "agency"],
                    name="membership_unique",
                    violation_error_message="This agency is already a member of the task force.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} in {self.task_force}"

    def clean(self) -> None:
        _check_dates(
            self.joined_on, self.left_on, "left_on", "Must be on or after the date joined."
        )


class Person(TimeStampedModel):
    """Personnel of an agency (not necessarily a system user)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="personnel",
        help_text="Employing agency; owns this record.",
    )
    given_name = models.CharField(
        max_length=100, validators=[validate_name], help_text="Given name."
    )
    family_name = models.CharField(
        max_length=100, validators=[validate_name], help_text="Family name."
    )
    title = models.CharField(max_length=120, blank=True, help_text="Job title, e.g. Special Agent.")
    rank = models.CharField(max_length=60, blank=True, help_text="Rank, e.g. Sergeant.")
    badge_number = models.CharField(
        max_length=32, blank=True, help_text="Badge or employee number."
    )
    email = models.EmailField(blank=True, help_text="Work email.")
    phone = models.CharField(max_length=32, blank=True, help_text="Work phone.")
    active_from = models.DateField(help_text="First day with the agency.")
    active_until = models.DateField(
        null=True, blank=True, help_text="Last day; empty while active."
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "personnel"
        indexes = [
            models.Index(fields=["agency", "family_name"]),
            # the list's order, so a page is read from the index, not sorted
            models.Index(fields=["family_name", "given_name", "id"], name="person_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def picker_label(self) -> str:
        """The name with what tells two people of that name apart: badge and agency."""
        agency = self.agency.abbreviation or self.agency.name
        badge = f"badge {self.badge_number}, " if self.badge_number else ""
        return f"{self} ({badge}{agency})"

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])

    def clean(self) -> None:
        _check_dates(
            self.active_from,
            self.active_until,
            "active_until",
            "Must be on or after the first day.",
        )


class TaskForceAssignment(TimeStampedModel):
    """A person's role on a task force, with dates."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="assignments", help_text="Person assigned."
    )
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="Task force the person is assigned to.",
    )
    role = models.CharField(
        max_length=120, help_text="Role on the task force, e.g. Task Force Officer."
    )
    start_date = models.DateField(help_text="First day of the assignment.")
    end_date = models.DateField(null=True, blank=True, help_text="Last day; empty while assigned.")

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["-start_date", "id"], name="assignment_list_order")]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}, {self.task_force}"

    def clean(self) -> None:
        _check_dates(
            self.start_date, self.end_date, "end_date", "Must be on or after the first day."
        )
        person = self.person if self.person_id is not None else None
        _check_within_service(person, self.start_date, "an assignment")


class LiaisonDesignation(TimeStampedModel):
    """A person designated as liaison officer from one agency to another."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="designations",
        help_text="Person designated as liaison.",
    )
    from_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="designations_out",
        help_text="Agency the liaison represents; owns this record.",
    )
    to_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="designations_in",
        help_text="Agency the liaison works with.",
    )
    start_date = models.DateField(help_text="First day of the designation.")
    end_date = models.DateField(null=True, blank=True, help_text="Last day; empty while in force.")
    notes = models.TextField(blank=True, help_text="Scope of the liaison role.")

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            on_field(
                "start_date",
                models.UniqueConstraint(
                    fields=["person", "from_agency", "to_agency", "start_date"],
                    name="designation_unique_start",
                    violation_error_code="duplicate_designation",
                    violation_error_message=(
                        "This person is already designated liaison between these agencies "
                        "from that day."
                    ),
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_agency} → {self.to_agency}"

    def get_absolute_url(self) -> str:
        return reverse("directory:designation_detail", args=[self.pk])

    def clean(self) -> None:
        _check_dates(
            self.start_date, self.end_date, "end_date", "Must be on or after the first day."
        )
        if self.from_agency_id is not None and self.from_agency_id == self.to_agency_id:
            raise ValidationError({"to_agency": "A liaison works with another agency."})
        person = self.person if self.person_id is not None else None
        _check_within_service(person, self.start_date, "a designation")
        self._refuse_overlap()

    def _refuse_overlap(self) -> None:
        """The same person, between the same two agencies, over days that overlap."""
        if None in (self.person_id, self.from_agency_id, self.to_agency_id, self.start_date):
            return
        same = LiaisonDesignation.objects.filter(
            person_id=self.person_id,
            from_agency_id=self.from_agency_id,
            to_agency_id=self.to_agency_id,
        ).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=self.start_date))
        if self.end_date is not None:
            same = same.filter(start_date__lte=self.end_date)
        if self.pk is not None:
            same = same.exclude(pk=self.pk)
        other = same.order_by("start_date").first()
        if other is not None:
            until = f"until {day_text(other.end_date)}" if other.end_date else "with no end date"
            raise ValidationError(
                {
                    "start_date": f"{self.person} is already liaison from {self.from_agency} to "
                    f"{self.to_agency} from {day_text(other.start_date)} {until}; the dates "
                    "overlap. End that designation first, or choose days outside it."
                },
                code="overlapping_designation",
            )


class Contact(TimeStampedModel):
    """A point of contact held by an agency (e.g. the duty desk of a field office)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="Agency whose contact this is.",
    )
    owner_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="owned_contacts",
        help_text="Agency that keeps this contact record.",
    )
    name = models.CharField(
        max_length=200, validators=[validate_name], help_text="Person or desk name."
    )
    purpose = models.CharField(max_length=200, blank=True, help_text="When to use this contact.")
    email = models.EmailField(blank=True, help_text="Email address of the contact.")
    phone = models.CharField(max_length=32, blank=True, help_text="Phone number of the contact.")
    hours = models.CharField(max_length=120, blank=True, help_text="Hours of availability.")
    active = models.BooleanField(
        default=True, help_text="False once the contact is no longer in use (kept for history)."
    )

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"

    def get_absolute_url(self) -> str:
        return reverse("directory:contact_detail", args=[self.pk])
