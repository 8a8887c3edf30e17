"""Sharing: requests for state data or actions, their decisions, reviews, overrides and
disclosures.

A :class:`SharingRequest` keeps the exact ``liaison.sharing.request/1`` facts the policy
engine evaluated, the ``liaison.sharing.decision/1`` answer and the pack versions that gave
it, so the decision can be explained and replayed later. Each requested thing is a
:class:`RequestItem` with the engine's answer (``machine_decision``) and the answer that
counts (``final_decision``) after a privacy officer's :class:`Review` or a legal counsel's
:class:`Override`. A :class:`Disclosure` records exactly what left; its
:class:`DisclosureSubject` rows hold only keyed hashes of the subjects' identifiers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from liaison.core.models import TimeStampedModel
from liaison.core.validation import on_field
from liaison.policy import vocabulary as v


def _choices(codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(code, code.replace("_", " ").capitalize()) for code in codes]


PURPOSE_CHOICES = _choices(v.PURPOSES)
INSTRUMENT_CHOICES = [
    ("judicial_warrant", "Judicial warrant"),
    ("court_order", "Court order"),
    ("grand_jury_subpoena", "Grand-jury subpoena"),
    ("administrative_subpoena", "Administrative subpoena"),
    ("administrative_warrant", "Administrative warrant (I-200/I-205) alone"),
    ("detainer", "Detainer (I-247A) alone"),
    ("detainer_with_administrative_warrant", "Detainer with an administrative warrant"),
    ("agreement_clause", "Agreement clause"),
    ("written_consent", "Written consent of the subject"),
    ("none", "No legal instrument"),
]
CATEGORY_CHOICES = _choices(list(v.CATEGORIES))
ACTION_CHOICES = _choices(v.ACTIONS)
CLASSIFICATION_CHOICES = _choices(v.CLASSIFICATIONS)
SOURCE_CHOICES = _choices(v.SOURCES)
STATE_CHOICES = [(s, s) for s in v.STATES]
HEX64 = r"^[0-9a-f]{64}$"


class Decision(models.TextChoices):
    PERMIT = "permit", "Permitted"
    DENY = "deny", "Denied"
    NEEDS_REVIEW = "needs_review", "Needs review"


class FinalDecision(models.TextChoices):
    PENDING = "", "Waiting for review"
    PERMIT = "permit", "Permitted"
    DENY = "deny", "Denied"


class SharingRequest(TimeStampedModel):
    """A partner's request for data a state or local agency holds, or for an action (a
    detainer hold), decided by the rule packs in effect on the day it was filed."""

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", "Waiting for a privacy officer's review"
        DECIDED = "decided", "Decided"
        DISCLOSED = "disclosed", "Disclosed"

    reference = models.CharField(
        max_length=24,
        unique=True,
        help_text="Reference number given when filed, e.g. SR-2026-000042.",
    )
    requesting_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="sharing_requests_made",
        help_text="Agency asking for the data or action (usually a federal partner).",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sharing_requests",
        help_text="Partner user who asks; empty when a coordinator files for an agency "
        "without naming one of its users.",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who filed it: the partner, or a coordinator on the partner's behalf; "
        "empty when the system filed it (demo data).",
    )
    custodian_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="sharing_requests_held",
        help_text="Agency holding the data or the person (its rules decide).",
    )
    jurisdiction = models.ForeignKey(
        "directory.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Custodian's jurisdiction when filed (state, county or city).",
    )
    state = models.CharField(
        max_length=2,
        choices=STATE_CHOICES,
        help_text="State whose law applies: the custodian's state.",
    )
    purpose = models.CharField(
        max_length=40, choices=PURPOSE_CHOICES, help_text="What the requester will use it for."
    )
    instrument = models.CharField(
        max_length=40,
        choices=INSTRUMENT_CHOICES,
        help_text="Legal instrument the requester holds (warrant, subpoena, detainer, …).",
    )
    urgent = models.BooleanField(
        default=False, help_text="True when the requester says it cannot wait (reviewed first)."
    )
    filed_at = models.DateTimeField(help_text="When it was filed (UTC).")
    decided_on = models.DateField(
        help_text="Day whose pack versions decided it (the filing day, local time)."
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        help_text="Waiting for review, decided, or disclosed (something left).",
    )
    facts = models.JSONField(
        help_text="The exact liaison.sharing.request/1 request the engine evaluated."
    )
    decision = models.JSONField(
        help_text="The liaison.sharing.decision/1 answer, as the engine gave it."
    )
    packs = models.JSONField(
        default=list,
        help_text="Rule packs that decided it: a list of {name, version, effective}.",
    )

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [
            models.Index(fields=["requesting_agency", "-filed_at"], name="sharing_req_agency_idx"),
            models.Index(fields=["custodian_agency", "-filed_at"], name="sharing_req_custod_idx"),
            models.Index(fields=["status", "-urgent", "filed_at"], name="sharing_req_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("sharing:request_detail", args=[self.pk])

    @property
    def pack_names(self) -> str:
        return ", ".join(f"{p['name']} {p['version']}" for p in self.packs)


class RequestItem(models.Model):
    """One thing a request asks for: data of a category, or an action, with the engine's
    decision on it and the decision that counts after review."""

    request = models.ForeignKey(
        SharingRequest,
        on_delete=models.PROTECT,
        related_name="items",
        help_text="Request this item belongs to.",
    )
    index = models.PositiveSmallIntegerField(
        help_text="Position in the request (0 first), as in the facts and the decision."
    )
    category = models.CharField(
        max_length=40,
        blank=True,
        choices=CATEGORY_CHOICES,
        help_text="Data category asked for; empty for an action.",
    )
    action = models.CharField(
        max_length=40,
        blank=True,
        choices=ACTION_CHOICES,
        help_text="Action asked for (e.g. a hold past release); empty for data.",
    )
    classification = models.CharField(
        max_length=24,
        blank=True,
        choices=CLASSIFICATION_CHOICES,
        help_text="Classification of the data under the custodian's law; empty for an action.",
    )
    source = models.CharField(
        max_length=32,
        blank=True,
        choices=SOURCE_CHOICES,
        help_text="System the data comes from; empty for an action.",
    )
    flags = models.JSONField(
        default=list,
        blank=True,
        help_text="Flags set on the data item (e.g. active_investigation), as a list.",
    )
    machine_decision = models.CharField(
        max_length=16,
        choices=Decision.choices,
        help_text="What the rule packs decided: permit, deny or needs review.",
    )
    machine_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields the packs would let leave (empty unless permitted).",
    )
    final_decision = models.CharField(
        max_length=16,
        blank=True,
        choices=FinalDecision.choices,
        help_text="The decision that counts: permit or deny; empty while waiting for review.",
    )
    permitted_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields that may leave now (after review or override); empty unless permitted.",
    )

    class Meta:
        ordering = ["request", "index"]
        constraints = [
            on_field(
                "index",
                models.UniqueConstraint(
                    fields=["request", "index"],
                    name="sharing_item_unique_index",
                    violation_error_message="The request has an item at this position already.",
                ),
            ),
            models.CheckConstraint(
                condition=(models.Q(category="") & ~models.Q(action=""))
                | (~models.Q(category="") & models.Q(action="")),
                name="sharing_item_category_or_action",
                violation_error_message="An item asks for either data of a category or an action.",
            ),
            on_field(
                "final_decision",
                models.CheckConstraint(
                    condition=~models.Q(final_decision="")
                    | models.Q(machine_decision="needs_review"),
                    name="sharing_item_pending_only_needs_review",
                    violation_error_message="Only an item that needs review can wait for one.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} #{self.index} {self.category or self.action}"

    @property
    def what(self) -> str:
        return self.category or self.action

    @property
    def is_action(self) -> bool:
        return bool(self.action)

    @property
    def statutory_deny(self) -> bool:
        """A deny the packs gave: a privacy officer cannot turn it into a permit; only a
        legal counsel's override can set it aside."""
        return self.machine_decision == Decision.DENY

    @property
    def overridden(self) -> bool:
        """Whether legal counsel set this item's deny aside (no query after a join)."""
        try:
            self.override  # noqa: B018 - the related row, or DoesNotExist
        except ObjectDoesNotExist:
            return False
        return True

    @property
    def releasable(self) -> bool:
        return self.final_decision == FinalDecision.PERMIT

    def decision_entry(self) -> dict[str, Any]:
        """This item's entry of the stored decision (reasons, paths, obligations)."""
        items = self.request.decision.get("items", [])
        return items[self.index] if self.index < len(items) else {}


class Review(TimeStampedModel):
    """A privacy officer's review of a request: confirm the packs' answer, narrow it (fewer
    items or fields), or deny it, with a reason."""

    class Action(models.TextChoices):
        CONFIRM = "confirm", "Confirm"
        NARROW = "narrow", "Narrow (fewer items or fields)"
        DENY = "deny", "Deny"

    request = models.ForeignKey(
        SharingRequest,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="Request reviewed.",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Privacy officer of the custodian side who reviewed it; empty for the system (demo data).",
    )
    action = models.CharField(
        max_length=16, choices=Action.choices, help_text="Confirm, narrow or deny."
    )
    reason = models.TextField(
        blank=True, help_text="Why, in the reviewer's words (required to narrow or deny)."
    )
    outcome = models.JSONField(
        default=list,
        help_text="Each item's decision after the review: a list of {index, decision, fields}.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            on_field(
                "request",
                models.UniqueConstraint(
                    fields=["request"],
                    name="sharing_review_once",
                    violation_error_message="This request has been reviewed already.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.request.reference}"


class Override(TimeStampedModel):
    """A legal counsel's decision to set aside the packs' deny of one item, with a written
    justification. Shown on the oversight views."""

    item = models.OneToOneField(
        RequestItem,
        on_delete=models.PROTECT,
        related_name="override",
        help_text="Denied item set aside.",
    )
    counsel = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Legal counsel who set the deny aside; empty for the system (demo data).",
    )
    justification = models.TextField(
        help_text="Written legal justification for setting the deny aside."
    )
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields that may leave under the override (empty for an action).",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Override of {self.item}"


class Disclosure(TimeStampedModel):
    """What actually left: the categories and fields, to whom, how, on what basis, with the
    SHA-256 of the package sent."""

    class Channel(models.TextChoices):
        API = "api", "API"
        SECURE_EMAIL = "secure_email", "Secure e-mail"
        PORTAL = "portal", "Portal download"
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Telephone"
        PAPER = "paper", "Paper"

    request = models.ForeignKey(
        SharingRequest,
        on_delete=models.PROTECT,
        related_name="disclosures",
        help_text="Request it answers.",
    )
    categories = models.JSONField(
        default=list, help_text="Data categories that left, as a list of category codes."
    )
    fields = models.JSONField(
        default=dict, help_text="Fields that left, per category: {category: [field, …]}."
    )
    channel = models.CharField(
        max_length=16, choices=Channel.choices, help_text="How the package was sent."
    )
    recipient_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="sharing_disclosures_received",
        help_text="Agency that received it.",
    )
    recipient_name = models.CharField(
        max_length=200, help_text="Person who received it, as named on the package."
    )
    basis = models.CharField(
        max_length=300,
        help_text="Legal basis it left under: the instrument and the citations that permitted it.",
    )
    package_sha256 = models.CharField(
        max_length=64,
        validators=[RegexValidator(HEX64, "The package hash is 64 lowercase hexadecimal digits.")],
        help_text="SHA-256 (hex) of the package exactly as sent.",
    )
    disclosed_on = models.DateField(help_text="Day it left.")
    review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Day by which it must be reviewed (28 C.F.R. § 23.20: within 5 years, for "
        "criminal intelligence); empty when no review is due.",
    )
    obligations = models.JSONField(
        default=list, blank=True, help_text="Obligations of the decision that travel with it."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="User who recorded the disclosure; empty for the system (demo data).",
    )

    class Meta:
        ordering = ["-disclosed_on", "-pk"]
        indexes = [
            models.Index(fields=["review_due"], name="sharing_disc_review_due_idx"),
            models.Index(
                fields=["recipient_agency", "-disclosed_on"], name="sharing_disc_rcpt_idx"
            ),
        ]
        constraints = [
            on_field(
                "review_due",
                models.CheckConstraint(
                    condition=models.Q(review_due__isnull=True)
                    | models.Q(review_due__gte=models.F("disclosed_on")),
                    name="sharing_disclosure_review_after",
                    violation_error_message="The review date cannot be before the disclosure.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk} for {self.request.reference}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:disclosure_detail", args=[self.pk])


# Identifier kinds of ``liaison.core.identifiers.Kind``, by value.
SUBJECT_KIND_CHOICES = [
    ("person", "Person (name, date of birth)"),
    ("plate", "Licence plate"),
    ("address", "Address"),
    ("phone", "Telephone number"),
    ("license", "Driver's licence number"),
    ("record", "Record number"),
]


class DisclosureSubject(models.Model):
    """One identifier of a person the disclosure was about, as a keyed hash only
    (``liaison.core.identifiers.keyed_hash``): a data-subject report matches on it, and
    nothing here reveals the identifier."""

    disclosure = models.ForeignKey(
        Disclosure,
        on_delete=models.PROTECT,
        related_name="subjects",
        help_text="Disclosure that was about this subject.",
    )
    kind = models.CharField(
        max_length=16, choices=SUBJECT_KIND_CHOICES, help_text="Kind of identifier hashed."
    )
    keyed_hash = models.CharField(
        max_length=64,
        db_index=True,
        validators=[RegexValidator(HEX64, "A keyed hash is 64 lowercase hexadecimal digits.")],
        help_text="Keyed hash (64 hex digits) of the normalized identifier; never the value.",
    )

    class Meta:
        ordering = ["disclosure", "kind", "pk"]
        constraints = [
            on_field(
                "keyed_hash",
                models.UniqueConstraint(
                    fields=["disclosure", "kind", "keyed_hash"],
                    name="sharing_subject_unique",
                    violation_error_message="This identifier is on the disclosure already.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.keyed_hash[:12]}…"


# --- data subjects' requests (Minn. Stat. 13.04 subd. 3; Wis. Stat. 19.35(1)(am)) -------------


class DataSubjectRequest(TimeStampedModel):
    """A person's request to learn what the agency holds and has disclosed about them.

    The subject's identifiers are kept only as keyed hashes (:class:`DataSubjectIdentifier`);
    a way to reach the requester, when the privacy officer needs one, only sealed. In
    Minnesota the answer is due within 10 business days of receipt (``due_on``); Wisconsin
    sets no fixed deadline ("as soon as practicable and without delay"), so ``due_on`` is
    empty there and the pages show the request's age instead.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_PROGRESS = "in_progress", "In progress"
        ANSWERED = "answered", "Answered"
        DENIED = "denied", "Denied"

    class Proof(models.TextChoices):
        PHOTO_ID_IN_PERSON = "photo_id_in_person", "Photo ID shown in person"
        NOTARIZED = "notarized", "Notarized statement of identity"
        ID_COPY = "id_copy", "Copy of a government ID, by mail or e-mail"
        KNOWN = "known", "Known to the agency (e.g. an employee's own records)"
        REPRESENTATIVE = "representative", "Authorized representative with written consent"
        OTHER = "other", "Other (described in the file)"

    reference = models.CharField(
        max_length=24, unique=True, help_text="Reference given when recorded, e.g. DSR-2026-000007."
    )
    custodian_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
        help_text="Agency asked (its records and disclosures, and its sub-agencies', are searched).",
    )
    state = models.CharField(
        max_length=2,
        choices=STATE_CHOICES,
        help_text="State whose law sets the answer's timing: the custodian's state.",
    )
    received_on = models.DateField(help_text="Day the agency received the request.")
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Day the answer is due (Minnesota: 10 business days after receipt); empty "
        "where the law sets no fixed deadline (Wisconsin).",
    )
    identity_proof = models.CharField(
        max_length=24,
        choices=Proof.choices,
        help_text="How the requester proved they are the data subject.",
    )
    contact_sealed = models.TextField(
        blank=True,
        help_text="How to reach the requester, sealed (encrypted); empty when not needed.",
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.RECEIVED,
        help_text="Received, in progress, answered or denied.",
    )
    denial_reason = models.TextField(
        blank=True, help_text="Why the request was denied, as told to the requester."
    )
    answered_on = models.DateField(
        null=True, blank=True, help_text="Day the answer (or the denial) was given."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Privacy officer who recorded the request.",
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["custodian_agency", "status"], name="sharing_dsr_queue_idx"),
        ]
        constraints = [
            on_field(
                "due_on",
                models.CheckConstraint(
                    condition=models.Q(due_on__isnull=True)
                    | models.Q(due_on__gte=models.F("received_on")),
                    name="sharing_dsr_due_after_receipt",
                    violation_error_message="The answer cannot be due before the request came.",
                ),
            ),
            on_field(
                "answered_on",
                models.CheckConstraint(
                    condition=(
                        models.Q(status__in=["answered", "denied"], answered_on__isnull=False)
                        & models.Q(answered_on__gte=models.F("received_on"))
                    )
                    | models.Q(status__in=["received", "in_progress"], answered_on__isnull=True),
                    name="sharing_dsr_answered_on",
                    violation_error_message="An answered or denied request has the day of its "
                    "answer, on or after the day it came; an open one has none.",
                ),
            ),
            on_field(
                "denial_reason",
                models.CheckConstraint(
                    condition=~models.Q(status="denied") | ~models.Q(denial_reason=""),
                    name="sharing_dsr_denial_reason",
                    violation_error_message="A denial gives its reason.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("sharing_subjects:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)


class DataSubjectIdentifier(models.Model):
    """One identifier the data subject gave, as a keyed hash only: the report matches it
    against :class:`DisclosureSubject` rows."""

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.PROTECT,
        related_name="identifiers",
        help_text="Data-subject request the identifier was given for.",
    )
    kind = models.CharField(
        max_length=16, choices=SUBJECT_KIND_CHOICES, help_text="Kind of identifier hashed."
    )
    keyed_hash = models.CharField(
        max_length=64,
        db_index=True,
        validators=[RegexValidator(HEX64, "A keyed hash is 64 lowercase hexadecimal digits.")],
        help_text="Keyed hash (64 hex digits) of the normalized identifier; never the value.",
    )
    hint = models.CharField(
        max_length=40,
        help_text="A masked hint to tell requests apart (initials and birth year, or the "
        "last three characters); never the identifier.",
    )

    class Meta:
        ordering = ["request", "kind", "pk"]
        constraints = [
            on_field(
                "keyed_hash",
                models.UniqueConstraint(
                    fields=["request", "kind", "keyed_hash"],
                    name="sharing_dsr_identifier_unique",
                    violation_error_message="This identifier is on the request already.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hint}"


# --- 28 C.F.R. § 23.20(h): review of disseminated criminal intelligence ---------------------


class DisclosureReview(TimeStampedModel):
    """The review a disclosure's review date calls for (28 C.F.R. § 23.20(h)): flagged by
    the daily job when ``review_due`` is reached, then recorded by a privacy officer —
    retain, with a justification and the next review date (within five years), or purge."""

    class Outcome(models.TextChoices):
        PENDING = "", "Waiting for review"
        RETAIN = "retain", "Retained (validated)"
        PURGE = "purge", "Purged"

    disclosure = models.ForeignKey(
        Disclosure,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="Disclosure under review.",
    )
    due_on = models.DateField(help_text="The review date that was reached.")
    flagged_on = models.DateField(help_text="Day the daily job flagged the review as due.")
    outcome = models.CharField(
        max_length=8,
        choices=Outcome.choices,
        blank=True,
        default=Outcome.PENDING,
        help_text="Retain or purge; empty while waiting for the privacy officer.",
    )
    justification = models.TextField(
        blank=True, help_text="Why the information is retained, or purged, in the reviewer's words."
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Next review date when retained (within five years)."
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Privacy officer who recorded the outcome.",
    )
    reviewed_on = models.DateField(null=True, blank=True, help_text="Day the outcome was recorded.")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            on_field(
                "due_on",
                models.UniqueConstraint(
                    fields=["disclosure", "due_on"],
                    name="sharing_disclosure_review_once",
                    violation_error_message="This review date of the disclosure is flagged already.",
                ),
            ),
            on_field(
                "next_review_due",
                models.CheckConstraint(
                    condition=(models.Q(outcome="retain") & models.Q(next_review_due__isnull=False))
                    | (~models.Q(outcome="retain") & models.Q(next_review_due__isnull=True)),
                    name="sharing_disclosure_review_next",
                    violation_error_message="A retained disclosure gets its next review date; "
                    "no other outcome has one.",
                ),
            ),
            on_field(
                "justification",
                models.CheckConstraint(
                    condition=models.Q(outcome="") | ~models.Q(justification=""),
                    name="sharing_disclosure_review_justified",
                    violation_error_message="A review outcome gives its justification.",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Review of disclosure {self.disclosure_id} due {self.due_on}"

    def get_absolute_url(self) -> str:
        return reverse("sharing_subjects:review_detail", args=[self.pk])

    @property
    def pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING
