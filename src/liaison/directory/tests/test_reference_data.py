"""Reference data cannot be made impossible: agency levels fit their parents, names hide
nothing (no right-to-left override, no zero-width characters)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from liaison.accounts.models import User
from liaison.core.errors import ServiceError
from liaison.core.roles import Role
from liaison.core.validators import NAME_MESSAGE
from liaison.directory import services
from liaison.directory.models import Agency, Jurisdiction
from liaison.personas import World

pytestmark = pytest.mark.django_db

RLO = "\u202e"
ZWSP = "\u200b"


def test_the_api_refuses_a_federal_agency_under_a_state_agency(world: World, api_as: Any) -> None:
    api = api_as(Role.ADMIN)
    hsi, dps = world.agencies["HSI"], world.agencies["DPS"]
    response = api.patch(
        f"/api/v1/directory/agencies/{hsi.pk}",
        {"parent_id": dps.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "parent" in response.json()["fields"]
    hsi.refresh_from_db()
    assert hsi.parent_id == world.agencies["ICE"].pk


@pytest.mark.parametrize(
    ("child", "parent"),
    [("state", "federal"), ("local", "state"), ("state", "local"), ("federal", "local")],
)
def test_a_child_agency_has_its_parents_level(world: World, child: str, parent: str) -> None:
    parents = {"federal": "ICE", "state": "DPS", "local": "HCSO"}
    with pytest.raises(ServiceError) as caught:
        services.agency_create(
            actor=world.users[Role.ADMIN],
            name="New component",
            level=child,
            jurisdiction=world.mn,  # type: ignore[arg-type]
            parent=world.agencies[parents[parent]],
        )
    assert "parent" in caught.value.fields
    assert not Agency.objects.filter(name="New component").exists()


def test_a_parent_cannot_change_level_away_from_its_components(world: World) -> None:
    with pytest.raises(ServiceError) as caught:
        services.agency_update(
            actor=world.users[Role.ADMIN], agency=world.agencies["ICE"], data={"level": "state"}
        )
    assert "level" in caught.value.fields


def test_a_component_at_the_same_level_is_accepted(world: World) -> None:
    agency = services.agency_create(
        actor=world.users[Role.ADMIN],
        name="BCA Forensic Science",
        level="state",
        jurisdiction=world.mn,  # type: ignore[arg-type]
        parent=world.agencies["BCA"],
    )
    assert agency.parent == world.agencies["BCA"]


def test_a_county_cannot_lie_inside_a_city(world: World) -> None:
    admin = world.users[Role.ADMIN]
    county = services.jurisdiction_create(
        actor=admin, name="Hennepin County", kind="county", state="MN", parent=world.mn
    )
    city = services.jurisdiction_create(
        actor=admin, name="Minneapolis", kind="city", state="MN", parent=county
    )
    with pytest.raises(ServiceError) as caught:
        services.jurisdiction_update(actor=admin, jurisdiction=county, data={"parent": city})
    assert "parent" in caught.value.fields
    assert Jurisdiction.objects.get(pk=county.pk).parent_id == world.mn.pk  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "bad",
    [
        f"Bureau of {RLO}noisneherppA",
        f"BCA{ZWSP}",
        "Task\u2066Force\u2069",
        "Zero\u200dWidth",
        "\ufeffBOM",
        "Bell\x07",
    ],
)
def test_agency_names_refuse_hidden_characters(world: World, bad: str) -> None:
    with pytest.raises(ServiceError) as caught:
        services.agency_create(
            actor=world.users[Role.ADMIN],
            name=bad,
            level="state",
            jurisdiction=world.mn,  # type: ignore[arg-type]
        )
    assert caught.value.fields["name"] == [NAME_MESSAGE]


def test_every_name_field_uses_the_one_validator(world: World, api_as: Any) -> None:
    admin = world.users[Role.ADMIN]
    coordinator = world.users[Role.COORDINATOR]
    cases: list[tuple[str, Any]] = [
        (
            "name",
            lambda: services.jurisdiction_create(actor=admin, name=f"Ramsey{ZWSP}", kind="county"),
        ),
        (
            "abbreviation",
            lambda: services.agency_update(
                actor=admin, agency=world.agencies["BCA"], data={"abbreviation": f"B{RLO}CA"}
            ),
        ),
        (
            "name",
            lambda: services.task_force_create(
                actor=coordinator,
                name=f"Metro{RLO} TF",
                lead_agency=world.agencies["DPS"],
                purpose="x",
                start_date=date(2025, 1, 1),
            ),
        ),
    ]
    for field, act in cases:
        with pytest.raises(ServiceError) as caught:
            act()
        assert caught.value.fields[field] == [NAME_MESSAGE], field
    response = api_as(Role.COORDINATOR).patch(
        f"/api/v1/directory/personnel/{world.people['DPS'].pk}",
        {"family_name": f"Smith{ZWSP}"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["family_name"] == [NAME_MESSAGE]


def test_account_names_refuse_hidden_characters(world: World) -> None:
    from liaison.accounts.services import user_update

    with pytest.raises(ServiceError) as caught:
        user_update(
            actor=world.users[Role.ADMIN],
            user=world.users[Role.OFFICER],
            last_name=f"Doe{RLO}",
        )
    assert caught.value.fields["last_name"] == [NAME_MESSAGE]
    assert User.objects.get(pk=world.users[Role.OFFICER].pk).last_name == "User"


def test_ordinary_names_in_many_scripts_are_accepted(world: World) -> None:
    for name in ["Xiong Yang", "Cabdullaahi Maxamed", "José Núñez", "O'Brien-Smith", "محمد"]:
        services.jurisdiction_create(actor=world.users[Role.ADMIN], name=name, kind="city")
