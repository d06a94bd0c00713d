"""Tags on use cases, the listing's filters and orders beyond search, and who granted each role
(WIRE.md C.4): through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from http_checks import assert_error
from service_api import Api, table_rows
from sqlalchemy import select


def names(api: Api, **params) -> list[str]:
    r = api.get("useCases/", params={"limit": 100, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["totalCount"] == len(body["data"])
    return [uc["name"] for uc in body["data"]]


def test_tags_are_set_kept_in_order_and_announced(any_service, people):
    ann = people[0]
    uc = ann.create_use_case("Risk", tags=["Credit", "Q3"])
    assert uc["tags"] == ["Credit", "Q3"]
    r = ann.patch(f"useCases/{uc['id']}/", json={"tags": ["ÉTÉ 2026", "credit", "風險"]})
    assert r.status_code == 200, r.text
    assert r.json()["tags"] == ["ÉTÉ 2026", "credit", "風險"]
    assert r.json()["name"] == "Risk"
    assert ann.get(f"useCases/{uc['id']}/").json()["tags"] == ["ÉTÉ 2026", "credit", "風險"]
    feed = ann.get(f"useCases/{uc['id']}/events/").json()["data"]
    assert (feed[-1]["verb"], feed[-1]["entityName"]) == ("updated", "Risk")
    assert ann.patch(f"useCases/{uc['id']}/", json={"tags": []}).json()["tags"] == []
    assert ann.get("useCases/").json()["data"][0]["tags"] == []


def test_tag_filters_need_every_tag_whatever_its_case(any_service, people):
    ann, ben, _ = people
    for name, tags in (("A", ["risk", "Q3"]), ("B", ["Risk"]), ("C", ["q3"]), ("D", [])):
        ann.create_use_case(name, tags=tags)
    ben.create_use_case("Ben's", tags=["risk", "q3"])  # not ann's: never listed for her
    assert sorted(names(ann, tag="RISK")) == ["A", "B"]
    assert names(ann, tag=["risk", "q3"]) == ["A"]
    assert sorted(names(ann, tag="\uff52\uff49\uff53\uff4b")) == ["A", "B"]  # full-width, NFKC
    assert names(ann, tag=["risk", "nothing"]) == []


def test_suggestions_come_only_from_visible_use_cases(any_service, people):
    ann, ben, _ = people
    ann.create_use_case("A", tags=["Credit", "churn"])
    ann.create_use_case("B", tags=["credit card", "CREDIT"[:6].lower() + "_x"])
    ben.create_use_case("Hidden", tags=["credit secret", "crane"])
    r = ann.get("useCases/tags/", params={"prefix": "CRED"})
    assert r.status_code == 200, r.text
    got = [(t["name"], t["useCasesCount"]) for t in r.json()["data"]]
    assert got == [("Credit", 1), ("credit card", 1), ("credit_x", 1)]
    assert r.json()["totalCount"] == 3
    # LIKE's wildcards are letters here.
    assert [t["name"] for t in ann.get("useCases/tags/?prefix=credit_").json()["data"]] == [
        "credit_x"
    ]
    assert ann.get("useCases/tags/?prefix=%25").json()["data"] == []
    everything = ann.get("useCases/tags/").json()["data"]
    assert {t["name"] for t in everything} == {"Credit", "churn", "credit card", "credit_x"}
    assert_error(Api(any_service.url, None).get("useCases/tags/"), 401)


def test_filters_by_owner_role_asset_kind_and_dates(any_service, people):
    ann, ben, _ = people
    mine = ann.create_use_case("Mine")
    theirs = ben.create_use_case("Theirs")
    ben.grant(theirs["id"], ann, "CONSUMER")
    app = ann.post("applications/", json={"name": "App"}).json()["id"]
    assert ann.post(f"useCases/{mine['id']}/applications/{app}/").status_code == 201
    assert names(ann, role="OWNER") == ["Mine"]
    assert names(ann, role="CONSUMER") == ["Theirs"]
    assert names(ann, owner=ben.username) == ["Theirs"]
    assert names(ann, owner=ann.id) == ["Mine"]
    assert names(ann, owner="nobody@example.com") == []
    assert names(ann, assetType="application") == ["Mine"]
    assert names(ann, assetType=["application", "dataset"]) == []
    first = ann.get(f"useCases/{mine['id']}/").json()["createdAt"]
    later = ann.get(f"useCases/{theirs['id']}/").json()["createdAt"]
    assert later > first
    assert names(ann, createdAfter=later) == ["Theirs"]
    assert names(ann, createdBefore=later) == ["Mine"]
    assert sorted(names(ann, updatedAfter="2000-01-01")) == ["Mine", "Theirs"]
    assert names(ann, updatedBefore="2000-01-01T00:00:00+02:00") == []
    assert names(ann, orderBy="role") == ["Theirs", "Mine"]  # CONSUMER before OWNER
    assert names(ann, orderBy="-role") == ["Mine", "Theirs"]
    assert names(ann, orderBy="-role", search="i") == ["Mine", "Theirs"]
    assert names(ann, orderBy="owner") == ["Mine", "Theirs"]  # ann@ before ben@
    assert names(ann, orderBy="-owner") == ["Theirs", "Mine"]
    ben.grant(theirs["id"], ann, "OWNER")  # its first OWNER is now ann: ties, by id
    ids = sorted([mine["id"], theirs["id"]])
    assert [uc["id"] for uc in ann.get("useCases/?orderBy=owner").json()["data"]] == ids
    assert names(ann, orderBy="createdAt") == ["Mine", "Theirs"]
    assert names(ann, orderBy="-createdAt") == ["Theirs", "Mine"]


BAD_TAGS = {
    "not a list": "credit",
    "null": None,
    "a number": [7],
    "empty": [""],
    "blank": ["   "],
    "65 code points": ["x" * 65],
    "a comma": ["a,b"],
    "a control character": ["a\x07"],
    "NUL": ["a\x00"],
    "a bidirectional override": ["\u202eabc"],
    "invisible only": ["\u200b\u200b"],
    "51 tags": [f"t{i}" for i in range(51)],
    "the same tag twice": ["Risk", "RISK"],
    "a list in the list": [["a"]],
}


@pytest.mark.parametrize("label", list(BAD_TAGS))
def test_bad_tags_are_refused_and_change_nothing(service, make_user, label):
    ann = make_user()
    uc = ann.create_use_case("Risk", tags=["keep"])
    before = table_rows(service)
    r = ann.patch(f"useCases/{uc['id']}/", json={"name": "Renamed", "tags": BAD_TAGS[label]})
    body = assert_error(r, 422)
    assert any(k.startswith("tags") for k in body["errors"]), body
    assert table_rows(service) == before
    assert_error(ann.post("useCases/", json={"name": "New", "tags": BAD_TAGS[label]}), 422)
    assert table_rows(service) == before


BAD_QUERIES = [
    ({"tag": "x" * 65}, 422, "tag"),
    ({"tag": "a,b"}, 422, "tag"),
    ({"tag": [f"t{i}" for i in range(51)]}, 422, "tag"),
    ({"role": "owner"}, 422, "role"),
    ({"role": ["OWNER", "EDITOR"]}, 422, "role"),
    ({"assetType": "model"}, 422, "assetType"),
    ({"owner": "  "}, 422, "owner"),
    ({"createdAfter": "yesterday"}, 422, "createdAfter"),
    ({"updatedBefore": "9" * 5000}, 422, "updatedBefore"),
    ({"orderBy": "owners"}, 422, "orderBy"),
    ({"tag": "a\x01"}, 400, None),
]


def test_bad_filters_are_refused(service, make_user):
    ann = make_user()
    ann.create_use_case("Risk", tags=["a"])
    for params, status, key in BAD_QUERIES:
        body = assert_error(ann.get("useCases/", params=params), status)
        if key is not None:
            assert key in body["errors"], (params, body)
    assert_error(ann.get("useCases/tags/", params={"prefix": "x" * 65}), 422)
    assert_error(ann.get("useCases/tags/", params={"limit": 0}), 422)


def test_a_consumer_cannot_tag_and_a_stranger_cannot_see(any_service, people):
    ann, ben, cat = people
    uc = ann.create_use_case("Risk", tags=["a"])["id"]
    ann.grant(uc, ben, "CONSUMER")
    before = table_rows(any_service)
    assert_error(ben.patch(f"useCases/{uc}/", json={"tags": ["b"]}), 403)
    assert_error(cat.patch(f"useCases/{uc}/", json={"tags": ["b"]}), 404)
    assert table_rows(any_service) == before
    assert cat.get("useCases/tags/").json()["data"] == []
    assert names(cat, tag="a") == []


def test_members_say_who_granted_their_role_and_when(any_service, people):
    ann, ben, cat = people
    uc = ann.create_use_case("Risk")["id"]
    ann.grant(uc, ben, "EDITOR", can_share=True)
    ben.grant(uc, cat, "CONSUMER")
    got = {m["username"]: m for m in ann.get(f"useCases/{uc}/sharedRoles/").json()["data"]}
    assert got[ann.username]["grantedBy"]["id"] == ann.id  # the creator's own
    assert got[ben.username]["grantedBy"]["id"] == ann.id
    assert got[cat.username]["grantedBy"]["id"] == ben.id
    first = got[cat.username]["grantedAt"]
    assert first >= got[ben.username]["grantedAt"]
    ann.grant(uc, cat, "EDITOR")  # a change is a new grant
    again = ann.get(f"useCases/{uc}/sharedRoles/", params={"id": cat.id}).json()["data"][0]
    assert (again["grantedBy"]["id"], again["role"]) == (ann.id, "EDITOR")
    assert again["grantedAt"] >= first
    app = ann.post("applications/", json={"name": "App"}).json()["id"]
    r = ann.patch(
        f"applications/{app}/sharedRoles/",
        json={"roles": [{"role": "CONSUMER", "shareRecipientType": "user", "id": cat.id}]},
    )
    assert r.status_code == 204, r.text
    roles = ann.get(f"applications/{app}/sharedRoles/").json()["data"]
    assert {m["username"]: m["grantedBy"]["id"] for m in roles} == {
        ann.username: ann.id,
        cat.username: ann.id,
    }


def test_the_migration_fills_in_who_granted_existing_roles(tmp_path):
    """A database made before grants were recorded: each member's grantor is the last share
    event naming them, or for the creator the use case itself; the when follows."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ucwidgets.server.store.db import Database, migrate
    from ucwidgets.server.store.schema import memberships

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", "ucwidgets.server.store:migrations")
    before = ScriptDirectory.from_config(cfg).get_revision("0012").down_revision
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, before)
    a, b, c, uc = "a" * 24, "b" * 24, "c" * 24, "d" * 24
    sql = [
        *(
            "INSERT INTO users (id, username, username_key, full_name, active, created_at) "
            f"VALUES ('{u}', '{u}@x', '{u}@x', '', true, 't0')"
            for u in (a, b, c)
        ),
        "INSERT INTO use_cases (id, name, created_by, created_at, updated_by, updated_at) "
        f"VALUES ('{uc}', 'Old', '{a}', 't1', '{a}', 't1')",
        *(
            "INSERT INTO memberships (use_case_id, user_id, role, can_share, created_at) "
            f"VALUES ('{uc}', '{u}', '{r}', true, 't2')"
            for u, r in ((a, "OWNER"), (b, "EDITOR"), (c, "CONSUMER"))
        ),
        "INSERT INTO events (use_case_id, actor_id, verb, entity_type, entity_id, entity_name, at)"
        f" VALUES ('{uc}', '{a}', 'shared', 'user', '{b}', 'b', 't3')",
        "INSERT INTO events (use_case_id, actor_id, verb, entity_type, entity_id, entity_name, at)"
        f" VALUES ('{uc}', '{b}', 'shared', 'user', '{b}', 'b', 't4')",
    ]
    with db.engine.begin() as conn:
        for statement in sql:
            conn.exec_driver_sql(statement)
    migrate(db)
    with db.read() as conn:
        m = memberships.c
        rows = conn.execute(select(memberships)).all()
        got = {r.user_id: (r.granted_by, r.granted_at) for r in rows}
        assert {r.uc_owner for r in rows} == {f"{a}@x"}
        assert conn.execute(select(m.user_id).where(m.granted_by.is_(None))).scalars().all() == [c]
    db.dispose()
    assert got == {a: (a, "t2"), b: (b, "t4"), c: (None, "t2")}


def test_the_trash_hides_tags_and_a_restore_brings_them_and_the_grants_back(any_service, people):
    ann, ben, _ = people
    uc = ann.create_use_case("Risk", tags=["Trashed"])["id"]
    ann.grant(uc, ben, "EDITOR")
    granted = ann.get(f"useCases/{uc}/sharedRoles/", params={"id": ben.id}).json()["data"][0]
    assert ann.delete(f"useCases/{uc}/").status_code == 204
    assert ann.get("useCases/tags/").json()["data"] == []
    assert names(ann, tag="trashed") == []
    assert ann.patch(f"useCases/{uc}/deleted/").status_code == 204
    assert ann.get(f"useCases/{uc}/").json()["tags"] == ["Trashed"]
    assert names(ben, tag="trashed") == ["Risk"]
    back = ann.get(f"useCases/{uc}/sharedRoles/", params={"id": ben.id}).json()["data"][0]
    assert (back["grantedBy"], back["grantedAt"]) == (granted["grantedBy"], granted["grantedAt"])


def test_the_owner_order_follows_owners_changing_hands(service, make_user, invariants):
    """Every way OWNERs change (a share, a deactivation's hand-over, the trash and back)
    keeps each member's copy of the owner key current (checked by the invariants)."""
    zed, amy, bob = make_user("zed@example.com"), make_user("amy@example.com"), make_user()
    uc = zed.create_use_case("Z's")["id"]
    zed.grant(uc, bob, "EDITOR")
    amy.create_use_case("A's")
    zed.grant(uc, amy, "CONSUMER")
    assert names(amy, orderBy="owner") == ["A's", "Z's"]  # amy@ before zed@
    assert names(amy, orderBy="-owner") == ["Z's", "A's"]
    zed.grant(uc, amy, "OWNER")  # now amy@ is the first OWNER of both: a tie, by id
    invariants(zed, amy, bob)
    assert names(amy, orderBy="owner") == names(amy, orderBy="-owner")[::-1]
    service.store.sharing.deactivate_user("amy@example.com", transfer_to=bob.username)
    invariants(zed, bob)
    assert zed.delete(f"useCases/{uc}/").status_code == 204
    assert zed.patch(f"useCases/{uc}/deleted/").status_code == 204
    invariants(zed, bob)
    # bob took over amy's ownerships: he is now the first OWNER of both (a tie, by id).
    assert sorted(names(bob, orderBy="owner")) == ["A's", "Z's"]
    assert names(bob, orderBy="owner") == names(bob, orderBy="-owner")[::-1]
