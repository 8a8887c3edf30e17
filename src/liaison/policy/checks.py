"""``liaison check --deploy``: the shipped rule packs load, validate and pass their cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register

from liaison.policy.packs import BadPack, shipped


@register("policy", deploy=True)
def check_rule_packs(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    from liaison.policy.cases import policies_without_case, run_cases

    try:
        library = shipped()
        failed = [r for r in run_cases(library) if not r.passed]
        missing = policies_without_case(library)
    except BadPack as exc:
        return [Error(f"A rule pack is refused: {exc.message}", id="liaison.E101")]
    errors: list[CheckMessage] = [
        Error(
            f"The case {r.file} fails: {'; '.join(r.problems)}",
            hint="Run `liaison policy test`.",
            id="liaison.E102",
        )
        for r in failed
    ]
    errors += [
        Error(
            f"The policy {p} has no case.", hint="Add one to its pack's cases/.", id="liaison.E103"
        )
        for p in missing
    ]
    return errors
