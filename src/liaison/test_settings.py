"""Settings for the test suite: the ``test`` profile of :mod:`liaison.settings`."""

import os

os.environ.setdefault("LIAISON_PROFILE", "test")

from liaison.settings import *  # noqa: F403
