"""The pack browser: every rule pack, policy and case, read-only, for every signed-in role.

Thin: each view asks one selector (:mod:`liaison.policy.selectors`) and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from liaison.policy import selectors
from liaison.policy.cases import case_summaries
from liaison.policy.packs import Pack, Policy, shipped

EFFECTS = {
    "decide": "",
    "needs_review": "needs_review",
    "adds_review": "sends to review",
    "adds_obligations": "adds obligations",
}


def effect(policy: Policy) -> str:
    """permit, forbid or needs_review; a permit that authorizes nothing says what it does."""
    if policy.effect == "forbid":
        return "forbid"
    return EFFECTS[policy.outcome] or "permit"


def applies_to(pack: Pack) -> str:
    """The custodians' jurisdiction that brings the pack in, in words."""
    if not pack.applies_to:
        return "Every custodian"
    only = {"city": "county and state agencies only", "county": "state agencies only"}
    parts = []
    for key, names in pack.applies_to.items():
        if names is None:
            parts.append(f"{key.capitalize()}: none ({only.get(key, 'agencies without one')})")
        else:
            parts.append(f"{key.capitalize()}: {' or '.join(names)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Version:
    pack: Pack
    until: date | None  # the last day it decides, when a later version replaces it
    status: str  # "In effect", "Staged", "Replaced"


def _version(pack: Pack, today: date) -> Version:
    after = shipped().until(pack)
    until = after - timedelta(days=1) if after else None
    if pack.effective > today:
        status = "Staged"
    elif after is not None and after <= today:
        status = "Replaced"
    else:
        status = "In effect"
    return Version(pack, until, status)


@login_required
def pack_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    versions = [_version(p, today) for p in selectors.pack_list_for_user(user=request.user)]
    rows = [(v, applies_to(v.pack)) for v in versions]
    return render(request, "policy/pack_list.html", {"rows": rows, "today": today})


@login_required
def pack_detail(request: HttpRequest, name: str, version: str) -> HttpResponse:
    pack = selectors.pack_get_for_user(user=request.user, name=name, version=version)
    today = timezone.localdate()
    return render(
        request,
        "policy/pack_detail.html",
        {
            "version": _version(pack, today),
            "applies_to": applies_to(pack),
            "policies": [(p, effect(p)) for p in pack.policies],
            "cases": case_summaries(pack),
            "others": [
                _version(p, today)
                for p in selectors.pack_list_for_user(user=request.user)
                if p.name == pack.name and p.version != pack.version
            ],
        },
    )


@login_required
def policy_detail(request: HttpRequest, name: str, version: str, policy_id: str) -> HttpResponse:
    pack, policy = selectors.policy_get_for_user(
        user=request.user, name=name, version=version, policy_id=policy_id
    )
    return render(
        request,
        "policy/policy_detail.html",
        {
            "pack": pack,
            "policy": policy,
            "effect": effect(policy),
            "fields": sorted(policy.fields) if policy.fields is not None else None,
            "cases": [c for c in case_summaries(pack) if c.names(policy.id)],
        },
    )
