"""SharingEditor: staged edits, one batched share, and controls that mirror ACCESS.md."""

from __future__ import annotations

import pytest

from ucwidgets.widgets.sharing import ROLE_WORDS, ROLES, SharingEditor
from widgets._helpers import HOSTILE, press, synced_text, typed


def _roles(api, use_case_id):
    items = api.get(f"useCases/{use_case_id}/sharedRoles/").json()["data"]
    return {item["name"]: (item["role"], item["canShare"]) for item in items}


def _row(editor, user):
    (row,) = [r for r in editor.rows if r["key"] in (user.id, f"new:{user.username}")]
    return row


def _editor(client, **kwargs):
    editor = SharingEditor(client=client, **kwargs)
    editor.wait()
    return editor


def test_add_a_member_as_you_type_then_apply(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    editor = _editor(client_of(alice), use_case=uc["id"])
    assert editor.my_role == "OWNER" and editor.my_can_share and editor.pending == []
    typed(editor, drafts={"user": "bo"})  # typing searches the service's users
    assert editor.suggestions == ["bob@example.com"] and editor.unknown_user == ""
    typed(editor, drafts={"user": "nobody-like-this"})
    assert editor.unknown_user == "nobody-like-this"  # flagged before anything is sent
    press(editor, "add_member", username="bob@example.com", role="EDITOR", can_share=True)
    assert editor.pending == ["add bob@example.com as EDITOR"] and "user" not in editor.drafts
    assert _roles(alice, uc["id"]) == {"alice@example.com": ("OWNER", True)}  # not yet
    press(editor, "share")
    assert editor.error == "" and editor.changes == {} and editor.applied == 1
    assert _roles(bob, uc["id"])["bob@example.com"] == ("EDITOR", True)


def test_roles_are_described_in_plain_words(alice, client_of):
    uc = alice.create_use_case("Risk")
    editor = _editor(client_of(alice), use_case=uc["id"])
    assert set(editor.role_words) == set(ROLES)
    assert editor.role_words["CONSUMER"] == ROLE_WORDS["CONSUMER"][0]
    assert all("OWNER" not in words for words in editor.role_words.values())


def test_row_edits_go_out_as_one_batch(alice, bob, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "CONSUMER")
    alice.grant(uc["id"], carol, "EDITOR")
    editor = _editor(client_of(alice), use_case=uc["id"])
    press(editor, "set_role", member=bob.id, role="EDITOR")
    press(editor, "set_can_share", member=bob.id, can_share=True)
    press(editor, "toggle_remove", member=carol.id)
    assert _row(editor, carol)["removing"]
    before = alice.get(f"useCases/{uc['id']}/events/").json()["data"]
    press(editor, "share")
    assert editor.error == "" and editor.notice == "Applied 2 changes."
    assert _roles(alice, uc["id"]) == {
        "alice@example.com": ("OWNER", True),
        "bob@example.com": ("EDITOR", True),
    }
    after = alice.get(f"useCases/{uc['id']}/events/").json()["data"]
    assert len(after) - len(before) == 2  # one request, both changes announced


def test_undo_and_discard_restore_the_rows(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "CONSUMER")
    editor = _editor(client_of(alice), use_case=uc["id"])
    press(editor, "toggle_remove", member=bob.id)
    press(editor, "toggle_remove", member=bob.id)  # undo
    assert editor.changes == {} and not _row(editor, bob)["removing"]
    press(editor, "set_role", member=bob.id, role="EDITOR")
    press(editor, "discard")
    assert editor.changes == {} and _row(editor, bob)["role"] == "CONSUMER"


def test_last_owner_error_is_shown_and_nothing_changes(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    editor = _editor(client_of(alice), use_case=uc["id"])
    assert _row(editor, alice)["is_self"]
    press(editor, "set_role", member=alice.id, role="EDITOR")  # demote myself, the only OWNER
    press(editor, "share")
    assert "at least one active OWNER" in editor.errors["apply"]["message"]
    assert editor.errors["apply"]["transient"] is False  # no Retry for a refusal
    assert editor.changes  # kept, so the user can fix them
    assert _roles(alice, uc["id"])["alice@example.com"] == ("OWNER", True)


def test_editor_who_may_share_sees_only_what_they_may_do(alice, bob, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR", can_share=True)
    alice.grant(uc["id"], carol, "CONSUMER")
    editor = _editor(client_of(bob), use_case=uc["id"])
    owner, consumer = _row(editor, alice), _row(editor, carol)
    assert owner["roles"] == ["OWNER"] and not owner["can_remove"] and not owner["can_toggle"]
    assert consumer["roles"] == ["EDITOR", "CONSUMER"] and consumer["can_remove"]
    assert editor.grantable == ["EDITOR", "CONSUMER"]
    press(editor, "set_role", member=carol.id, role="EDITOR")
    press(editor, "share")
    assert editor.error == "" and _roles(alice, uc["id"])["carol@example.com"][0] == "EDITOR"


def test_consumer_without_share_can_only_leave(alice, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], carol, "CONSUMER")
    editor = _editor(client_of(carol), use_case=uc["id"])
    assert editor.grantable == [] and not editor.my_can_share
    assert not _row(editor, alice)["can_remove"]
    mine = _row(editor, carol)
    assert mine["roles"] == ["CONSUMER"] and mine["can_remove"]
    press(editor, "toggle_remove", member=carol.id)
    press(editor, "share")
    assert editor.error == "" and editor.notice.startswith("You left")
    assert alice.get(f"useCases/{uc['id']}/").json()["members"][0]["username"] == (
        "alice@example.com"
    )
    assert carol.get(f"useCases/{uc['id']}/").status_code == 404


def test_a_refused_grant_shows_the_services_reason(alice, bob, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "CONSUMER", can_share=True)
    editor = _editor(client_of(bob), use_case=uc["id"])
    from ucwidgets.models.sharing import SharingRole

    # Past the widget's own limits (as a script might): the service still decides.
    with pytest.raises(Exception, match="at most the CONSUMER role"):
        editor.share([SharingRole(role="EDITOR", id=carol.id)])
    assert "carol@example.com" not in _roles(alice, uc["id"])


def test_unknown_user_is_rejected_whole(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    editor = _editor(client_of(alice), use_case=uc["id"])
    editor.add_member(bob.username, "CONSUMER")
    editor.add_member("nobody@example.com", "CONSUMER")
    press(editor, "share")
    assert "roles[1]" in editor.error
    assert set(_roles(alice, uc["id"])) == {"alice@example.com"}  # all or nothing


GRANTORS = [
    ("OWNER", True),
    ("EDITOR", True),
    ("EDITOR", False),
    ("CONSUMER", True),
    ("CONSUMER", False),
]


@pytest.mark.parametrize(("grantor_role", "grantor_share"), GRANTORS)
@pytest.mark.parametrize("target_role", ROLES)
def test_offered_roles_are_exactly_what_the_service_accepts(
    alice, bob, carol, client_of, grantor_role, grantor_share, target_role
):
    """Every role the editor offers is accepted by the service, every other refused."""
    uc = alice.create_use_case("Risk")
    if grantor_role == "OWNER":
        alice.grant(uc["id"], bob, "OWNER")
    else:
        alice.grant(uc["id"], bob, grantor_role, can_share=grantor_share)
    alice.grant(uc["id"], carol, target_role)
    editor = _editor(client_of(bob), use_case=uc["id"])
    row = _row(editor, carol)
    # The row offers what the service says (assignable), never a rule of the widget's own.
    offered, can_remove = row["roles"], row["can_remove"]
    enabled = len(offered) >= 2
    for role in [*ROLES, "NO_ROLE"]:
        if role == target_role:
            continue
        allowed = (role in offered and enabled) if role != "NO_ROLE" else can_remove
        r = bob.share(uc["id"], {"role": role, "shareRecipientType": "user", "id": carol.id})
        assert (r.status_code == 204) == allowed, (role, r.status_code, r.text)
        if r.status_code == 204:  # put carol back for the next role
            alice.grant(uc["id"], carol, target_role)


def test_hostile_member_names_are_data(make_user, alice, client_of):
    evil = make_user(f"{HOSTILE}@example.com", HOSTILE)
    uc = alice.create_use_case(HOSTILE)
    alice.grant(uc["id"], evil, "CONSUMER")
    editor = _editor(client_of(alice), use_case=uc["id"])
    press(editor, "set_role", member=evil.id, role="EDITOR")  # the pending list names them too
    assert editor.use_case_name == HOSTILE and _row(editor, evil)["full_name"] == HOSTILE
    assert editor.pending == [f"{HOSTILE}@example.com: CONSUMER → EDITOR"]
    assert HOSTILE in synced_text(editor)
