"""Authentication backend for Liaison's accounts.

Sign-in locks are enforced by :func:`liaison.accounts.services.login_authenticate`
before a password is checked, not here: this backend also authenticates every request
of a live session, and a lock must never end the session of someone who is signed in
(the failed attempts may not be theirs). Inactive accounts are refused, as by Django.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class LockoutAwareBackend(ModelBackend):
    """Django's model backend; kept by name so settings and sessions stay valid."""
