"""ACCESS.md's "Assets have roles of their own", cell by cell, against the real service.

Every asset operation runs for every caller state (own role on the asset, a role lent by a use
case that holds it, both, neither, deactivated, no token) and every asset type. A success must
show its effect; a refusal must carry the error shape and leave every table exactly as it was.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from http_checks import assert_error
from service_api import RISK_CSV, Api, table_rows

Y = "yes"
_names = itertools.count()

# Each caller state: (own role on the asset or None, own can_share, lent role or None,
# lent can_share). "deactivated" holds own OWNER but its user is deactivated.
STATES: dict[str, tuple[Any, ...]] = {
    "own OWNER": ("OWNER", True, None, False),
    "own EDITOR+can_share": ("EDITOR", True, None, False),
    "own EDITOR": ("EDITOR", False, None, False),
    "own CONSUMER+can_share": ("CONSUMER", True, None, False),
    "own CONSUMER": ("CONSUMER", False, None, False),
    "use case OWNER": (None, False, "OWNER", True),
    "use case EDITOR+can_share": (None, False, "EDITOR", True),
    "use case EDITOR": (None, False, "EDITOR", False),
    "use case CONSUMER+can_share": (None, False, "CONSUMER", True),
    "use case CONSUMER": (None, False, "CONSUMER", False),
    "both: own CONSUMER, use case EDITOR": ("CONSUMER", False, "EDITOR", False),
    "both: own EDITOR+can_share, use case CONSUMER": ("EDITOR", True, "CONSUMER", False),
    "neither": (None, False, None, False),
    "deactivated": ("OWNER", True, None, False),
    "no token": ("OWNER", True, None, False),
}

#: "read" downloads a dataset's file, and reads the role list of the other types. "restore" and
#: "purge" act on the asset in the trash (its creator deletes it first, if it is not there yet):
#: an OWNER of it may; anyone else who held a role of their own on it gets a 403; a role lent
#: by a use case is gone with the asset's links, so that is the 404 of a missing asset.
OPERATIONS = ("view", "read", "rename", "share", "link", "delete", "restore", "purge")
#: Each runs before the single operation it repeats, and must be decided as that one is.
BATCHED = {"bulk link": "link"}
# fmt: off
#: ACCESS.md's table for assets, as the outcome for each state: a status or Y.
TABLE: dict[str, tuple[Any, ...]] = {
    #                                              view read ren. share link del. rest. purge
    "own OWNER":                                     (Y  , Y  , Y  , Y  , Y  , Y  , Y  , Y),
    "own EDITOR+can_share":                          (Y  , Y  , Y  , Y  , Y  , 403, 403, 403),
    "own EDITOR":                                    (Y  , Y  , Y  , 403, 403, 403, 403, 403),
    "own CONSUMER+can_share":                        (Y  , Y  , 403, Y  , Y  , 403, 403, 403),
    "own CONSUMER":                                  (Y  , Y  , 403, 403, 403, 403, 403, 403),
    # a use case lends at most EDITOR, and the right to share only from EDITOR up
    "use case OWNER":                                (Y  , Y  , Y  , Y  , Y  , 403, 404, 404),
    "use case EDITOR+can_share":                     (Y  , Y  , Y  , Y  , Y  , 403, 404, 404),
    "use case EDITOR":                               (Y  , Y  , Y  , 403, 403, 403, 404, 404),
    "use case CONSUMER+can_share":                   (Y  , Y  , 403, 403, 403, 403, 404, 404),
    "use case CONSUMER":                             (Y  , Y  , 403, 403, 403, 403, 404, 404),
    "both: own CONSUMER, use case EDITOR":           (Y  , Y  , Y  , 403, 403, 403, 403, 403),
    "both: own EDITOR+can_share, use case CONSUMER": (Y  , Y  , Y  , Y  , Y  , 403, 403, 403),
    "neither":                                       (404, 404, 404, 404, 404, 404, 404, 404),
    "deactivated":                                   (401, 401, 401, 401, 401, 401, 401, 401),
    "no token":                                      (401, 401, 401, 401, 401, 401, 401, 401),
}
# fmt: on
ROUTES = {
    "dataset": "datasets",
    "project": "projects",
    "application": "applications",
    "notebook": "notebooks",
}
NAME_FIELD = {"project": "projectName"}


@dataclass
class Case:
    """One asset of ``etype`` owned by ``owner``, and a ``caller`` in one state towards it."""

    service: Any
    owner: Api
    caller: Api
    newcomer: Api
    etype: str
    asset: str
    own_uc: str  # a use case of the caller's own, to link into

    @property
    def path(self) -> str:
        return f"{ROUTES[self.etype]}/{self.asset}/"

    def run(self, op: str) -> Any:
        c = self.caller
        if op == "view":
            return c.get(self.path)
        if op == "read":
            if self.etype != "dataset":
                return c.get(f"{ROUTES[self.etype]}/{self.asset}/sharedRoles/")
            return c.get(self.path + "file/")
        if op == "rename":
            return c.patch(self.path, json={NAME_FIELD.get(self.etype, "name"): "Renamed"})
        if op == "share":
            return c.patch(
                self.path + "sharedRoles/",
                json={
                    "operation": "updateRoles",
                    "roles": [
                        {"role": "CONSUMER", "shareRecipientType": "user", "id": self.newcomer.id}
                    ],
                },
            )
        if op == "link":
            return c.post(f"useCases/{self.own_uc}/{ROUTES[self.etype]}/{self.asset}/")
        if op == "bulk link":
            entry = {"entityType": self.etype, "entityId": self.asset}
            return c.patch(f"useCases/{self.own_uc}/assets/", json={"add": [entry]})
        if op == "restore":
            return c.patch(self.path + "deleted/")
        if op == "purge":
            return c.delete(f"trash/{self.etype}/{self.asset}/")
        assert op == "delete"
        return c.delete(self.path)

    def prepare(self, op: str) -> None:
        """Restoring and purging act on the asset in the trash: its creator deletes it."""
        if op in ("restore", "purge") and self.owner.get(self.path).status_code == 200:
            assert self.owner.delete(self.path).status_code == 204

    def effect(self, op: str, r: Any) -> None:
        """A success shows its effect through the owner's eyes."""
        o = self.owner
        if op in ("view", "read"):
            assert r.status_code == 200, r.text
        elif op == "rename":
            got = o.get(self.path).json()
            assert got.get("name", got.get("projectName")) == "Renamed"
        elif op == "share":
            listed = o.get(self.path + "sharedRoles/").json()["data"]
            assert {"id": self.newcomer.id, "role": "CONSUMER"} in [
                {"id": m["id"], "role": m["role"]} for m in listed
            ]
        elif op in ("link", "bulk link"):
            assert r.status_code in (200, 201), r.text
            ids = [u["id"] for u in self.caller.get(f"useCases/?{self._lookup()}").json()["data"]]
            assert self.own_uc in ids
        elif op == "restore":
            assert r.status_code == 204
            assert o.get(self.path).status_code == 200
            assert self.asset not in [t["entityId"] for t in o.get("trash/").json()["data"]]
        else:
            assert r.status_code == 204
            assert_error(o.get(self.path), 404)
            in_trash = [t["entityId"] for t in o.get("trash/").json()["data"]]
            assert (self.asset in in_trash) == (op == "delete")

    def _lookup(self) -> str:
        return f"{self.etype}Id={self.asset}"


def _seed(service, make_module_user, etype: str, state: str) -> Case:
    own_role, own_share, lent_role, lent_share = STATES[state]
    n = next(_names)
    owner = make_module_user(f"owner{n}@example.com")
    caller = make_module_user(f"caller{n}@example.com")
    newcomer = make_module_user(f"new{n}@example.com")
    dataset = owner.upload_dataset(RISK_CSV)["id"]
    if etype == "dataset":
        asset = dataset
    elif etype == "project":
        asset = owner.create_project(dataset)["id"]
    else:
        body = {"name": f"{etype} {n}"}
        if etype == "notebook":
            body["path"] = f"nb{n}.ipynb"
        r = owner.post(f"{ROUTES[etype]}/", json=body)
        assert r.status_code == 201, r.text
        asset = r.json()["id"]
    kinds = [("dataset", dataset), (etype, asset)] if etype == "project" else [(etype, asset)]
    if own_role is not None:
        # A project's caller holds the same role on its dataset, so that linking the project
        # (which brings the dataset along) is decided by the same rule.
        for kind, aid in kinds:
            r = owner.patch(
                f"{ROUTES[kind]}/{aid}/sharedRoles/",
                json={
                    "roles": [
                        {
                            "role": own_role,
                            "shareRecipientType": "user",
                            "id": caller.id,
                            "canShare": own_share,
                        }
                    ]
                },
            )
            assert r.status_code == 204, r.text
    if lent_role is not None:
        home = owner.create_use_case(f"Home {n}")["id"]
        r = owner.post(f"useCases/{home}/{ROUTES[etype]}/{asset}/")
        assert r.status_code in (200, 201), r.text
        owner.grant(home, caller, lent_role, lent_share)
    if state == "deactivated":
        service.store.sharing.deactivate_user(caller.username)
        own_uc = "0" * 24
    else:
        own_uc = caller.create_use_case(f"Mine {n}")["id"]
    if state == "no token":
        caller = Api(caller.base, None, caller.user)
    return Case(service, owner, caller, newcomer, etype, asset, own_uc)


@pytest.mark.parametrize("etype", list(ROUTES))
@pytest.mark.parametrize("state", list(STATES))
def test_asset_role_table(module_service, make_module_user, state: str, etype: str) -> None:
    case = _seed(module_service, make_module_user, etype, state)
    outcomes = dict(zip(OPERATIONS, TABLE[state], strict=True))
    ops = [o for op in OPERATIONS for o in (*[b for b, s in BATCHED.items() if s == op], op)]
    for op in ops:
        expected = outcomes[BATCHED.get(op, op)]
        single_home_elsewhere = etype in ("project", "application") and STATES[state][2]
        if op in ("link", "bulk link") and expected == Y and single_home_elsewhere:
            expected = 409  # allowed, but it already lives in the use case that lends the role
        case.prepare(op)
        before = table_rows(module_service)
        r = case.run(op)
        if expected == Y:
            assert 200 <= r.status_code < 300, (state, etype, op, r.status_code, r.text)
            case.effect(op, r)
        else:
            assert_error(r, expected)
            assert table_rows(module_service) == before, (state, etype, op, "changed the db")
