"""The hostile corpus's cases for sharing (see ``hostile_cases``): a use case's members, and an
asset's roles and access control."""

from __future__ import annotations

from typing import Any

from hostile_cases import Case


# -- sharing -------------------------------------------------------------------------------------
def role_entry(**fields: Any) -> dict[str, Any]:
    """One entry of a share request (a CONSUMER user unless ``fields`` say otherwise)."""
    return {"role": "CONSUMER", "shareRecipientType": "user", **fields}


def sharing_cases() -> list[Case]:
    """Use case share requests malformed, or made by an actor whose role forbids them."""
    batches = {
        "unknown id": ([role_entry(id="0" * 24)], 422),
        "unknown username": ([role_entry(username="nobody@example.com")], 422),
        "a username in another case": ([role_entry(username="DAVE@example.com")], 422),
        "id and username disagree": (
            [role_entry(id="{dave_id}", username="carol@example.com")],
            422,
        ),
        "neither id nor username": ([role_entry()], 422),
        "lower-case role": ([role_entry(id="{dave_id}", role="consumer")], 422),
        "unknown role": ([role_entry(id="{dave_id}", role="ADMIN")], 422),
        "canShare as a string": ([role_entry(id="{dave_id}", canShare="true")], 422),
        "same recipient twice": (
            [role_entry(id="{dave_id}"), role_entry(username="dave@example.com")],
            422,
        ),
        "101 recipients": ([role_entry(id="{dave_id}")] * 101, 422),
        "empty batch": ([], 422),
        "username with a NUL": ([role_entry(username="dave\x00@example.com")], 422),
        "id with a NUL": ([role_entry(id="\x00" * 24)], 422),
        "revoking the last owner": ([role_entry(id="{alice_id}", role="NO_ROLE")], 409),
        "demoting the last owner": ([role_entry(id="{alice_id}", role="EDITOR")], 409),
    }
    cases = [
        Case(
            "sharing",
            label,
            "alice",
            "PATCH",
            "useCases/{uc}/sharedRoles/",
            status,
            {"operation": "updateRoles", "roles": roles},
        )
        for label, (roles, status) in batches.items()
    ]
    by_role = [
        ("a CONSUMER sharing", "carol", [role_entry(id="{dave_id}")], 403),
        ("an EDITOR revoking an OWNER", "bob", [role_entry(id="{alice_id}", role="NO_ROLE")], 403),
        ("an EDITOR granting OWNER", "bob", [role_entry(id="{dave_id}", role="OWNER")], 403),
        ("a CONSUMER promoting itself", "carol", [role_entry(id="{carol_id}", role="EDITOR")], 403),
        ("a non-member sharing", "dave", [role_entry(id="{dave_id}")], 404),
        ("no token", "anon", [role_entry(id="{dave_id}")], 401),
    ]
    cases += [
        Case(
            "sharing",
            label,
            actor,
            "PATCH",
            "useCases/{uc}/sharedRoles/",
            status,
            {"operation": "updateRoles", "roles": roles},
        )
        for label, actor, roles, status in by_role
    ]
    cases += [
        Case(
            "sharing",
            "a CONSUMER renaming",
            "carol",
            "PATCH",
            "useCases/{uc}/",
            403,
            {"name": "mine"},
        ),
        Case(
            "sharing",
            "a CONSUMER removing an asset",
            "carol",
            "DELETE",
            "useCases/{uc}/datasets/{dataset}/",
            403,
        ),
        Case("sharing", "an EDITOR deleting the use case", "bob", "DELETE", "useCases/{uc}/", 403),
        Case(
            "sharing",
            "a non-member reading members",
            "dave",
            "GET",
            "useCases/{uc}/sharedRoles/",
            404,
        ),
        Case("sharing", "a non-member reading events", "dave", "GET", "useCases/{uc}/events/", 404),
    ]
    return cases


# -- asset sharing -------------------------------------------------------------------------------
def _access(**fields: Any) -> dict[str, Any]:
    return {"role": "CONSUMER", "canShare": False, "canUseData": True, **fields}


ROLE_ROUTES = {
    "dataset": "datasets/{dataset}/sharedRoles/",
    "application": "applications/{application}/sharedRoles/",
    "notebook": "notebooks/{notebook}/sharedRoles/",
}
ACCESS_ROUTES = {
    "dataset": "datasets/{dataset}/accessControl/",
    "project": "projects/{project}/accessControl/",
}


def asset_sharing_cases() -> list[Case]:
    """Asset share requests (roles and access control) malformed or forbidden."""
    roles = {
        "unknown id": ([role_entry(id="0" * 24)], 422),
        "lower-case role": ([role_entry(id="{dave_id}", role="consumer")], 422),
        "canShare as a string": ([role_entry(id="{dave_id}", canShare="yes")], 422),
        "same recipient twice": ([role_entry(id="{dave_id}"), role_entry(id="{dave_id}")], 422),
        "101 recipients": ([role_entry(id="{dave_id}")] * 101, 422),
        "username with a NUL": ([role_entry(username="dave\x00@example.com")], 422),
        "revoking the last owner": ([role_entry(id="{alice_id}", role="NO_ROLE")], 409),
    }
    cases = [
        Case(
            "asset sharing",
            f"{kind} roles, {label}",
            "alice",
            "PATCH",
            path,
            status,
            {"operation": "updateRoles", "roles": entries},
        )
        for kind, path in ROLE_ROUTES.items()
        for label, (entries, status) in roles.items()
    ]
    access = {
        "unknown username": ([_access(username="nobody@example.com")], 422),
        "username in another case": ([_access(username="DAVE@example.com")], 422),
        "no username": ([_access()], 422),
        "lower-case role": ([_access(username="dave@example.com", role="owner")], 422),
        "canShare as a string": ([_access(username="dave@example.com", canShare="1")], 422),
        "101 entries": ([_access(username="dave@example.com")] * 101, 422),
        "data not a list": ({"username": "dave@example.com"}, 422),
    }
    cases += [
        Case(
            "asset sharing",
            f"{kind} access, {label}",
            "alice",
            "PATCH",
            path,
            status,
            {"data": entries},
        )
        for kind, path in ACCESS_ROUTES.items()
        for label, (entries, status) in access.items()
    ]
    by_actor = [
        (
            "a CONSUMER through the use case sharing a dataset",
            "carol",
            "PATCH",
            ROLE_ROUTES["dataset"],
            403,
        ),
        ("a non-member sharing a dataset", "dave", "PATCH", ROLE_ROUTES["dataset"], 404),
        ("a non-member reading a dataset's roles", "dave", "GET", ROLE_ROUTES["dataset"], 404),
        ("a non-member reading a project's access", "dave", "GET", ACCESS_ROUTES["project"], 404),
        ("no token on a notebook's roles", "anon", "GET", ROLE_ROUTES["notebook"], 401),
        ("a deleted dataset's roles", "alice", "GET", "datasets/{gone_dataset}/sharedRoles/", 404),
        ("NUL as an application id", "alice", "GET", "applications/%00/sharedRoles/", 404),
    ]
    cases += [
        Case(
            "asset sharing",
            label,
            actor,
            method,
            path,
            status,
            {"operation": "updateRoles", "roles": [role_entry(id="{dave_id}")]}
            if method == "PATCH"
            else None,
        )
        for label, actor, method, path, status in by_actor
    ]
    return cases
