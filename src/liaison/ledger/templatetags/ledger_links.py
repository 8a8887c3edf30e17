"""``{% access_log_link obj %}``: on a record's page, a link to the access log filtered
to that record, for those who may see who read it (privacy officer, oversight, admin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from liaison.ledger.selectors import can_see_reads

register = template.Library()


@register.simple_tag(takes_context=True)
def access_log_link(context: dict[str, Any], obj: Any = None) -> SafeString | str:
    if not isinstance(obj, Model) or not can_see_reads(context.get("user")):
        return ""
    query = urlencode({"record_type": obj._meta.label_lower, "record_id": obj.pk})
    return format_html(
        '<p><a class="usa-link" href="{}?{}" data-testid="access-log-link">'
        "Who read this record: the access log</a></p>",
        reverse("ledger:access_log"),
        query,
    )
