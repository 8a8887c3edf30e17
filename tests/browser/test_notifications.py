"""The notification bell, the notifications page and the jobs page in a real browser."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def notify(user: Any, *subjects: str) -> None:
    from liaison.notifications.services import notification_send

    for i, subject in enumerate(subjects):
        notification_send(
            recipients=[user], key=f"test:{i}", subject=subject, body="Details.", email=False
        )


def test_the_bell_counts_unread_notifications_and_reading_one_lowers_it(
    page: Any, make_user: Any, login: Any, axe_violations: Any, console_errors: list[str]
) -> None:
    user = make_user("coordinator")
    notify(user, "Agreement #4 ends in 30 days", "Report due Jan 5")
    login(page, user.username)

    bell = page.get_by_role("link", name="Notifications, 2 unread")
    expect(bell).to_be_visible()
    bell.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark read: Report due Jan 5").click()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_role("link", name="Notifications, 0 unread")).to_be_visible()
    assert console_errors == []


def test_the_bell_is_reachable_on_a_phone(
    phone_page: Any, make_user: Any, login: Any, set_phone_viewport: Any
) -> None:
    user = make_user("officer")
    notify(user, "Training expires soon")
    login(phone_page, user.username)
    phone_page.get_by_role("button", name="Menu").click()

    expect(phone_page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()


def test_the_jobs_page_is_accessible(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    from liaison.core.schedule import Scheduler

    Scheduler().tick()
    admin = make_user("admin")
    login(page, admin.username)
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Jobs"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Background jobs")
    expect(page.get_by_test_id("periodic-jobs")).to_contain_text("send_pending_emails")
    assert axe_violations(page) == []
