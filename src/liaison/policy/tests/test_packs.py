"""Loading packs: a bad pack is refused with a message naming the file and the policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liaison.policy.packs import BadPack, Library, shipped
from liaison.policy.tests.factories import copy_shipped, policy, write_pack


def _refusal(root: Path) -> str:
    with pytest.raises(BadPack) as caught:
        Library(root)
    return caught.value.message


def test_the_shipped_packs_load_and_every_policy_is_annotated() -> None:
    lib = shipped()
    assert {
        "federal",
        "mn",
        "wi",
        "agreements",
        "minneapolis",
        "st_paul",
        "hennepin",
        "milwaukee_county",
    } <= set(lib.names)
    for versions in lib.versions.values():
        for pack in versions:
            for p in pack.policies:
                assert p.id.startswith(pack.name + ".")
                assert p.citation
                assert p.explanation
                assert p.effective
                assert p.text.startswith("@id(")


def test_a_policy_that_does_not_match_the_schema_is_refused_naming_file_and_policy(
    tmp_path: Path,
) -> None:
    root = copy_shipped(tmp_path)
    path = root / "mn" / "immigration.cedar"
    path.write_text(path.read_text().replace("resource.source", "resource.sauce", 1))
    message = _refusal(root)
    assert message.startswith("packs/mn/immigration.cedar, policy mn.dvs-immigration-status-data:")
    assert "sauce" in message


def test_a_policy_without_a_citation_is_refused(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.a") + policy("mn.b").replace('@citation("Test Stat. § mn.b")\n', ""),
    )
    assert (
        _refusal(tmp_path)
        == f"{tmp_path.name}/mn/policies.cedar, policy mn.b: the @citation annotation is missing or empty."
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (policy("mn.a", outcome="maybe"), "@outcome must be one of"),
        (policy("mn.a", obligations="tell_everyone"), "unknown obligation 'tell_everyone'"),
        (policy("mn.a", fields="shoe_size"), "unknown field 'shoe_size'"),
        (policy("mn.a", effect="forbid", outcome="needs_review"), "a forbid cannot carry @outcome"),
        (policy("wi.a"), "the @id must start with the pack name (mn.)"),
        (policy("mn.a", effective="soon"), "is not a date"),
        (policy("mn.a", colour="red"), "unknown annotation @colour"),
        ("permit (principal, action, resource", "does not parse as Cedar"),
    ],
)
def test_a_bad_annotation_or_syntax_is_refused_with_what_is_wrong(
    tmp_path: Path, text: str, says: str
) -> None:
    write_pack(tmp_path, "mn", text)
    message = _refusal(tmp_path)
    assert "mn/policies.cedar" in message
    assert says in message


def test_a_bad_manifest_is_refused_naming_pack_json(tmp_path: Path) -> None:
    path = write_pack(tmp_path, "mn", policy("mn.a"))
    manifest = json.loads((path / "pack.json").read_text())
    del manifest["effective"]
    (path / "pack.json").write_text(json.dumps(manifest))
    assert _refusal(tmp_path) == f"{tmp_path.name}/mn/pack.json: 'effective' is missing."


def test_two_versions_may_not_take_effect_the_same_day(tmp_path: Path) -> None:
    write_pack(tmp_path, "a", policy("mn.a"), name="mn", version="1")
    write_pack(tmp_path, "b", policy("mn.a"), name="mn", version="2")
    assert "take effect the same day" in _refusal(tmp_path)


def test_applies_to_matches_county_city_and_names_of_the_same_place() -> None:
    lib = shipped()
    on = lib.versions["mn"][0].effective

    def names(**where: object) -> set[str]:
        return {p.name for p in lib.select({"county": None, "city": None, **where}, on=on)}

    assert names(state="MN", city="St. Paul", county="Ramsey") >= {"st_paul", "mn", "federal"}
    assert "st_paul" in names(state="MN", city="saint paul", county="Ramsey")
    assert "hennepin" in names(state="MN", county="Hennepin")
    assert "hennepin" not in names(state="MN", county="Hennepin", city="Minneapolis")
    assert "minneapolis" in names(state="MN", county="Hennepin", city="Minneapolis")
    assert names(state="WI", county="Milwaukee") == {
        "agreements",
        "federal",
        "wi",
        "milwaukee_county",
    }


def test_the_deploy_check_passes_for_the_shipped_packs_and_names_a_bad_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liaison.policy import checks

    assert checks.check_rule_packs(None) == []
    root = copy_shipped(tmp_path)
    (root / "wi" / "records.cedar").write_text(policy("wi.a").replace("@citation", "@cite"))
    monkeypatch.setattr(checks, "shipped", lambda: Library(root))
    (error,) = checks.check_rule_packs(None)
    assert error.id == "liaison.E101"
    assert "packs/wi/records.cedar, policy wi.a" in error.msg
