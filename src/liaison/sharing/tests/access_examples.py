"""How the generated rule matrix tries each sharing action (see ``liaison.personas.Example``)."""

from __future__ import annotations

from liaison.personas import Example
from liaison.sharing.tests.access_examples_subjects import EXAMPLES as SUBJECT_EXAMPLES

EXAMPLES: dict[str, Example] = {**SUBJECT_EXAMPLES}
