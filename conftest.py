"""Shared test setup: the ``test`` settings profile."""

import os

os.environ.setdefault("LIAISON_PROFILE", "test")
