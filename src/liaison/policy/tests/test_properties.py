"""Properties of every decision of the shipped packs, over generated requests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.policy import vocabulary as v
from liaison.policy.engine import decide, evaluator, forget
from liaison.policy.packs import Library, Pack, load_pack, shipped
from liaison.policy.tests.factories import policy, write_pack
from liaison.policy.tests.naive import naive_decision

ON = date(2026, 12, 1)

data_items = st.fixed_dictionaries(
    {
        "category": st.sampled_from(sorted(v.CATEGORIES)),
        "classification": st.sampled_from(v.CLASSIFICATIONS),
        "source": st.sampled_from(v.SOURCES),
    },
    optional={flag: st.booleans() for flag in v.FLAGS},
)
items = st.one_of(data_items, st.builds(lambda a: {"action": a}, st.sampled_from(v.ACTIONS)))
agreements = st.fixed_dictionaries(
    {
        "type": st.sampled_from(v.AGREEMENT_TYPES),
        "status": st.sampled_from(v.AGREEMENT_STATUSES),
        "activities": st.lists(st.sampled_from(v.ACTIVITIES), max_size=3, unique=True),
        "categories": st.lists(st.sampled_from(sorted(v.CATEGORIES)), max_size=3, unique=True),
        "purposes": st.lists(st.sampled_from(v.PURPOSES), max_size=2, unique=True),
    }
)
places = st.sampled_from(
    [
        {"state": "MN", "county": "Nobles", "city": None},
        {"state": "MN", "county": "Hennepin", "city": None},
        {"state": "MN", "county": "Hennepin", "city": "Minneapolis"},
        {"state": "MN", "county": "Ramsey", "city": "St. Paul"},
        {"state": "WI", "county": "Milwaukee", "city": None},
        {"state": "WI", "county": "Lakeshore", "city": None},
    ]
)
requests = st.fixed_dictionaries(
    {
        "format": st.just(v.REQUEST_FORMAT),
        "jurisdiction": places,
        "requester": st.fixed_dictionaries(
            {
                "agency": st.just("A federal partner"),
                "level": st.sampled_from(v.LEVELS),
                "component": st.sampled_from(v.COMPONENTS),
                "attributes": st.fixed_dictionaries(
                    {}, optional={"28CFRCertificationIndicator": st.booleans()}
                ),
            }
        ),
        "purpose": st.sampled_from(v.PURPOSES),
        "instrument": st.sampled_from(v.INSTRUMENTS),
        "urgent": st.booleans(),
        "agreements": st.lists(agreements, max_size=2),
        "items": st.lists(items, min_size=1, max_size=5),
    }
)


@settings(max_examples=150, deadline=None)
@given(requests)
def test_every_decision_is_well_formed(request: dict[str, Any]) -> None:
    decision = decide(request, on=ON)
    assert decision["format"] == v.DECISION_FORMAT
    assert [i["index"] for i in decision["items"]] == list(range(len(request["items"])))
    for item in decision["items"]:
        assert item["decision"] in v.DECISIONS
        assert item["reasons"], "a reason is never empty"
        assert all(r["policy"] and r["explanation"] for r in item["reasons"])
        assert set(item["obligations"]) <= set(v.OBLIGATIONS)
        if item["decision"] == "permit":
            assert item["paths"] == []
        else:
            assert item["fields"] == []
        if item["decision"] == "deny":
            assert item["obligations"] == []
        for path in item["paths"]:
            assert v.DECISIONS.index(path["decision"]) != v.DECISIONS.index(item["decision"])


def _with_forbid(tmp: Path, when: str) -> tuple[Library, Pack]:
    write_pack(
        tmp,
        "extra",
        policy("extra.no", effect="forbid", action="disclose", when=when),
        level="local",
        applies_to={},
    )
    lib = shipped()
    extra = load_pack(tmp / "extra", schema=lib.schema, root=tmp)
    return lib, extra


forbid_conditions = st.sampled_from(
    [
        "true",
        'resource.classification == "private"',
        'context.instrument == "judicial_warrant"',
        "context.agreement_covers",
        'principal.component == "ice_ero"',
    ]
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=requests, when=forbid_conditions)
def test_adding_a_forbid_never_turns_a_deny_into_a_permit(
    tmp_path_factory: Any, request: dict[str, Any], when: str
) -> None:
    lib, extra = _with_forbid(tmp_path_factory.mktemp("pack"), when)
    chosen = lib.select(request["jurisdiction"], on=ON)
    from liaison.policy.request import validate_request

    clean = validate_request(request)
    before = evaluator(chosen, on=ON).decide(clean, on=ON)
    after = evaluator([*chosen, extra], on=ON).decide(clean, on=ON)
    rank = {"deny": 0, "needs_review": 1, "permit": 2}
    for old, new in zip(before["items"], after["items"], strict=True):
        assert rank[new["decision"]] <= rank[old["decision"]]


@settings(max_examples=60, deadline=None)
@given(requests)
def test_the_instrument_paths_are_exactly_the_instruments_that_would_decide_better(
    request: dict[str, Any],
) -> None:
    decision = decide(request, on=ON)
    rank = {"deny": 0, "needs_review": 1, "permit": 2}
    for instrument in v.INSTRUMENTS:
        if instrument == request["instrument"]:
            continue
        other = decide(request | {"instrument": instrument}, on=ON)
        for item, alt in zip(decision["items"], other["items"], strict=True):
            listed = [p for p in item["paths"] if p.get("instrument") == instrument]
            if item["decision"] != "permit" and rank[alt["decision"]] > rank[item["decision"]]:
                assert listed == [{"instrument": instrument, "decision": alt["decision"]}]
            else:
                assert listed == []


@settings(max_examples=80, deadline=None)
@given(requests)
def test_the_fast_decision_equals_evaluating_every_alternative_plainly(
    request: dict[str, Any],
) -> None:
    from liaison.policy.request import validate_request

    clean = validate_request(request)
    compiled = evaluator(shipped().select(clean["jurisdiction"], on=ON), on=ON)
    forget()
    assert compiled.decide(clean, on=ON) == naive_decision(compiled, clean, on=ON)
    assert compiled.decide(clean, on=ON) == naive_decision(compiled, clean, on=ON)  # remembered


# Conditions the engine's shortcuts must not get wrong: the instrument and the covering
# agreements read in ways other than comparisons with literals, leading tests of every
# shape, and facts read through ``has``.
unusual = [
    policy("odd.like", effect="forbid", when='context.instrument like "*warrant"'),
    policy(
        "odd.any-agreement",
        when='!context.covering_agreement_types.isEmpty() && resource.classification != "confidential"',
        outcome="needs_review",
        agreement="mutual_aid",
    ),
    policy(
        "odd.sharing",
        when='context.covering_agreement_types.contains("information_sharing") && '
        '["arrest", "booking"].contains(resource.category)',
        agreement="information_sharing",
    ),
    policy(
        "odd.uncovered",
        effect="forbid",
        when='!context.agreement_covers && resource.source == "intelligence_system" && '
        "!resource.reasonable_suspicion",
    ),
    policy(
        "odd.private-not-court",
        when='resource.classification == "private" && context.instrument != "court_order" && '
        "resource has category",
        obligations="log_access",
        outcome="adds_obligations",
    ),
    policy(
        "odd.hold",
        action="hold_past_release",
        when='context.instrument == "judicial_warrant" || principal.level == "state"',
    ),
    policy("odd.urgent", when='context.urgent && context.purpose == "public_safety_emergency"'),
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=requests, chosen=st.lists(st.sampled_from(unusual), min_size=1, unique=True))
def test_the_fast_decision_equals_the_plain_one_for_unusual_policies(
    tmp_path_factory: Any, request: dict[str, Any], chosen: list[str]
) -> None:
    from liaison.policy.request import validate_request

    tmp = tmp_path_factory.mktemp("pack")
    write_pack(tmp, "odd", "\n".join(chosen), level="local", applies_to={})
    lib = shipped()
    odd = load_pack(tmp / "odd", schema=lib.schema, root=tmp)
    clean = validate_request(request)
    compiled = evaluator([*lib.select(clean["jurisdiction"], on=ON), odd], on=ON)
    assert compiled.decide(clean, on=ON) == naive_decision(compiled, clean, on=ON)
