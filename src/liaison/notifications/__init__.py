"""Notifications to users (in the app and by email) and the record of periodic job slots."""
