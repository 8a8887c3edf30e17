"""A refused edit page records the refusal only: it showed nothing of the record, so no
read is recorded (a reload used to write two entries per request)."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.core.roles import Role
from liaison.ledger.models import Entry
from liaison.personas import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("kind", "records"), [("personnel", "people"), ("contacts", "contacts")])
def test_a_refused_edit_page_writes_one_entry_and_no_read(
    world: World, client_as: Any, kind: str, records: str
) -> None:
    client = client_as(Role.PARTNER)
    refused = 0
    for record in getattr(world, records).values():
        before = Entry.objects.count()
        response = client.get(f"/directory/{kind}/{record.pk}/edit/")
        written = list(Entry.objects.filter(seq__gte=before).values_list("action", flat=True))
        if response.status_code == 403:
            refused += 1
            assert written == ["permission.deny"], record
    assert refused >= 1
