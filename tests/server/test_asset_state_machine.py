"""Three users create, share, link, unlink, leave and delete, in orders Hypothesis picks.

A plain-Python model of ACCESS.md predicts every answer (2xx, or 403/404/409 for a refusal)
and, after every step, what each user sees: the use cases they are members of with their role
there, and the datasets, applications and notebooks they can see, each with their effective
role, whether they may share it and the use cases of theirs that hold it. The model is written
from ACCESS.md's tables, not from ``ucwidgets.roles``, so it checks the rules rather than
repeating them. After every step the database also passes ACCESS.md's invariants, and a
refused request (or a link added twice) must have left every row untouched.

Each example starts with three new users on one service, so earlier examples' objects are
invisible to them and the listings must match the model exactly, and with a small team set up
through the same checked requests. Rules pick who acts half the time among the users the
model expects to have standing, so that grants, links and revocations succeed often enough
to build deep states; the other half any user acts, so refusals are tried too.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from dataclasses import dataclass, field

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from service_api import Api
from sqlalchemy import select

from ucwidgets.server.store import schema

#: The tables this machine writes, each with a column naming the user a row belongs to.
WRITTEN = (
    ("use_cases", "created_by"),
    ("memberships", "user_id"),
    ("asset_roles", "user_id"),
    ("links", "created_by"),
    ("events", "actor_id"),
    ("datasets", "created_by"),
    ("applications", "created_by"),
    ("notebooks", "created_by"),
)
SEGMENT = {"dataset": "datasets", "application": "applications", "notebook": "notebooks"}
RANK = {None: 0, "CONSUMER": 1, "EDITOR": 2, "OWNER": 3}
#: A share request's roles, NO_ROLE (revoke) included.
REQUESTED = st.sampled_from(["OWNER", "EDITOR", "CONSUMER", "NO_ROLE"])
#: Who acts: a user by index (0-2), or (3-5) one the model expects to have standing.
ACTOR = st.integers(0, 5)
USER = st.integers(0, 2)
#: Which live use case or asset, in creation order (modulo how many there are).
INDEX = st.integers(0, 7)
#: ``canShare`` as sent: true, false, or left out (the recipient keeps what they had).
CAN_SHARE = st.sampled_from([True, False, None])
#: ACCESS.md's sharing table, per grantor role with can_share: whom they may act on (their
#: current role, None for a non-member) and what they may set. An OWNER may do anything.
MAY_TOUCH = {"EDITOR": {None, "EDITOR", "CONSUMER"}, "CONSUMER": {None, "CONSUMER"}}
MAY_SET = {"EDITOR": {"EDITOR", "CONSUMER", "NO_ROLE"}, "CONSUMER": {"CONSUMER", "NO_ROLE"}}

_serial = itertools.count()
#: Examples of the machine, each of up to ``STEP_COUNT`` steps; raise them to hunt
#: (``UCW_STATE_EXAMPLES=200 UCW_STATE_STEPS=50 pytest --timeout 0 ...``).
EXAMPLES = int(os.environ.get("UCW_STATE_EXAMPLES", "8"))
STEP_COUNT = int(os.environ.get("UCW_STATE_STEPS", "30"))
#: What ran, printed at the end (``pytest -s``): examples, steps, refusals among them, steps
#: after which every listing was compared, and each kind of step by the status it got.
STEPS = {"examples": 0, "steps": 0, "refused": 0, "listed": 0}
OUTCOMES: Counter[str] = Counter()


@dataclass
class Grant:
    role: str | None
    can_share: bool = False


NONE = Grant(None)


@dataclass
class Thing:
    """A use case or an asset in the model: its own role list (user index -> Grant)."""

    kind: str  # "use case", "dataset", "application", "notebook"
    roles: dict[int, Grant]
    links: set[tuple[str, str]] = field(default_factory=set)  # use cases only: (kind, id)


class Model:
    """What ACCESS.md says the service holds, and what it answers."""

    def __init__(self) -> None:
        self.use_cases: dict[str, Thing] = {}
        self.assets: dict[str, Thing] = {}
        #: Applications of deleted use cases: the trash keeps them there, for a restore.
        self.in_trashed_use_case: set[str] = set()

    def member(self, uc: str, user: int) -> Grant:
        thing = self.use_cases.get(uc)
        return thing.roles.get(user, NONE) if thing else NONE

    def holders(self, asset: str) -> list[str]:
        kind = self.assets[asset].kind
        return [uc for uc, t in self.use_cases.items() if (kind, asset) in t.links]

    def effective(self, asset: str, user: int) -> Grant:
        """The highest of the user's own role and their use case roles capped at EDITOR; the
        right to share from their own grant or from an EDITOR-or-above membership with it."""
        if asset not in self.assets:
            return NONE
        own = self.assets[asset].roles.get(user, NONE)
        role, share = own.role, own.can_share
        for uc in self.holders(asset):
            lent = self.member(uc, user)
            if lent.role is None:
                continue
            capped = "EDITOR" if lent.role == "OWNER" else lent.role
            role = capped if RANK[capped] > RANK[role] else role
            share = share or (lent.can_share and RANK[lent.role] >= RANK["EDITOR"])
        return Grant(role, share)

    def share(self, thing: Thing | None, grantor: Grant, actor: int, user: int, role, can_share):
        """Predict a one-entry share request and apply it if it succeeds; return the status."""
        if thing is None or grantor.role is None:
            return 404
        current = thing.roles.get(user, NONE)
        if can_share is None:
            can_share = current.can_share if current.role else False
        if role == "OWNER":
            can_share = True
        if actor == user:  # leave or lower oneself: yes; raise oneself: never
            if role != "NO_ROLE" and (
                RANK[role] > RANK[current.role] or (can_share and not current.can_share)
            ):
                return 403
        elif grantor.role != "OWNER":
            if not grantor.can_share:
                return 403
            if current.role not in MAY_TOUCH[grantor.role] or role not in MAY_SET[grantor.role]:
                return 403
        after = dict(thing.roles)
        if role == "NO_ROLE":
            after.pop(user, None)
        else:
            after[user] = Grant(role, can_share)
        if not any(g.role == "OWNER" for g in after.values()):
            return 409  # the last OWNER
        thing.roles = after
        return 204


def has(*kinds: str):
    """A precondition: the model holds a live object of each of ``kinds``."""
    return precondition(lambda self: all(getattr(self.model, k) for k in kinds))


class AssetAccessMachine(RuleBasedStateMachine):
    """Rules pick live objects by index (``INDEX``) and actors with ``pick``; the model
    predicts each answer before it is compared."""

    def __init__(self, service, invariants) -> None:
        super().__init__()
        self.service, self.check = service, invariants
        self.users = []
        for _ in range(3):
            user, token = service.store.users.create(f"sm{next(_serial)}@example.com")
            self.users.append(Api(service.url, token, user))
        self.model = Model()
        self.changed, self.before = True, None
        STEPS["examples"] += 1
        # A team to start from, through the same requests and predictions as the steps:
        # user 0's use case with user 1 as an EDITOR who may share and user 2 as a CONSUMER,
        # user 1's own use case, an asset of each kind by a different user, the dataset in
        # the team's use case.
        for actor in (0, 1):
            self.create_use_case(actor)
        team = self.uc(0)
        self._share(team, 0, 1, "EDITOR", True)
        self._share(team, 0, 2, "CONSUMER", False)
        for actor, kind in enumerate(SEGMENT):
            self.create_asset(actor, kind)
        self._link(team, self.asset(0), 0)

    def uc(self, i: int) -> str:
        return list(self.model.use_cases)[i % len(self.model.use_cases)]

    def asset(self, i: int) -> tuple[str, str]:
        aid = list(self.model.assets)[i % len(self.model.assets)]
        return self.model.assets[aid].kind, aid

    def expect(self, response, status: int, what: str) -> None:
        STEPS["steps"] += 1
        OUTCOMES[f"{what}: {status}"] += 1
        STEPS["refused"] += status >= 400
        self.changed = status in (201, 202, 204)
        assert response.status_code == status, (
            f"{response.request.method} {response.request.path_url}: expected {status}, "
            f"got {response.status_code} {response.text}"
        )

    def pick(self, k: int, candidates: list[int]) -> int:
        """User ``k`` for ``k`` < 3; otherwise one of ``candidates`` (users the model expects
        to have standing), so that half the requests come from someone who may succeed."""
        if k < 3 or not candidates:
            return k % 3
        return candidates[(k - 3) % len(candidates)]

    def by_rank(self, grants: dict[int, Grant]) -> list[int]:
        return sorted((u for u, g in grants.items() if g.role), key=lambda u: -RANK[grants[u].role])

    def members(self, uc: str) -> list[int]:
        return self.by_rank({u: self.model.member(uc, u) for u in range(3)})

    def holders(self, aid: str) -> list[int]:
        return self.by_rank({u: self.model.effective(aid, u) for u in range(3)})

    # -- creating ----------------------------------------------------------------------------
    @rule(actor=USER)
    def create_use_case(self, actor: int) -> None:
        r = self.users[actor].post("useCases/", json={"name": f"uc{next(_serial)}"})
        self.expect(r, 201, "create use case")
        self.model.use_cases[r.json()["id"]] = Thing("use case", {actor: Grant("OWNER", True)})

    @rule(actor=USER, kind=st.sampled_from(list(SEGMENT)))
    def create_asset(self, actor: int, kind: str) -> None:
        api, n = self.users[actor], next(_serial)
        if kind == "dataset":  # stored before the 202 (the job only reports it)
            r = api.post("datasets/fromFile/", files={"file": (f"d{n}.csv", b"a,b\n1,2\n")})
            self.expect(r, 202, "create dataset")
            asset = r.json()["catalogId"]
        else:
            path = {"path": f"nb{n}.ipynb"} if kind == "notebook" else {}
            r = api.post(f"{SEGMENT[kind]}/", json={"name": f"{kind}{n}", **path})
            self.expect(r, 201, f"create {kind}")
            asset = r.json()["id"]
        self.model.assets[asset] = Thing(kind, {actor: Grant("OWNER", True)})

    # -- sharing -----------------------------------------------------------------------------
    def _share(self, obj, actor: int, user: int, role: str, can_share: bool | None) -> None:
        """One share request on ``obj``, a use case id or a ``(kind, id)`` asset."""
        m = self.model
        if isinstance(obj, str):
            what, path = "share use case", f"useCases/{obj}/sharedRoles/"
            thing, grantor = m.use_cases.get(obj), m.member(obj, actor)
        else:
            what, path = "share asset", f"{SEGMENT[obj[0]]}/{obj[1]}/sharedRoles/"
            thing, grantor = m.assets.get(obj[1]), m.effective(obj[1], actor)
        entry = {"role": role, "shareRecipientType": "user", "id": self.users[user].id}
        if can_share is not None:
            entry["canShare"] = can_share
        r = self.users[actor].patch(path, json={"operation": "updateRoles", "roles": [entry]})
        if role == "NO_ROLE" and actor == user:
            what = what.replace("share", "leave")
        self.expect(r, m.share(thing, grantor, actor, user, role, can_share), what)

    @has("use_cases")
    @rule(i=INDEX, k=ACTOR, user=USER, role=REQUESTED, can_share=CAN_SHARE)
    def share_use_case(self, i: int, k: int, user: int, role: str, can_share) -> None:
        uc = self.uc(i)
        self._share(uc, self.pick(k, self.members(uc)), user, role, can_share)

    @has("use_cases")
    @rule(i=INDEX, k=ACTOR)
    def leave_use_case(self, i: int, k: int) -> None:
        uc = self.uc(i)
        actor = self.pick(k + 3, self.members(uc))  # a member (non-members: share_use_case)
        self._share(uc, actor, actor, "NO_ROLE", None)

    @has("assets")
    @rule(j=INDEX, k=ACTOR, user=USER, role=REQUESTED, can_share=CAN_SHARE)
    def share_asset(self, j: int, k: int, user: int, role: str, can_share) -> None:
        asset = self.asset(j)
        self._share(asset, self.pick(k, self.holders(asset[1])), user, role, can_share)

    # -- linking -----------------------------------------------------------------------------
    @has("use_cases", "assets")
    @rule(i=INDEX, j=INDEX, k=ACTOR)
    def link(self, i: int, j: int, k: int) -> None:
        uc, asset = self.uc(i), self.asset(j)
        able = [u for u in self.members(uc) if self.model.effective(asset[1], u).can_share]
        self._link(uc, asset, self.pick(k, able or self.members(uc)))

    def _link(self, uc: str, asset: tuple[str, str], actor: int) -> None:
        (kind, aid), m = asset, self.model
        r = self.users[actor].post(f"useCases/{uc}/{SEGMENT[kind]}/{aid}/")
        there, mine = m.member(uc, actor), m.effective(aid, actor)
        if there.role is None:
            status = 404
        elif there.role == "CONSUMER":
            status = 403  # whether or not they can see the asset
        elif mine.role is None:
            status = 404
        elif asset in m.use_cases[uc].links:
            status = 200  # adding twice returns the existing link
        elif not mine.can_share:
            status = 403  # linking is sharing
        elif kind == "application" and (m.holders(aid) or aid in m.in_trashed_use_case):
            status = 409  # an application lives in one use case
        else:
            m.use_cases[uc].links.add(asset)
            status = 201
        self.expect(r, status, "link")

    @has("use_cases", "assets")
    @rule(i=INDEX, j=INDEX, k=ACTOR)
    def unlink(self, i: int, j: int, k: int) -> None:
        uc = self.uc(i)
        linked = sorted(self.model.use_cases[uc].links)
        # Half the time an asset the model says is linked there.
        kind, aid = linked[j % len(linked)] if j % 2 and linked else self.asset(j)
        actor = self.pick(k, self.members(uc))
        r = self.users[actor].delete(f"useCases/{uc}/{SEGMENT[kind]}/{aid}/")
        there = self.model.member(uc, actor)
        if there.role is None:
            status = 404
        elif there.role == "CONSUMER":
            status = 403
        elif (kind, aid) not in linked:
            status = 404
        else:
            self.model.use_cases[uc].links.discard((kind, aid))
            status = 204
        self.expect(r, status, "unlink")

    # -- deleting ----------------------------------------------------------------------------
    @has("assets")
    @rule(j=INDEX, k=ACTOR)
    def delete_asset(self, j: int, k: int) -> None:
        kind, aid = self.asset(j)
        actor = self.pick(k, self.holders(aid))
        r = self.users[actor].delete(f"{SEGMENT[kind]}/{aid}/")
        if self.model.effective(aid, actor).role is None:
            status = 404
        elif self.model.assets[aid].roles.get(actor, NONE).role != "OWNER":
            status = 403  # only its own OWNERs: a use case lends at most EDITOR
        else:
            del self.model.assets[aid]
            self.model.in_trashed_use_case.discard(aid)  # its links leave with it
            for thing in self.model.use_cases.values():
                thing.links.discard((kind, aid))
            status = 204
        self.expect(r, status, "delete asset")

    @has("use_cases")
    @rule(i=INDEX, k=ACTOR)
    def delete_use_case(self, i: int, k: int) -> None:
        uc = self.uc(i)
        actor = self.pick(k, self.members(uc))
        r = self.users[actor].delete(f"useCases/{uc}/")
        role = self.model.member(uc, actor).role
        status = 404 if role is None else 403 if role != "OWNER" else 204
        if status == 204:  # its assets stay; its application stays in it, in the trash
            held = self.model.use_cases.pop(uc).links
            self.model.in_trashed_use_case |= {aid for kind, aid in held if kind == "application"}
        self.expect(r, status, "delete use case")

    # -- after every step --------------------------------------------------------------------
    @invariant()
    def agrees_with_the_model(self) -> None:
        """ACCESS.md's invariants hold; a refusal changed nothing in the database; after any
        step that changed it, every user's listings are what the model says (the listings
        are a function of these rows, so an unchanged database needs no second look)."""
        self.check(self.service)
        now = snapshot(self.service, self.users)
        if not self.changed:
            assert now == self.before, "a refused request changed the database"
        elif now != self.before:
            STEPS["listed"] += 1
            for i, api in enumerate(self.users):
                self.sees(i, api)
        self.before, self.changed = now, False

    def sees(self, i: int, api: Api) -> None:
        m = self.model
        page = api.get("useCases/", params={"limit": 100}).json()
        seen = {uc["id"]: (uc["role"], uc["canShare"]) for uc in page["data"]}
        expected = {
            uc: (g.role, g.can_share) for uc, t in m.use_cases.items() if (g := t.roles.get(i))
        }
        assert seen == expected, f"user {i}'s use cases"
        assert page["totalCount"] == len(expected), f"user {i}'s use case count"
        for kind, segment in SEGMENT.items():
            r = api.get(f"{segment}/", params={"limit": 100})
            assert r.status_code == 200, r.text
            seen = {
                a["id"]: (a["role"], a["canShare"], sorted(a["useCaseIds"]))
                for a in r.json()["data"]
            }
            expected = {}
            for aid, thing in m.assets.items():
                mine = m.effective(aid, i)
                if thing.kind == kind and mine.role is not None:
                    homes = sorted(uc for uc in m.holders(aid) if m.member(uc, i).role)
                    expected[aid] = (mine.role, mine.can_share, homes)
            assert seen == expected, f"user {i}'s {segment}"


def snapshot(service, users: list[Api]) -> dict:
    """Every row a request of this machine could write: those that name one of its users."""
    ids = [u.id for u in users]
    tables = [(getattr(schema, name), column) for name, column in WRITTEN]
    with service.store.db.read() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(select(t).where(t.c[column].in_(ids)))))
            for t, column in tables
        }


def test_three_users_agree_with_the_model(module_service, database_invariants) -> None:
    run_state_machine_as_test(
        lambda: AssetAccessMachine(module_service, database_invariants),
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEP_COUNT,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    print("state machine:", STEPS, dict(sorted(OUTCOMES.items())))
    assert STEPS["steps"] > 0
