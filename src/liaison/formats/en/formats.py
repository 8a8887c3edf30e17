"""The one date and time format of the product, whatever the page.

Dates read ``Dec 1, 2026``; times are 24-hour and always carry their zone
(``Dec 1, 2026, 01:39 CST``), so nobody has to guess which clock a time is on.
Templates use the ``day``, ``when`` and ``when_utc`` filters
(:mod:`liaison.core.templatetags.when`); these formats cover a date or time
rendered without them (``{{ value }}``) and the admin-style widgets.
"""

DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i T"
SHORT_DATETIME_FORMAT = "M j, Y, H:i T"
TIME_FORMAT = "H:i T"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "M Y"
FIRST_DAY_OF_WEEK = 0
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
