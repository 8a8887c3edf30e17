"""Shared fixtures for the browser tests: Debian's Chromium driven by Playwright.

Every test under ``tests/browser`` is marked ``browser``. The app runs in pytest-django's
``live_server`` (a real HTTP server on a thread, static files served from the finders),
the browser is launched once per session from ``/usr/bin/chromium`` — never downloaded.

Fixtures:

* ``page`` — a fresh browser context and page whose base URL is the live server.
* ``phone_page`` — the same at a phone's viewport (390×844, touch).
* ``make_user(role, agency_abbreviation=None)`` — an agency and an active user of that role.
* ``login(page, username, password=DEMO_PASSWORD)`` — sign in through the form.
* ``axe_violations(page)`` — serious and critical WCAG 2.1 A/AA violations on the page.
* ``console_errors`` — browser console errors of the current test (CSP violations show here).
* ``set_phone_viewport(page)`` — resize an open page to the phone viewport.

Each browser test starts from the fresh test database's rows (data-migration vocabularies
included), restored from a snapshot; see ``restore_migration_data`` in the root conftest.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between browser steps are still synchronous, so Django's guard is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "liaison-demo-2026"
PHONE = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _keep_migration_data(restore_migration_data: None) -> None:
    """The live server needs real (transactional) commits, and each such test ends by
    emptying every table — including the vocabularies data migrations load. They are
    put back before each browser test (``restore_migration_data``, root conftest)."""


@pytest.fixture(scope="session")
def playwright(django_db_setup: None) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # CI machines are shared and slow at times: wait longer than Playwright's 5 s.
    expect.set_options(timeout=10_000)
    with sync_playwright() as pw:
        _keep_database_connections()
        yield pw


def _keep_database_connections() -> None:
    """Keep using the database connections the test database was set up with.

    Playwright's sync API leaves an event loop marked as running in this thread, and
    Django's per-thread connection store then switches to a per-context store: the
    next query would open a *new* connection object, without the state pytest-django
    keeps on the original (the serialized contents that restore data-migration rows
    after each transactional test). Copy the originals into the new store.
    """
    from django.db import connections

    store = connections._connections  # asgiref Local(thread_critical=True)
    thread_local = object.__getattribute__(store, "_storage")
    for alias in connections:
        original = getattr(thread_local, alias, None)
        if original is not None:
            setattr(store, alias, original)


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Run `make chromium` (it runs apt-get install chromium).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    return []


def _new_page(browser: Any, live_server: Any, console_errors: list[str], **options: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, locale="en-US", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    return page


@pytest.fixture
def page(browser: Any, live_server: Any, console_errors: list[str]) -> Iterator[Any]:
    page = _new_page(browser, live_server, console_errors)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any, console_errors: list[str]) -> Iterator[Any]:
    page = _new_page(
        browser, live_server, console_errors, viewport=PHONE, is_mobile=True, has_touch=True
    )
    yield page
    page.context.close()


@pytest.fixture
def set_phone_viewport() -> Callable[[Any], None]:
    """Resize an open page to a phone's viewport."""

    def resize(page: Any) -> None:
        page.set_viewport_size(PHONE)

    return resize


_counter = itertools.count(1)


@pytest.fixture
def make_user(transactional_db: None) -> Callable[..., Any]:
    """Create an active user of ``role`` in an agency (created when missing).

    ``agency_abbreviation`` picks or creates the agency; by default a state agency.
    The password is the demo password, so ``login(page, user.username)`` works.
    """
    from liaison.accounts.models import User
    from liaison.core.roles import Role
    from liaison.directory.models import Agency, Jurisdiction

    def make(
        role: str | Role,
        agency_abbreviation: str | None = None,
        *,
        username: str | None = None,
        password: str = DEMO_PASSWORD,
        first_name: str = "Pat",
        last_name: str | None = None,
        level: str | None = None,
    ) -> User:
        role = Role(role)
        abbreviation = agency_abbreviation or ("HSI" if role == Role.PARTNER else "BCA")
        federal = level == "federal" or (level is None and role == Role.PARTNER)
        if federal:
            jurisdiction, _ = Jurisdiction.objects.get_or_create(
                kind=Jurisdiction.Kind.FEDERAL, state="", name="United States"
            )
        else:
            jurisdiction, _ = Jurisdiction.objects.get_or_create(
                kind=Jurisdiction.Kind.STATE, state="MN", name="Minnesota"
            )
        agency = Agency.objects.filter(abbreviation=abbreviation).first()
        if agency is None:
            agency = Agency.objects.create(
                name=f"{abbreviation} Test Agency",
                abbreviation=abbreviation,
                level=Agency.Level.FEDERAL if federal else Agency.Level.STATE,
                jurisdiction=jurisdiction,
            )
        n = next(_counter)
        user = User(
            username=username or f"{role.value.replace('_', '')}{n}",
            first_name=first_name,
            last_name=last_name or f"{role.label.split()[0]}{n}",
            email=f"user{n}@example.test",
            role=role.value,
            agency=agency,
        )
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def login() -> Callable[..., None]:
    """Sign in through the login form and wait for the next page."""

    def do_login(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert "/accounts/login/" not in page.url, f"sign-in as {username} failed"

    return do_login


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            f"{AXE} is missing: run `npm ci` (or `make install`) to get axe-core.",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations() -> Callable[..., list[dict[str, Any]]]:
    """Run axe-core on the page; return serious/critical WCAG 2.1 A/AA violations.

    axe is evaluated through the DevTools protocol, so the page's Content-Security-Policy
    stays on during the test.
    """
    source = _axe_source()

    def run(page: Any, *, context: str | None = None) -> list[dict[str, Any]]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(f"{source}\n;void 0")
        result: dict[str, Any] = page.evaluate(
            """async ([context, tags]) => await window.axe.run(context || document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            })""",
            [context, WCAG_TAGS],
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return run
