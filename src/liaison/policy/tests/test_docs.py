"""The published schemas and the docs' tables stay equal to the code."""

from __future__ import annotations

from liaison.policy import docs
from liaison.policy.schemas import DOCS, decision_schema, render, request_schema


def test_the_schema_files_in_docs_are_the_generated_ones() -> None:
    assert (DOCS / "request.schema.json").read_text() == render(request_schema())
    assert (DOCS / "decision.schema.json").read_text() == render(decision_schema())


def test_the_generated_pages_in_docs_are_current() -> None:
    for name, text in docs.pages().items():
        assert (DOCS / name).read_text() == text, f"run python -m liaison.policy.docs ({name})"
