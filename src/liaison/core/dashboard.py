"""What the home page and the navigation offer each role: the modules relevant to what
they do.

A module appears once its URL namespace is installed, linked to its page (``url_name``,
or the namespace's root page). The home page's module cards and the primary
navigation both come from :func:`modules_for`, so they always agree. This only
decides what is *offered*; what a user may see inside a module is decided there, by
role, agency and sharing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse

from liaison.core.roles import Role

R = Role


@dataclass(frozen=True)
class Module:
    namespace: str
    title: str
    description: str
    roles: frozenset[Role]
    url_name: str = ""
    """The page the module opens on; empty: the namespace's root page."""


ALL_STAFF = frozenset(Role) - {R.PARTNER}
MODULES: tuple[Module, ...] = (
    Module(
        "directory",
        "Directory",
        "Agencies, task forces, personnel and liaison contacts.",
        frozenset(Role),
    ),
    Module(
        "agreements",
        "Agreements",
        "MOUs and 287(g) agreements, amendments, expiry dates and what they cover.",
        # Every role reads the agreements its agency is party to.
        frozenset(Role),
    ),
    Module(
        "sharing",
        "Information sharing",
        "Requests for information, decisions with their legal basis, and disclosures.",
        frozenset(
            {R.PARTNER, R.PRIVACY_OFFICER, R.LEGAL_COUNSEL, R.COORDINATOR, R.OVERSIGHT, R.ADMIN}
        ),
    ),
    Module(
        "sharing_subjects",
        "Data-subject requests",
        "People's requests to learn what was disclosed about them, due dates, and the "
        "five-year reviews of disclosed criminal intelligence.",
        frozenset({R.PRIVACY_OFFICER, R.OVERSIGHT, R.ADMIN}),
        url_name="sharing_subjects:index",
    ),
    Module(
        "operations",
        "Joint operations",
        "Plans, deconfliction, legal review, approval and after-action reviews.",
        frozenset({R.COORDINATOR, R.OFFICER, R.SUPERVISOR, R.LEGAL_COUNSEL, R.OVERSIGHT, R.ADMIN}),
    ),
    Module(
        "incidents",
        "Incidents",
        "Incident reports, response deadlines, notifications and reviews.",
        frozenset(
            {
                R.COORDINATOR,
                R.OFFICER,
                R.SUPERVISOR,
                R.LEGAL_COUNSEL,
                R.PRIVACY_OFFICER,
                R.OVERSIGHT,
                R.ADMIN,
            }
        ),
    ),
    Module(
        "training",
        "Training",
        "Required courses, completions, expiry and readiness for assignments.",
        frozenset({R.OFFICER, R.SUPERVISOR, R.COORDINATOR, R.OVERSIGHT, R.ADMIN}),
    ),
    Module(
        "community",
        "Complaints and community",
        "Public complaints, conduct cases, engagement events and language services.",
        frozenset({R.INVESTIGATOR, R.COORDINATOR, R.SUPERVISOR, R.OVERSIGHT, R.ADMIN}),
    ),
    Module(
        "policy",
        "Rule packs",
        "The state and federal rules applied to every request, with their citations.",
        # The packs are public law: every role reads them.
        frozenset(Role),
    ),
    Module(
        "oversight",
        "Oversight",
        "Activity reports, audits, findings and corrective actions.",
        frozenset({R.OVERSIGHT, R.SUPERVISOR, R.ADMIN}),
    ),
    Module(
        "ledger",
        "Ledger",
        "Every consequential action, with signed checkpoints anyone can verify.",
        frozenset({R.OVERSIGHT, R.ADMIN}),
        url_name="ledger:entry_list",
    ),
    Module(
        "ledger",
        "Access log",
        "Who read which private record, when and on whose behalf.",
        frozenset({R.PRIVACY_OFFICER, R.OVERSIGHT, R.ADMIN}),
        url_name="ledger:access_log",
    ),
    Module(
        "notifications",
        "Jobs",
        "The worker's scheduled and queued jobs, and any that gave up.",
        frozenset({R.OVERSIGHT, R.ADMIN}),
        url_name="notifications:jobs",
    ),
    Module(
        "accounts",
        "Accounts",
        "Users, their roles and agencies, sign-in and tokens.",
        frozenset({R.ADMIN}),
        url_name="accounts:user_list",
    ),
    Module(
        "transparency",
        "Public transparency",
        "What the public sees: statistics, open data and the annual report.",
        ALL_STAFF,
    ),
)


@dataclass(frozen=True)
class Link:
    title: str
    description: str
    url: str


def module_url(namespace: str) -> str | None:
    """The root page of an installed URL namespace, or ``None`` when there is none."""
    entry = get_resolver().namespace_dict.get(namespace)
    if entry is None:
        return None
    url = "/" + entry[0].lstrip("^")
    try:
        resolve(url)
    except Resolver404:
        return None
    return url


def _url_of(module: Module) -> str | None:
    if not module.url_name:
        return module_url(module.namespace)
    try:
        return reverse(module.url_name)
    except NoReverseMatch:
        return None


def modules_for(role: str) -> list[Link]:
    """The installed modules relevant to ``role``, in a stable order."""
    try:
        wanted = Role(role)
    except ValueError:
        return []
    links = []
    for module in MODULES:
        if wanted not in module.roles:
            continue
        url = _url_of(module)
        if url is not None:
            links.append(Link(module.title, module.description, url))
    return links
