"""Periodic account sweeps, run by the worker. Both are idempotent."""

from __future__ import annotations

from django_tasks import task

from liaison.accounts.services import login_attempts_prune, users_disable_inactive


@task()
def disable_inactive_accounts() -> int:
    """CJIS: disable accounts with no activity for 90 days. Returns how many were disabled."""
    return users_disable_inactive()


@task()
def prune_login_attempts() -> int:
    """Forget logon attempts older than a day (the ledger keeps the record)."""
    return login_attempts_prune()
