"""SharingEditor: staged edits, one batched share, and controls that mirror ACCESS.md."""

from __future__ import annotations

import pytest

from ucwidgets.widgets.sharing import ROLES, SharingEditor, row_rules
from widgets._helpers import ESCAPED, HOSTILE, assert_no_markup, by_class, html_values


def _roles(api, use_case_id):
    items = api.get(f"useCases/{use_case_id}/sharedRoles/").json()["data"]
    return {item["name"]: (item["role"], item["canShare"]) for item in items}


def _row(editor, user):
    (row,) = [r for r in editor._rows.values() if r.key in (user.id, f"new:{user.username}")]
    return row


def test_add_a_member_with_completion_then_apply(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    editor = SharingEditor(client=client_of(alice), use_case=uc["id"])
    assert editor.my_role == "OWNER" and editor.apply_button.disabled
    editor.user_combobox.value = "bo"
    assert editor.user_combobox.options == ("bob@example.com",)
    editor.user_combobox.value = "bob@example.com"
    editor.role_dropdown.value = "EDITOR"
    editor.can_share_checkbox.value = True
    editor.add_button.click()
    assert "add bob@example.com as EDITOR" in editor.pending_html.value
    assert _roles(alice, uc["id"]) == {"alice@example.com": ("OWNER", True)}  # not yet
    editor.apply_button.click()
    assert editor.error == "" and editor.changes == {} and editor.applied == 1
    assert _roles(bob, uc["id"])["bob@example.com"] == ("EDITOR", True)


def test_row_edits_go_out_as_one_batch(alice, bob, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "CONSUMER")
    alice.grant(uc["id"], carol, "EDITOR")
    editor = SharingEditor(client=client_of(alice), use_case=uc["id"])
    _row(editor, bob).role_dropdown.value = "EDITOR"
    _row(editor, bob).can_share_checkbox.value = True
    _row(editor, carol).remove_button.click()
    assert _row(editor, carol).remove_button.description == "Undo"
    before = alice.get(f"useCases/{uc['id']}/events/").json()["data"]
    editor.apply_button.click()
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
    editor = SharingEditor(client=client_of(alice), use_case=uc["id"])
    row = _row(editor, bob)
    row.remove_button.click()
    row.remove_button.click()  # undo
    assert editor.changes == {} and row.remove_button.description == "Remove"
    row.role_dropdown.value = "EDITOR"
    editor.discard_button.click()
    assert editor.changes == {} and row.role_dropdown.value == "CONSUMER"


def test_last_owner_error_is_shown_and_nothing_changes(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR")
    editor = SharingEditor(client=client_of(alice), use_case=uc["id"])
    mine = _row(editor, alice)
    assert mine.remove_button.description == "Leave"
    mine.role_dropdown.value = "EDITOR"  # demote myself, the only OWNER
    editor.apply_button.click()
    assert "at least one active OWNER" in editor.error
    assert editor.changes  # kept, so the user can fix them
    assert _roles(alice, uc["id"])["alice@example.com"] == ("OWNER", True)


def test_editor_who_may_share_sees_only_what_they_may_do(alice, bob, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "EDITOR", can_share=True)
    alice.grant(uc["id"], carol, "CONSUMER")
    editor = SharingEditor(client=client_of(bob), use_case=uc["id"])
    owner, consumer = _row(editor, alice), _row(editor, carol)
    assert owner.role_dropdown.disabled and owner.remove_button.disabled
    assert owner.can_share_checkbox.disabled
    assert [v for _, v in consumer.role_dropdown.options] == ["EDITOR", "CONSUMER"]
    assert not consumer.remove_button.disabled
    assert [v for _, v in editor.role_dropdown.options] == ["EDITOR", "CONSUMER"]
    consumer.role_dropdown.value = "EDITOR"
    editor.apply_button.click()
    assert editor.error == "" and _roles(alice, uc["id"])["carol@example.com"][0] == "EDITOR"


def test_consumer_without_share_can_only_leave(alice, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], carol, "CONSUMER")
    editor = SharingEditor(client=client_of(carol), use_case=uc["id"])
    assert editor.add_button.disabled and editor.user_combobox.disabled
    assert _row(editor, alice).remove_button.disabled
    mine = _row(editor, carol)
    assert mine.role_dropdown.disabled and not mine.remove_button.disabled
    mine.remove_button.click()
    editor.apply_button.click()
    assert editor.error == ""
    assert alice.get(f"useCases/{uc['id']}/").json()["members"][0]["username"] == (
        "alice@example.com"
    )
    assert carol.get(f"useCases/{uc['id']}/").status_code == 404


def test_a_refused_grant_shows_the_services_reason(alice, bob, carol, client_of):
    uc = alice.create_use_case("Risk")
    alice.grant(uc["id"], bob, "CONSUMER", can_share=True)
    editor = SharingEditor(client=client_of(bob), use_case=uc["id"])
    from ucwidgets.models.sharing import SharingRole

    # Past the widget's own limits (as a script might): the service still decides.
    with pytest.raises(Exception, match="at most the CONSUMER role"):
        editor.share([SharingRole(role="EDITOR", id=carol.id)])
    assert "carol@example.com" not in _roles(alice, uc["id"])


def test_unknown_user_is_rejected_whole(alice, bob, client_of):
    uc = alice.create_use_case("Risk")
    editor = SharingEditor(client=client_of(alice), use_case=uc["id"])
    editor.add_member(bob.username, "CONSUMER")
    editor.add_member("nobody@example.com", "CONSUMER")
    editor.apply_button.click()
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
    """The editor mirrors ACCESS.md: every role it offers is accepted, every other refused."""
    uc = alice.create_use_case("Risk")
    if grantor_role == "OWNER":
        alice.grant(uc["id"], bob, "OWNER")
    else:
        alice.grant(uc["id"], bob, grantor_role, can_share=grantor_share)
    alice.grant(uc["id"], carol, target_role)
    editor = SharingEditor(client=client_of(bob), use_case=uc["id"])
    row = _row(editor, carol)
    offered, can_remove, _ = row_rules(editor.my_role, editor.my_can_share, target_role, False)
    enabled = not row.role_dropdown.disabled
    assert set(v for _, v in row.role_dropdown.options) - {target_role} == (
        set(offered) - {target_role}
    )
    for role in [*ROLES, "NO_ROLE"]:
        if role == target_role:
            continue
        allowed = (role in offered and enabled) if role != "NO_ROLE" else can_remove
        r = bob.share(uc["id"], {"role": role, "shareRecipientType": "user", "id": carol.id})
        assert (r.status_code == 204) == allowed, (role, r.status_code, r.text)
        if r.status_code == 204:  # put carol back for the next role
            alice.grant(uc["id"], carol, target_role)


def test_hostile_member_names_are_text(make_user, alice, client_of):
    evil = make_user(f"{HOSTILE}@example.com", HOSTILE)
    uc = alice.create_use_case(HOSTILE)
    alice.grant(uc["id"], evil, "CONSUMER")
    editor = SharingEditor(client=client_of(alice), use_case=uc["id"])
    _row(editor, evil).role_dropdown.value = "EDITOR"  # the pending list names them too
    assert_no_markup(editor)
    assert sum(ESCAPED in v for v in html_values(editor)) >= 3
    assert by_class(editor, "ucw-share-row")
