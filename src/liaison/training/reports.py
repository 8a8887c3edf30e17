"""The roster compliance report of a task force, as CSV rows and as a PDF.

Both list each person of the current roster × each requirement that applies to them,
with its state (current, expiring within 30 days, expired, missing, overridden) and the
reason; the PDF adds the day it was generated and a count of each state. Reads only.

The PDF is tagged enough to be read aloud: a document title shown by the viewer, the
language, the heading tagged ``/H1``, and the table's header cells tagged ``/TH``
and repeated at the top of every page.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.utils import timezone
from fpdf import FPDF

from liaison.core.dates import day_text, when_text
from liaison.training.readiness import STATE_LABELS, RosterLine

HEADER = (
    "person_id",
    "person",
    "agency",
    "role",
    "course_code",
    "course",
    "basis",
    "status",
    "expires_on",
    "reason",
)
PDF_COLUMNS = ("Person", "Agency", "Role", "Course", "Basis", "State", "Reason")
PDF_WIDTHS = (16, 8, 12, 20, 10, 10, 24)  # shares of the page width, per column
NO_REQUIREMENT = "No requirement"


def roster_rows(lines: Sequence[RosterLine]) -> Iterator[list[Any]]:
    """One row per person × requirement (one row for a person with none), in ``HEADER``
    order."""
    for line in lines:
        person = line.assignment.person
        who = [person.pk, str(person), person.agency.abbreviation or person.agency.name]
        if not line.statuses:
            yield [*who, line.assignment.role, "", "", "", NO_REQUIREMENT, "", ""]
        for status in line.statuses:
            course = status.requirement.course
            yield [
                *who,
                line.assignment.role,
                course.code,
                course.title,
                status.requirement.get_basis_display(),
                status.label,
                status.expires_on.isoformat() if status.expires_on else "",
                status.reason,
            ]


def state_counts(lines: Sequence[RosterLine]) -> list[tuple[str, int]]:
    """How many person × requirement lines are in each state, every state named."""
    counts = Counter(s.state for line in lines for s in line.statuses)
    return [(label, counts.get(state, 0)) for state, label in STATE_LABELS.items()]


_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def _latin1(text: str) -> str:
    """``text`` in the PDF core fonts' Latin-1: punctuation made plain, other letters
    without their accents when they have no Latin-1 form, '?' for the rest."""
    text = text.translate(_PLAIN)
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


class _Report(FPDF):
    """FPDF with the structure tags the report uses, the table's column headings at the
    top of every page after the first (``header``) and a page footer."""

    columns_on = False

    def header(self) -> None:
        if self.columns_on:
            self.column_headings()

    def column_headings(self) -> None:
        """The table's header row, each cell tagged ``/TH``."""
        self.set_font("helvetica", style="B", size=8)
        self.set_fill_color(220, 224, 229)
        total = sum(PDF_WIDTHS)
        for name, share in zip(PDF_COLUMNS, PDF_WIDTHS, strict=True):
            with self.tagged("/TH"):
                self.cell(self.epw * share / total, 7, name, border=1, fill=True)
        self.ln(7)
        self.set_font("helvetica", size=8)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    @contextmanager
    def tagged(self, struct_type: str, **kwargs: Any) -> Iterator[None]:
        """Mark what is drawn inside as one structure element (``/H1``, ``/TH``, ``/P``)."""
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=struct_type, mcid=mcid, **kwargs)
        self._out(f"/{struct_type.lstrip('/')} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")


def roster_pdf(
    *, title: str, lines: Sequence[RosterLine], generated_at: datetime | None = None
) -> bytes:
    """The roster compliance report of ``lines`` (a task force's current roster) as PDF."""
    generated_at = generated_at or timezone.now()
    pdf = _Report(orientation="landscape", format="letter")
    pdf.set_title(_latin1(title))
    pdf.set_lang("en-US")
    pdf.set_creator("Liaison")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=16)
    with pdf.tagged("/H1", title=_latin1(title)):
        pdf.multi_cell(0, 9, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    people = len(lines)
    with pdf.tagged("/P"):
        pdf.multi_cell(
            0,
            6,
            _latin1(
                f"Generated {when_text(generated_at)} for readiness on "
                f"{day_text(timezone.localtime(generated_at))}. "
                f"{people} {'person' if people == 1 else 'people'} on the current roster."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    with pdf.tagged("/P"):
        summary = "; ".join(f"{label}: {n}" for label, n in state_counts(lines))
        pdf.multi_cell(0, 6, _latin1(f"Requirements by state - {summary}."), new_x="LMARGIN")
    pdf.ln(3)
    pdf.column_headings()
    pdf.columns_on = True
    with pdf.table(
        col_widths=PDF_WIDTHS,
        first_row_as_headings=False,
        line_height=4.5,
        text_align="LEFT",
    ) as table:
        for row in roster_rows(lines):
            _, person, agency, role, code, course, basis, state, expires, reason = row
            cells = [
                person,
                agency,
                role,
                f"{code} {course}".strip(),
                str(basis).split(" (")[0],
                state + (f" (last day {expires})" if expires else ""),
                reason,
            ]
            out = table.row()
            for value in cells:
                out.cell(_latin1(str(value)))
    return bytes(pdf.output())
