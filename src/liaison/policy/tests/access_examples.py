"""How the generated rule matrix tries the policy actions (see ``liaison.personas.Example``)."""

from __future__ import annotations

from liaison.personas import Example
from liaison.policy import selectors as sel
from liaison.policy.packs import shipped

EXAMPLES: dict[str, Example] = {
    "policy.pack.view": Example(
        lambda w: [shipped().versions["mn"][0]],
        lambda w, u, r: sel.pack_get_for_user(user=u, name=r.name, version=r.version),
        page=lambda r: f"/policy/packs/{r.name}/{r.version}/",
    ),
}
