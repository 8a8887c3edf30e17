"""One rule for dates and times on every page: zone-labelled, one format."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.template import Context, Template
from django.test import Client

from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.ledger.services import ledger_append

TEMPLATES = Path(__file__).resolve().parents[2]


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_a_date_reads_month_day_year_in_the_one_format():
    assert render("{{ d|day }}", d=date(2026, 12, 1)) == (
        '<time datetime="2026-12-01">Dec 1, 2026</time>'
    )


def test_a_time_is_shown_in_the_deployment_zone_and_says_which():
    moment = datetime(2026, 12, 1, 7, 39, 20, tzinfo=UTC)
    assert render("{{ t|when }}", t=moment) == (
        '<time datetime="2026-12-01T07:39:20+00:00">Dec 1, 2026, 01:39 CST</time>'
    )


def test_a_summer_time_is_labelled_with_daylight_time():
    assert "10:00 CDT" in render("{{ t|when }}", t=datetime(2026, 7, 1, 15, tzinfo=UTC))


def test_a_ledger_time_is_shown_in_utc_and_labelled_utc():
    moment = datetime(2026, 12, 1, 7, 39, 20, tzinfo=UTC)
    assert ">Dec 1, 2026, 07:39:20 UTC<" in render("{{ t|when_utc }}", t=moment)


def test_a_time_counts_by_its_local_date_when_shown_as_a_day():
    # 03:00 UTC on Dec 2 is still Dec 1 in Minnesota.
    assert ">Dec 1, 2026<" in render("{{ t|day }}", t=datetime(2026, 12, 2, 3, tzinfo=UTC))


def test_nothing_renders_as_empty_so_a_default_can_follow():
    assert render('{{ d|day|default:"present" }}', d=None) == "present"
    assert render('{{ t|when|default:"never" }}', t=None) == "never"


def test_a_date_rendered_without_a_filter_uses_the_same_format():
    assert render("{{ d }}", d=date(2026, 12, 1)) == "Dec 1, 2026"
    assert render("{{ t }}", t=datetime(2026, 12, 1, 7, 39, tzinfo=UTC)) == "Dec 1, 2026, 01:39 CST"


def test_no_template_formats_a_date_its_own_way():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\|\s*(date|time)\s*:", line)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_ledger_entry_page_shows_the_same_instant_as_its_proof():
    oversight = make_user(Role.OVERSIGHT)
    with time_machine.travel(datetime(2026, 12, 1, 7, 39, 20, tzinfo=UTC), tick=False):
        ledger_append(actor=oversight, action="agreement.activate", object_type="x", object_id=1)
    client = Client()
    client.force_login(oversight)
    page = client.get("/ledger/entries/0/").content.decode()
    proof = json.loads(client.get("/ledger/entries/0/proof.json").content)
    assert proof["entry"]["recorded_at"].startswith("2026-12-01T07:39:20")
    assert "Dec 1, 2026, 07:39:20 UTC" in page
    assert "01:39" not in page


def test_log_lines_carry_utc_times_labelled_z():
    import logging

    from django.conf import settings

    from liaison.core.logging import UtcFormatter

    assert settings.LOGGING["formatters"]["plain"]["()"] == "liaison.core.logging.UtcFormatter"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.created = datetime(2026, 12, 1, 7, 39, 20, tzinfo=UTC).timestamp()
    record.msecs = 0
    line = UtcFormatter(fmt="%(asctime)s %(message)s").format(record)
    assert line == "2026-12-01T07:39:20.000Z hello"
