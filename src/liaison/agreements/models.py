"""Agreements, amendments, documents and the legal-authority library.

History is kept so that a question about a past date gets that date's answer:
status changes are rows with an ``effective_on`` date (``AgreementStatusChange``),
what an agreement authorizes is a set of ``Grant`` rows each valid over a period,
and amendments carry their own effective date and any new expiry date or cap.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from liaison.core.models import TimeStampedModel
from liaison.core.validation import on_field
from liaison.core.validators import validate_name

# Bounds that keep dates computed from these numbers inside the calendar.
MAX_NOTICE_DAYS = 3650
MAX_PERSONNEL_CAP = 100_000
MAX_RENEWAL_MONTHS = 600


class LegalAuthority(TimeStampedModel):
    """A statute, rule, ordinance, court decision or policy an agreement or rule rests on."""

    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", "Constitution"
        STATUTE = "statute", "Statute"
        REGULATION = "regulation", "Regulation or rule"
        ORDINANCE = "ordinance", "Ordinance or local code"
        COURT_DECISION = "court_decision", "Court decision"
        AGENCY_POLICY = "agency_policy", "Agency policy"
        FEDERAL_FORM = "federal_form", "Federal form or instrument"
        OTHER = "other", "Other"

    class JurisdictionCode(models.TextChoices):
        MN = "MN", "Minnesota"
        WI = "WI", "Wisconsin"
        US = "US", "United States (federal)"

    citation = models.CharField(
        max_length=200, unique=True, help_text='Standard citation, e.g. "Minn. Stat. § 13.04".'
    )
    title = models.CharField(max_length=300, help_text="Short title of the authority.")
    jurisdiction_code = models.CharField(
        max_length=2,
        choices=JurisdictionCode.choices,
        help_text="State or federal law this belongs to.",
    )
    jurisdiction = models.ForeignKey(
        "directory.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_authorities",
        help_text="The issuing jurisdiction when it is a county or city (ordinances, policies).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="Kind of authority.")
    effective_date = models.DateField(
        null=True, blank=True, help_text="When it took effect, where known."
    )
    repealed_on = models.DateField(
        null=True, blank=True, help_text="When it was repealed or overruled; empty while in force."
    )
    source_url = models.URLField(blank=True, max_length=500, help_text="Official text online.")
    summary = models.TextField(help_text="Plain-language summary of what it requires or allows.")
    verify_with_counsel = models.BooleanField(
        default=False,
        help_text="Uncertain or contested: counsel must confirm before anyone relies on it.",
    )

    class Meta:
        ordering = ["jurisdiction_code", "citation"]
        verbose_name_plural = "legal authorities"
        indexes = [models.Index(fields=["jurisdiction_code", "kind"])]
        constraints = [
            on_field(
                "repealed_on",
                models.CheckConstraint(
                    condition=models.Q(repealed_on__isnull=True)
                    | models.Q(effective_date__isnull=True)
                    | models.Q(repealed_on__gte=models.F("effective_date")),
                    name="authority_repealed_after_effective",
                    violation_error_code="repealed_before_effective",
                    violation_error_message=(
                        "An authority cannot be repealed before it takes effect: "
                        "give a repeal date on or after its effective date."
                    ),
                ),
            )
        ]

    def __str__(self) -> str:
        return self.citation

    def clean(self) -> None:
        """The issuing county or city must belong to the law it is filed under: an
        ordinance of Ramsey County is Minnesota law, never Wisconsin or federal law. (That
        it is repealed no earlier than it takes effect is a database constraint.)"""
        place = self.jurisdiction
        if place is None or not self.jurisdiction_code:
            return
        code = self.JurisdictionCode
        if self.jurisdiction_code == code.US:
            fits = place.kind == place.Kind.FEDERAL
        else:
            fits = place.state == self.jurisdiction_code
        if not fits:
            law = code(self.jurisdiction_code).label
            raise ValidationError(
                {
                    "jurisdiction": (
                        f"{place} does not issue {law} law. Choose a county or city in "
                        f"{law}, or the law the issuer belongs to."
                    )
                },
                code="jurisdiction_mismatch",
            )


class TaxonomyItem(models.Model):
    """A code in one of the fixed, extendable lists (activities, data categories, purposes)."""

    code = models.SlugField(max_length=64, unique=True, help_text="Stable code used by rules.")
    name = models.CharField(max_length=120, validators=[validate_name], help_text="Human name.")
    description = models.TextField(blank=True, help_text="What the code covers.")
    active = models.BooleanField(default=True, help_text="False when no longer offered.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Activity(TaxonomyItem):
    """Something an agreement may authorize personnel to do (e.g. warrant service)."""

    class Meta(TaxonomyItem.Meta):
        verbose_name_plural = "activities"


class DataCategory(TaxonomyItem):
    """A category of data an agreement may let parties share (e.g. booking data)."""

    class Meta(TaxonomyItem.Meta):
        verbose_name_plural = "data categories"


class Purpose(TaxonomyItem):
    """A purpose for which shared data may be used (e.g. criminal investigation)."""


class Agreement(TimeStampedModel):
    """An MOU, MOA (including INA § 287(g)) or other written agreement between agencies."""

    class Kind(models.TextChoices):
        JAIL_ENFORCEMENT_287G = "287g_jail", "287(g) jail enforcement model"
        TASK_FORCE_287G = "287g_task_force", "287(g) task force model"
        WARRANT_SERVICE_287G = "287g_warrant_service", "287(g) warrant service officer"
        FEDERAL_TASK_FORCE_MOU = "task_force_mou", "Federal task-force MOU"
        INFORMATION_SHARING = "information_sharing", "Information-sharing agreement"
        MUTUAL_AID = "mutual_aid", "Mutual aid agreement"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LEGAL_REVIEW = "legal_review", "In legal review"
        SIGNED = "signed", "Signed"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    title = models.CharField(max_length=300, help_text="Title of the agreement.")
    reference = models.CharField(
        max_length=64, blank=True, help_text="The parties' own number for it, if any."
    )
    kind = models.CharField(max_length=32, choices=Kind.choices, help_text="Type of agreement.")
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Where it is in its lifecycle now; the history is in status changes.",
    )
    owner_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="owned_agreements",
        help_text="Agency that keeps this record (the drafting agency).",
    )
    summary = models.TextField(blank=True, help_text="Purpose and scope in plain language.")
    effective_date = models.DateField(
        null=True, blank=True, help_text="First day it is in force (required to sign)."
    )
    expiry_date = models.DateField(
        null=True, blank=True, help_text="Last day in force as originally signed; empty: open."
    )
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="Last day in force after every recorded amendment; empty: open-ended.",
    )
    personnel_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PERSONNEL_CAP)],
        help_text="Most personnel who may act under it, after amendments; empty: no cap.",
    )
    signed_personnel_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PERSONNEL_CAP)],
        help_text="Personnel cap as originally signed, before any amendment; empty: no cap.",
    )
    grant_clause = models.CharField(
        max_length=120,
        default="Agreement",
        help_text="Section of the agreement that lists what it authorizes, e.g. Art. III.",
    )
    complaint_procedure = models.TextField(
        blank=True, help_text="How complaints about conduct under the agreement are handled."
    )
    termination_terms = models.TextField(blank=True, help_text="How either side may end it.")
    termination_notice_days = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text="Written notice the terms require before termination takes effect (days).",
    )
    termination_reason = models.TextField(blank=True, help_text="Why it was terminated.")
    termination_notice_date = models.DateField(
        null=True, blank=True, help_text="When written notice of termination was given."
    )
    terminated_on = models.DateField(
        null=True, blank=True, help_text="First day it is no longer in force after termination."
    )
    legal_approved_at = models.DateTimeField(
        null=True, blank=True, help_text="When counsel approved the current text."
    )
    legal_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Counsel who approved it.",
    )
    review_notes = models.TextField(blank=True, help_text="Counsel's notes from the last review.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who drafted the record; empty for imported data.",
    )
    authorities = models.ManyToManyField(
        LegalAuthority,
        blank=True,
        related_name="agreements",
        help_text="The legal authorities the agreement rests on.",
    )
    notes = models.TextField(blank=True, help_text="Internal notes.")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # the list's order, so a page is read from the index, not sorted
            models.Index(fields=["-updated_at", "-id"], name="agreement_list_order"),
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            on_field(
                "expiry_date",
                models.CheckConstraint(
                    condition=models.Q(expiry_date__isnull=True)
                    | models.Q(effective_date__isnull=True)
                    | models.Q(expiry_date__gte=models.F("effective_date")),
                    name="agreement_expiry_after_effective",
                    violation_error_message=(
                        "The last day in force cannot be before the date it takes effect."
                    ),
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def termination_pending_on(self, today: date) -> bool:
        """Whether the agreement is terminated but still in force on ``today`` (the notice
        period runs until the day before ``terminated_on``)."""
        return (
            self.status == self.Status.TERMINATED
            and self.terminated_on is not None
            and self.terminated_on > today
        )

    @property
    def termination_pending(self) -> bool:
        """:meth:`termination_pending_on` today, in the deployment's time zone."""
        return self.termination_pending_on(timezone.localdate())


class AgreementParty(models.Model):
    """An agency that is party to an agreement, and in what capacity."""

    class Role(models.TextChoices):
        FEDERAL_PARTY = "federal_party", "Federal party"
        STATE_PARTY = "state_party", "State party"
        LOCAL_PARTY = "local_party", "Local party"
        LEAD_AGENCY = "lead_agency", "Lead agency"
        PARTICIPATING = "participating", "Participating agency"

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="parties",
        help_text="Agreement the agency is party to.",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        help_text="Agency that is a party.",
    )
    role = models.CharField(
        max_length=20, choices=Role.choices, help_text="Capacity in which it is a party."
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "agreement parties"
        constraints = [
            on_field(
                "agency",
                models.UniqueConstraint(
                    fields=["agreement", "agency"],
                    name="party_unique",
                    violation_error_message="This agency is already a party to the agreement.",
                ),
            )
        ]
        indexes = [models.Index(fields=["agency", "agreement"])]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display()})"


class Signatory(models.Model):
    """Someone who signed for a party: one signature per party."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="signatories",
        help_text="Agreement signed.",
    )
    agency = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="+", help_text="Signed for."
    )
    name = models.CharField(
        max_length=200, validators=[validate_name], help_text="Name of the signatory."
    )
    title = models.CharField(max_length=200, help_text="Title, e.g. Sheriff.")
    signed_on = models.DateField(help_text="Date of the signature.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who recorded it; empty for the system (imports, demo loading).",
    )
    signed_copy = models.ForeignKey(
        "DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The signed document, required when it is recorded on the party's behalf.",
    )

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name_plural = "signatories"
        constraints = [
            on_field(
                "agency",
                models.UniqueConstraint(
                    fields=["agreement", "agency"],
                    name="signatory_one_per_party",
                    violation_error_code="already_signed",
                    violation_error_message="This party has already signed the agreement.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class AgreementStatusChange(models.Model):
    """One step of the lifecycle. The status on a date is the one set by the most recently
    recorded change whose ``effective_on`` is on or before that date."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        help_text="Agreement whose status changed.",
    )
    from_status = models.CharField(
        max_length=16,
        blank=True,
        choices=Agreement.Status.choices,
        help_text="Status before the change; empty for the first one.",
    )
    to_status = models.CharField(
        max_length=16, choices=Agreement.Status.choices, help_text="Status the change sets."
    )
    effective_on = models.DateField(help_text="First day the new status applies.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When it was recorded.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the change; empty for the system (sweeps, imports).",
    )
    reason = models.TextField(blank=True, help_text="Why, as stated by the actor.")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["agreement", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} on {self.effective_on}"


class Amendment(TimeStampedModel):
    """A signed change to an agreement, with its own effective date."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="amendments",
        help_text="Agreement amended.",
    )
    number = models.PositiveIntegerField(help_text="1 for the first amendment, and so on.")
    title = models.CharField(max_length=300, help_text="Short title.")
    summary = models.TextField(blank=True, help_text="What it changes, in plain language.")
    section = models.CharField(
        max_length=120, blank=True, help_text="Section of the amendment that grants, e.g. § 2."
    )
    effective_date = models.DateField(help_text="First day the amendment applies.")
    new_expiry_date = models.DateField(
        null=True, blank=True, help_text="New last day in force, if it changes it."
    )
    new_personnel_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PERSONNEL_CAP)],
        help_text="New personnel cap, if it changes it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who recorded the amendment; empty for the system.",
    )

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            on_field(
                "number",
                models.UniqueConstraint(
                    fields=["agreement", "number"],
                    name="amendment_unique_number",
                    violation_error_message=(
                        "The agreement already has an amendment with this number."
                    ),
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Amendment {self.number}: {self.title}"

    @property
    def clause(self) -> str:
        return f"Amendment {self.number}" + (f", {self.section}" if self.section else "")


class Grant(models.Model):
    """One activity, data category or purpose an agreement authorizes, over a period.

    Exactly one of ``activity``, ``data_category`` and ``purpose`` is set. ``valid_from``
    empty means from the agreement's start; ``valid_until`` (exclusive) is set when an
    amendment removes it.
    """

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="grants",
        help_text="Agreement that authorizes it.",
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        help_text="Activity authorized (one of activity, data category or purpose).",
    )
    data_category = models.ForeignKey(
        DataCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        help_text="Data category authorized (one of activity, data category or purpose).",
    )
    purpose = models.ForeignKey(
        Purpose,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        help_text="Purpose authorized (one of activity, data category or purpose).",
    )
    clause = models.CharField(max_length=200, help_text="Section that grants it.")
    valid_from = models.DateField(
        null=True, blank=True, help_text="First day it is granted; empty: from the start."
    )
    valid_until = models.DateField(
        null=True, blank=True, help_text="First day it is no longer granted; empty: still is."
    )
    granted_by = models.ForeignKey(
        Amendment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants_added",
        help_text="Amendment that added it; empty: the original agreement.",
    )
    revoked_by = models.ForeignKey(
        Amendment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants_removed",
        help_text="Amendment that removed it.",
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["agreement", "activity"]),
            models.Index(fields=["agreement", "data_category"]),
            models.Index(fields=["agreement", "purpose"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        activity__isnull=False, data_category__isnull=True, purpose__isnull=True
                    )
                    | models.Q(
                        activity__isnull=True, data_category__isnull=False, purpose__isnull=True
                    )
                    | models.Q(
                        activity__isnull=True, data_category__isnull=True, purpose__isnull=False
                    )
                ),
                name="grant_exactly_one_item",
                violation_error_message=(
                    "A grant authorizes exactly one activity, data category or purpose."
                ),
            )
        ]

    def __str__(self) -> str:
        item = self.activity or self.data_category or self.purpose
        return f"{item} ({self.clause})"

    @property
    def item_kind(self) -> str:
        if self.activity_id:
            return "activity"
        return "data_category" if self.data_category_id else "purpose"


class NominatedPerson(models.Model):
    """A person nominated to act under the agreement (e.g. a 287(g) designated officer)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="nominated_personnel",
        help_text="Agreement the person is nominated under.",
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Person nominated.",
    )
    function = models.CharField(max_length=120, help_text="Role or function under the agreement.")
    nominated_on = models.DateField(help_text="Date of nomination.")
    removed_on = models.DateField(null=True, blank=True, help_text="Date removed, if removed.")

    class Meta:
        ordering = ["nominated_on", "id"]
        verbose_name_plural = "nominated personnel"

    def __str__(self) -> str:
        return f"{self.person} — {self.function}"


class TrainingRequirement(models.Model):
    """Training a role must have completed before acting under the agreement."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="training_requirements",
        help_text="Agreement that requires the training.",
    )
    function = models.CharField(max_length=120, help_text="Role or function it applies to.")
    course_name = models.CharField(max_length=200, help_text="Course, e.g. ICE 287(g) basic.")
    hours = models.DecimalField(max_digits=6, decimal_places=1, help_text="Course length.")
    renewal_months = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RENEWAL_MONTHS)],
        help_text="Months before it must be renewed; empty: once.",
    )

    class Meta:
        ordering = ["function", "course_name"]

    def __str__(self) -> str:
        return f"{self.function}: {self.course_name}"


class ReportingObligation(TimeStampedModel):
    """A report a party owes under the agreement."""

    class Frequency(models.TextChoices):
        ONCE = "once", "Once"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        SEMIANNUAL = "semiannual", "Every six months"
        ANNUAL = "annual", "Annual"

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="reporting_obligations",
        help_text="Agreement that requires the report.",
    )
    description = models.CharField(max_length=300, help_text="What must be reported.")
    frequency = models.CharField(
        max_length=16, choices=Frequency.choices, help_text="How often the report is due."
    )
    recipient = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Agency the report goes to.",
    )
    first_due_on = models.DateField(help_text="First due date; later ones follow the frequency.")

    class Meta:
        ordering = ["first_due_on", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def months_between(self) -> int:
        return {"once": 0, "monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[
            self.frequency
        ]


class AgreementDocument(TimeStampedModel):
    """A document attached to an agreement (the signed text, an amendment, a letter)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Agreement the document belongs to.",
    )
    title = models.CharField(max_length=200, help_text="What the document is.")

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def latest_version(self) -> DocumentVersion | None:
        """The newest upload (from prefetched versions when there are)."""
        return max(self.versions.all(), key=lambda v: v.version, default=None)


def _document_path(instance: DocumentVersion, filename: str) -> str:
    return f"agreements/{instance.document.agreement_id}/{instance.sha256}.pdf"


class DocumentVersion(models.Model):
    """One uploaded version of a document; old versions are kept."""

    document = models.ForeignKey(
        AgreementDocument,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text="Document this is a version of.",
    )
    version = models.PositiveIntegerField(help_text="1 for the first upload, and so on.")
    file = models.FileField(
        upload_to=_document_path, max_length=300, help_text="The stored PDF file."
    )
    original_name = models.CharField(max_length=255, help_text="File name as uploaded.")
    size = models.PositiveBigIntegerField(help_text="Size in bytes.")
    sha256 = models.CharField(max_length=64, help_text="Hex SHA-256 of the file.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who uploaded it; empty for the system.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, help_text="When it was uploaded (UTC).")

    class Meta:
        ordering = ["document", "-version"]
        constraints = [
            on_field(
                "version",
                models.UniqueConstraint(
                    fields=["document", "version"],
                    name="document_version_unique",
                    violation_error_message="The document already has a version with this number.",
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"
