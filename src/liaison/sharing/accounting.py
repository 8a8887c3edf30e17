"""The accounting of disclosures (Privacy Act-style, 5 U.S.C. 552a(c); 28 C.F.R. § 23.20(g)):
for each disclosure its date, nature (categories and fields), purpose and recipient,
filtered by recipient, disclosing agency, purpose, category and dates.

Built on the disclosures list the user may see (``selectors.disclosure_list_for_user``),
so the accounting never holds a row the disclosures page would not show: a partner sees
what their own agency received, the custodian's staff what their agencies disclosed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from liaison.sharing.models import Disclosure
from liaison.sharing.selectors import disclosure_list_for_user
from liaison.sharing.selectors_subjects import nature_of

HEADER = [
    "disclosed_on",
    "request",
    "disclosing_agency",
    "nature",
    "purpose",
    "recipient_agency",
    "recipient",
    "channel",
    "basis",
]


def accounting_for_user(
    *,
    user: Any,
    recipient: int | None = None,
    custodian: int | None = None,
    purpose: str = "",
    category: str = "",
    disclosed_from: date | None = None,
    disclosed_to: date | None = None,
) -> QuerySet[Disclosure]:
    """Disclosures ``user`` may see, newest first, filtered."""
    qs = disclosure_list_for_user(user=user).select_related(
        "request__custodian_agency", "recipient_agency"
    )
    if recipient is not None:
        qs = qs.filter(recipient_agency_id=recipient)
    if custodian is not None:
        qs = qs.filter(request__custodian_agency_id=custodian)
    if purpose:
        qs = qs.filter(request__purpose=purpose)
    if category:
        # The categories are a JSON list of codes; a code never contains a quote.
        qs = qs.filter(categories__icontains=f'"{category}"')
    if disclosed_from is not None:
        qs = qs.filter(disclosed_on__gte=disclosed_from)
    if disclosed_to is not None:
        qs = qs.filter(disclosed_on__lte=disclosed_to)
    return qs.order_by("-disclosed_on", "-pk")


def csv_rows(disclosures: Iterable[Disclosure]) -> Iterator[list[object]]:
    for d in disclosures:
        yield [
            d.disclosed_on.isoformat(),
            d.request.reference,
            d.request.custodian_agency.name,
            nature_of(d),
            d.request.get_purpose_display(),
            d.recipient_agency.name,
            d.recipient_name,
            d.get_channel_display(),
            d.basis,
        ]
