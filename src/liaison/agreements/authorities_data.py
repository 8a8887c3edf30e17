"""The legal-authority library shipped with Liaison: Minnesota, Wisconsin and federal law.

A digest for engineers and reviewers, not legal advice. Entries whose status is
uncertain carry ``verify_with_counsel=True`` and must be confirmed by counsel before
anyone relies on them. Loaded idempotently (keyed by citation) by
:func:`liaison.agreements.services.legal_authorities_load`.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class AuthorityRow(TypedDict, total=False):
    citation: str
    title: str
    jurisdiction_code: str
    kind: str
    summary: str
    source_url: str
    verify_with_counsel: bool
    effective_date: date | None
    repealed_on: date | None


def _mn(section: str) -> str:
    return f"https://www.revisor.mn.gov/statutes/cite/{section}"


def _wi(section: str) -> str:
    return f"https://docs.legis.wisconsin.gov/document/statutes/{section}"


def _usc(title: int, section: str) -> str:
    return f"https://www.law.cornell.edu/uscode/text/{title}/{section}"


AUTHORITIES: list[AuthorityRow] = [
    # --- Minnesota --------------------------------------------------------------------
    {
        "citation": "Minn. Stat. ch. 13",
        "title": "Minnesota Government Data Practices Act",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Classifies government data. Data on individuals is public, private or "
            "confidential; data not on individuals is public, nonpublic or protected "
            "nonpublic. Private data is open to the subject and to staff whose work "
            "requires it; confidential data is not open even to the subject."
        ),
        "source_url": "https://www.revisor.mn.gov/statutes/cite/13",
    },
    {
        "citation": "Minn. Stat. § 13.03, subd. 1",
        "title": "Presumption that government data is public",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": "All government data is public unless a statute or federal law classifies it otherwise.",
        "source_url": _mn("13.03"),
    },
    {
        "citation": "Minn. Stat. § 13.03, subd. 4",
        "title": "Classification follows the data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": "When data moves between government entities, its classification travels with it.",
        "source_url": _mn("13.03"),
    },
    {
        "citation": "Minn. Stat. § 13.04, subd. 2",
        "title": "Notice when collecting data from a person (Tennessen warning)",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Before asking a person for private or confidential data about themselves, an "
            "entity must say why and how it will be used, whether they may refuse, what "
            "happens if they give or refuse it, and who else may receive it by law. Not "
            "required for investigative questioning under § 13.82, subd. 7."
        ),
        "source_url": _mn("13.04"),
    },
    {
        "citation": "Minn. Stat. § 13.04, subd. 3",
        "title": "A person's right to see data about them",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "A person may learn whether data about them exists and how it is classified, "
            "and inspect it free of charge. The entity answers immediately or within 10 "
            "business days, and need not show the same data again for 6 months unless it changed."
        ),
        "source_url": _mn("13.04"),
    },
    {
        "citation": "Minn. Stat. § 13.05, subd. 4",
        "title": "Limits on using private and confidential data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Private or confidential data is used only for the purposes stated when it was "
            "collected, unless a law authorizes another use or the person gives informed "
            "consent (consent cannot unlock confidential data)."
        ),
        "source_url": _mn("13.05"),
    },
    {
        "citation": "Minn. Stat. § 13.05, subd. 5",
        "title": "Data protection procedures",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Written procedures must make not-public data reachable only by people whose "
            "work assignment reasonably requires it; access logs are how an agency shows this."
        ),
        "source_url": _mn("13.05"),
    },
    {
        "citation": "Minn. Stat. § 13.05, subd. 7",
        "title": "Summary data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": "De-identified summary data must be prepared on request.",
        "source_url": _mn("13.05"),
    },
    {
        "citation": "Minn. Stat. § 13.05, subd. 9",
        "title": "Sharing not-public data with other government entities",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Not-public data goes to another government entity only where state or federal "
            "law authorizes it. A judicial warrant, court order or grand-jury subpoena is the "
            "usual authorizing instrument."
        ),
        "source_url": _mn("13.05"),
    },
    {
        "citation": "Minn. Stat. § 13.055",
        "title": "Breach of security of government data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "After a breach, notify affected people in the most expedient time possible and "
            "without unreasonable delay (delay allowed if police say notice would impede an "
            "investigation); more than 1,000 notices means telling consumer reporting agencies "
            "too; then publish a report. Annual security assessment (subd. 6). Unauthorized "
            "access by staff is itself a breach."
        ),
        "source_url": _mn("13.055"),
    },
    {
        "citation": "Minn. Stat. § 13.82",
        "title": "Comprehensive law enforcement data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Arrest data, request-for-service data and response or incident data are public. "
            "Active criminal investigative data is confidential or protected nonpublic, and "
            "becomes public when inactive, with exceptions."
        ),
        "source_url": _mn("13.82"),
    },
    {
        "citation": "Minn. Stat. § 13.82, subd. 24",
        "title": "Exchange of law enforcement data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "A law enforcement agency may share not-public data with another law enforcement "
            "agency to start or aid an investigation."
        ),
        "source_url": _mn("13.82"),
    },
    {
        "citation": "Minn. Stat. § 299C.055",
        "title": "Annual report on the Minnesota Fusion Center",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "The fusion center publishes a yearly report: who it shares data with, requests "
            "received and technologies used."
        ),
        "source_url": _mn("299C.055"),
    },
    {
        "citation": "Minn. Stat. § 138.17",
        "title": "Records retention schedules",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": "Government records are destroyed only under an approved retention schedule.",
        "source_url": _mn("138.17"),
    },
    {
        "citation": "Minn. Stat. § 171.12, subd. 11",
        "title": "Immigration status data of noncompliant-license applicants (Driver's Licenses for All)",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": (
            "Enacted 2023. Immigration status data of applicants for noncompliant licenses is "
            "private and must not be shared outside the driver-licensing division (and the "
            "Secretary of State for voter records), notwithstanding any other law. Even a court "
            "order goes to counsel."
        ),
        "source_url": _mn("171.12"),
    },
    {
        "citation": "Minn. Stat. § 171.12, subd. 7b",
        "title": "Out-of-state release of noncompliant-license data",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": "Limits sending data on noncompliant licenses out of state.",
        "source_url": _mn("171.12"),
    },
    {
        "citation": "Minn. Dep't of Pub. Safety, DVS data release practice",
        "title": "Warrant or court order required for noncompliant-license data",
        "jurisdiction_code": "MN",
        "kind": "agency_policy",
        "summary": (
            "The Department of Public Safety's stated practice is to require a search warrant "
            "or court order before releasing such data. A practice, not a statute."
        ),
        "verify_with_counsel": True,
    },
    {
        "citation": "Esparza v. Nobles County, No. A18-2011 (Minn. Ct. App. 2019)",
        "title": "No state authority for civil immigration arrests; a hold past release is a new seizure",
        "jurisdiction_code": "MN",
        "kind": "court_decision",
        "summary": (
            "Unpublished decision of the Minnesota Court of Appeals: no Minnesota statute "
            "authorizes state or local officers to arrest for a civil immigration violation, "
            "and holding someone past their release is a new seizure. A hold on an "
            "administrative detainer alone is unlawful in Minnesota."
        ),
        "verify_with_counsel": True,
    },
    {
        "citation": "Minneapolis Code of Ordinances ch. 19, § 19.30",
        "title": "Separation ordinance: no city immigration enforcement",
        "jurisdiction_code": "MN",
        "kind": "ordinance",
        "summary": (
            "No city action to detect immigration status and no arrests for civil immigration "
            "violations; helping federal criminal investigations is allowed but must be "
            "documented. Later amendments (city data and technology, staging on city property, "
            "reporting requests to the Council) have uncertain dates."
        ),
        "source_url": "https://library.municode.com/mn/minneapolis/codes/code_of_ordinances",
        "verify_with_counsel": True,
    },
    {
        "citation": "Saint Paul Administrative Code ch. 44",
        "title": "No immigration status inquiries by city staff",
        "jurisdiction_code": "MN",
        "kind": "ordinance",
        "summary": "City staff, including police, do not inquire about immigration status.",
        "source_url": "https://library.municode.com/mn/st._paul/codes/code_of_ordinances",
    },
    {
        "citation": "Hennepin County Sheriff's Office detainer practice (2014)",
        "title": "Detainer holds honored only with a judicial warrant",
        "jurisdiction_code": "MN",
        "kind": "agency_policy",
        "summary": (
            "The Sheriff's Office stopped honoring immigration detainer holds in 2014 and acts "
            "on judicial warrants only. Current policy uncertain."
        ),
        "verify_with_counsel": True,
    },
    # --- Wisconsin ---------------------------------------------------------------------
    {
        "citation": "Wis. Stat. §§ 19.31–19.39",
        "title": "Wisconsin public records law",
        "jurisdiction_code": "WI",
        "kind": "statute",
        "summary": (
            "Presumption of access to public records. Answer as soon as practicable and "
            "without delay (no fixed deadline); written denials give reasons."
        ),
        "source_url": "https://docs.legis.wisconsin.gov/statutes/statutes/19/II",
    },
    {
        "citation": "Wis. Stat. § 19.35(1)(am)",
        "title": "Access to records about oneself",
        "jurisdiction_code": "WI",
        "kind": "statute",
        "summary": "A person may see records containing information about them, except investigative records.",
        "source_url": _wi("19.35(1)(am)"),
    },
    {
        "citation": "Wis. Stat. § 19.35(5)",
        "title": "No destruction of a requested record",
        "jurisdiction_code": "WI",
        "kind": "statute",
        "summary": "A requested record is kept until the request is granted or 60 days after a denial.",
        "source_url": _wi("19.35(5)"),
    },
    {
        "citation": "Wis. Stat. § 19.36(6)",
        "title": "Separating information",
        "jurisdiction_code": "WI",
        "kind": "statute",
        "summary": "Redact what may be withheld and release the rest.",
        "source_url": _wi("19.36(6)"),
    },
    {
        "citation": "Wis. Stat. § 16.61",
        "title": "Records of state offices",
        "jurisdiction_code": "WI",
        "kind": "statute",
        "summary": "State records are kept and destroyed under Public Records Board schedules.",
        "source_url": _wi("16.61"),
    },
    {
        "citation": "Wis. Stat. § 19.21",
        "title": "Custody and retention of local records",
        "jurisdiction_code": "WI",
        "kind": "statute",
        "summary": (
            "Local records are kept at least 7 years unless the Public Records Board approves "
            "a shorter period."
        ),
        "source_url": _wi("19.21"),
    },
    {
        "citation": "2025 Wis. Assembly Bill 24 / Senate Bill 57",
        "title": "Proposed state immigration-cooperation requirements",
        "jurisdiction_code": "WI",
        "kind": "other",
        "summary": (
            "Bills on local cooperation with federal immigration enforcement. Outcome "
            "uncertain: treat as not law. No Wisconsin statute compels or forbids cooperation "
            "with ICE."
        ),
        "source_url": "https://docs.legis.wisconsin.gov/2025/proposals/ab24",
        "verify_with_counsel": True,
    },
    {
        "citation": "Milwaukee County Sheriff's Office detainer practice (2018)",
        "title": "Immigration detainers not honored",
        "jurisdiction_code": "WI",
        "kind": "agency_policy",
        "summary": "The Sheriff's Office stopped honoring immigration detainers in 2018.",
        "verify_with_counsel": True,
    },
    # --- Federal -----------------------------------------------------------------------
    {
        "citation": "8 U.S.C. § 1357(g)",
        "title": "Agreements delegating immigration officer functions (287(g))",
        "jurisdiction_code": "US",
        "kind": "statute",
        "summary": (
            "DHS may enter written agreements letting state or local officers perform "
            "immigration officer functions, only after ICE training and certification, under "
            "ICE supervision, and to the extent consistent with state and local law. Models: "
            "jail enforcement, task force, warrant service officer (serves I-200/I-205 only)."
        ),
        "source_url": _usc(8, "1357"),
    },
    {
        "citation": "8 U.S.C. § 1373",
        "title": "Communication with DHS on citizenship and immigration status",
        "jurisdiction_code": "US",
        "kind": "statute",
        "summary": (
            "No government may prohibit or restrict sending to, or receiving from, DHS "
            "information on a person's citizenship or immigration status. No duty to share; "
            "does not cover release dates or custody status. Held unconstitutional by two "
            "district courts in 2018; uncertain elsewhere."
        ),
        "source_url": _usc(8, "1373"),
        "verify_with_counsel": True,
    },
    {
        "citation": "8 U.S.C. § 1644",
        "title": "Communication between government agencies and the INS",
        "jurisdiction_code": "US",
        "kind": "statute",
        "summary": (
            "Same rule as 8 U.S.C. § 1373 for information on immigration status; its reach "
            "after the 2018 district-court decisions is uncertain."
        ),
        "source_url": _usc(8, "1644"),
        "verify_with_counsel": True,
    },
    {
        "citation": "8 U.S.C. § 1225(d)",
        "title": "Immigration administrative subpoenas",
        "jurisdiction_code": "US",
        "kind": "statute",
        "summary": (
            "Immigration officers may issue subpoenas, enforceable only through a court if "
            "refused. Whether one alone authorizes release of not-public data is uncertain; "
            "needs review."
        ),
        "source_url": _usc(8, "1225"),
        "verify_with_counsel": True,
    },
    {
        "citation": "8 C.F.R. § 287.7",
        "title": "Immigration detainers",
        "jurisdiction_code": "US",
        "kind": "regulation",
        "summary": (
            "A detainer (Form I-247A) asks for notice before release and a hold of up to 48 "
            "hours past it. It is a request signed by an immigration officer, not a judge."
        ),
        "source_url": "https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-287/section-287.7",
    },
    {
        "citation": "DHS Form I-247A",
        "title": "Immigration detainer – notice of action",
        "jurisdiction_code": "US",
        "kind": "federal_form",
        "summary": (
            "Asks for 48 hours' notice before release and a hold up to 48 hours past it; comes "
            "with an I-200 or I-205 signed by an immigration officer, not a judge. Not a legal "
            "instrument for not-public data and no authority for a hold in Minnesota (Esparza)."
        ),
        "source_url": "https://www.ice.gov/doclib/secure-communities/pdf/I-247A.pdf",
    },
    {
        "citation": "DHS Forms I-200 and I-205",
        "title": "Administrative warrants of arrest and of removal",
        "jurisdiction_code": "US",
        "kind": "federal_form",
        "summary": (
            "Administrative warrants signed by immigration officers, not judges. Served by "
            "287(g) warrant service officers; not a judicial warrant."
        ),
    },
    {
        "citation": "5 U.S.C. § 552a",
        "title": "Privacy Act of 1974",
        "jurisdiction_code": "US",
        "kind": "statute",
        "summary": (
            "Binds federal agencies: an accounting of each disclosure (date, nature, purpose, "
            "recipient) is kept 5 years or the life of the record, whichever is longer."
        ),
        "source_url": _usc(5, "552a"),
    },
    {
        "citation": "28 C.F.R. Part 23",
        "title": "Criminal intelligence systems operating policies",
        "jurisdiction_code": "US",
        "kind": "regulation",
        "summary": (
            "Collect criminal intelligence only on reasonable suspicion of criminal "
            "involvement; nothing on political, religious or social views unless tied to "
            "crime; disseminate on need-to-know and right-to-know, recording each outside "
            "dissemination; review and validate within 5 years or purge."
        ),
        "source_url": "https://www.ecfr.gov/current/title-28/chapter-I/part-23",
    },
    {
        "citation": "FBI CJIS Security Policy v5.9.5",
        "title": "Criminal Justice Information Services Security Policy",
        "jurisdiction_code": "US",
        "kind": "agency_policy",
        "summary": (
            "Audit events and their content, account lockout after 5 failed logons, 30-minute "
            "session lock, multi-factor authentication, encryption, audit records kept at "
            "least one year. Version 6.0 was released in December 2024."
        ),
        "source_url": "https://le.fbi.gov/cjis-division/cjis-security-policy-resource-center",
    },
]
