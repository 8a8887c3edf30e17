"""Settings for the test suite: the ``test`` profile of :mod:`liaison.settings`."""

import os

os.environ.setdefault("LIAISON_PROFILE", "test")

from liaison.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The test database is a file, not memory, so that a real worker process started by
    # the worker tests can open it. One directory per test process (pytest-xdist adds
    # its own suffix), removed at exit, so concurrent runs never share a database.
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    _TEST_DB_DIR = tempfile.mkdtemp(prefix="liaison-test-")
    atexit.register(shutil.rmtree, _TEST_DB_DIR, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_TEST_DB_DIR) / "test.sqlite3")}  # noqa: F405

# A worker process started by a test writes mail to files the test reads.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")

if os.environ.get("LIAISON_TEST_PERIODIC_TASKS"):
    # A worker process started by a test runs the periodic jobs that test chooses.
    import json

    LIAISON_PERIODIC_TASKS = [
        (path, int(interval))
        for path, interval in json.loads(os.environ["LIAISON_TEST_PERIODIC_TASKS"])
    ]

# WhiteNoise looks a static file up when it is asked for, instead of listing every file of
# the front-end packages each time a test client starts its middleware (thousands of
# files, about a second per client).
WHITENOISE_AUTOREFRESH = True
