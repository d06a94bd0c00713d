"""ACCESS.md's role table, each cell spelt out as the sub-cases it covers (run by
``test_access.py``): for every operation, what each column's caller gets."""

from __future__ import annotations

from typing import Any

ROLES = (
    "OWNER",
    "EDITOR+can_share",
    "EDITOR",
    "CONSUMER+can_share",
    "CONSUMER",
    "not a member",
    "no token",
)
#: The membership each column's caller holds; "no token" is an OWNER who sends no token.
GRANT = {
    "OWNER": ("OWNER", True),
    "EDITOR+can_share": ("EDITOR", True),
    "EDITOR": ("EDITOR", False),
    "CONSUMER+can_share": ("CONSUMER", True),
    "CONSUMER": ("CONSUMER", False),
    "not a member": None,
    "no token": ("OWNER", True),
}

Y = "yes"  # 2xx, and the effect is visible
NA = "n/a"  # 2xx, and nothing changes (there is nothing to do)
MINE = "its memberships"  # the listing holds exactly the caller's use cases, this one included
EMPTY = "sees nothing"  # the listing holds none of this use case

# fmt: off
TABLE: dict[str, tuple[Any, ...]] = {
    # operation (E+sh, C+sh: with can_share; non: not a member; none: no token)
    #                                              OWNER E+sh  EDIT  C+sh  CONS  non   none
    "list use cases":                             (MINE, MINE, MINE, MINE, MINE, EMPTY, 401),
    "get the use case":                           (Y,    Y,    Y,    Y,    Y,    404,  401),
    "get its members":                            (Y,    Y,    Y,    Y,    Y,    404,  401),
    "get its assets":                             (Y,    Y,    Y,    Y,    Y,    404,  401),
    "get its events":                             (Y,    Y,    Y,    Y,    Y,    404,  401),
    "create a use case":                          (Y,    Y,    Y,    Y,    Y,    Y,    401),
    "rename":                                     (Y,    Y,    Y,    403,  403,  404,  401),
    "set its tags":                               (Y,    Y,    Y,    403,  403,  404,  401),
    "list use cases by tag":                      (MINE, MINE, MINE, MINE, MINE, EMPTY, 401),
    "suggest tags (only its members see its own)": (Y,   Y,    Y,    Y,    Y,    Y,    401),
    "edit the description":                       (Y,    Y,    Y,    403,  403,  404,  401),
    "add a dataset":                              (Y,    Y,    Y,    403,  403,  404,  401),
    "add an application":                         (Y,    Y,    Y,    403,  403,  404,  401),
    "add an asset the caller cannot see":         (404,  404,  404,  403,  403,  404,  401),
    "remove an asset":                            (Y,    Y,    Y,    403,  403,  404,  401),
    "add assets in bulk":                         (Y,    Y,    Y,    403,  403,  404,  401),
    "remove assets in bulk":                      (Y,    Y,    Y,    403,  403,  404,  401),
    # the use case lends its OWNER and EDITOR+can_share the right to share its assets onwards
    "move an asset to a use case of one's own":   (Y,    Y,    403,  403,  403,  404,  401),
    "grant OWNER to a non-member":                (Y,    403,  403,  403,  403,  404,  401),
    "grant EDITOR to a non-member":               (Y,    Y,    403,  403,  403,  404,  401),
    "grant CONSUMER to a non-member":             (Y,    Y,    403,  Y,    403,  404,  401),
    "change an OWNER to EDITOR":                  (Y,    403,  403,  403,  403,  404,  401),
    "change an EDITOR to OWNER":                  (Y,    403,  403,  403,  403,  404,  401),
    "change an EDITOR to CONSUMER":               (Y,    Y,    403,  403,  403,  404,  401),
    "change a CONSUMER to EDITOR":                (Y,    Y,    403,  403,  403,  404,  401),
    "change a CONSUMER to OWNER":                 (Y,    403,  403,  403,  403,  404,  401),
    "revoke an OWNER":                            (Y,    403,  403,  403,  403,  404,  401),
    "revoke the last other OWNER, stepping down": (409,  403,  403,  403,  403,  404,  401),
    "revoke an EDITOR":                           (Y,    Y,    403,  403,  403,  404,  401),
    "revoke a CONSUMER":                          (Y,    Y,    403,  Y,    403,  404,  401),
    "give can_share to an EDITOR":                (Y,    Y,    403,  403,  403,  404,  401),
    "give can_share to a CONSUMER":               (Y,    Y,    403,  Y,    403,  404,  401),
    "grant CONSUMER + can_share to a non-member": (Y,    Y,    403,  Y,    403,  404,  401),
    "leave":                                      (Y,    Y,    Y,    Y,    Y,    404,  401),
    "leave as the last OWNER":                    (409,  Y,    Y,    Y,    Y,    404,  401),
    "demote oneself":                             (Y,    Y,    Y,    Y,    NA,   404,  401),
    "demote oneself as the last OWNER":           (409,  Y,    Y,    Y,    NA,   404,  401),
    "promote oneself one role":                   (NA,   403,  403,  403,  403,  404,  401),
    "promote oneself to OWNER":                   (NA,   403,  403,  403,  403,  404,  401),
    "give oneself can_share":                     (NA,   NA,   403,  NA,   403,  404,  401),
    "delete the use case":                        (Y,    403,  403,  403,  403,  404,  401),
    # in the trash (alice deletes it first): no member any more, restorable by its OWNERs
    "get the use case in the trash":              (404,  404,  404,  404,  404,  404,  401),
    "list the trash":                             (Y,    Y,    Y,    Y,    Y,    Y,    401),
    "restore the use case":                       (Y,    403,  403,  403,  403,  404,  401),
    "purge the use case":                         (Y,    403,  403,  403,  403,  404,  401),
}
# fmt: on

UP = {"OWNER": "OWNER", "EDITOR": "OWNER", "CONSUMER": "EDITOR"}
DOWN = {"OWNER": "EDITOR", "EDITOR": "CONSUMER", "CONSUMER": "CONSUMER"}
