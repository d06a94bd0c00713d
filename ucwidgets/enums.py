"""Enumerations shared by the client and the service, named as in DataRobot's client.

Examples
--------
>>> from ucwidgets.enums import SHARING_ROLE, UseCaseEntityType
>>> SHARING_ROLE.CONSUMER == "CONSUMER"
True
>>> UseCaseEntityType.DATASET.url_segment
'datasets'
"""

from __future__ import annotations

from enum import Enum


class _StrEnum(str, Enum):
    """A string enum whose members compare equal to, and print as, their values."""

    def __str__(self) -> str:
        return str(self.value)


class SHARING_ROLE(_StrEnum):
    """Roles a share request may carry; only OWNER, EDITOR, CONSUMER and NO_ROLE suit use cases."""

    OWNER = "OWNER"
    READ_WRITE = "READ_WRITE"
    USER = "USER"
    EDITOR = "EDITOR"
    READ_ONLY = "READ_ONLY"
    CONSUMER = "CONSUMER"
    NO_ROLE = "NO_ROLE"


#: The roles a use case accepts in a share request; NO_ROLE revokes and is never stored.
USE_CASE_ROLES = ("OWNER", "EDITOR", "CONSUMER", "NO_ROLE")

#: Stored roles, highest first.
ROLE_RANK = {"OWNER": 3, "EDITOR": 2, "CONSUMER": 1}


class SHARING_RECIPIENT_TYPE(_StrEnum):
    """Kinds of share recipient; use cases support USER only."""

    USER = "user"
    ORGANIZATION = "organization"
    GROUP = "group"
    EXTERNAL_APPLICATION = "externalApplication"


class UseCaseEntityType(_StrEnum):
    """Asset kinds a use case can hold, with the URL segment each uses."""

    PROJECT = "project"
    DATASET = "dataset"
    NOTEBOOK = "notebook"
    APPLICATION = "application"
    RECIPE = "recipe"
    FILE = "file"

    @property
    def url_segment(self) -> str:
        """The plural path segment, e.g. ``datasets`` in ``useCases/{id}/datasets/{eid}/``."""
        return f"{self.value}s"


#: Entity types this service stores and links.
LINKABLE_TYPES = ("dataset", "project", "application", "notebook")


class PROJECT_STAGE(_StrEnum):
    """Stages of a project."""

    EMPTY = "empty"
    EDA = "eda"
    FASTEDA = "fasteda"
    AIM = "aim"
    EDA2 = "eda2"
    MODELING = "modeling"


class AUTOPILOT_MODE(_StrEnum):
    """Modeling modes accepted by ``analyze_and_model``."""

    FULL_AUTO = "auto"
    MANUAL = "manual"
    QUICK = "quick"
    COMPREHENSIVE = "comprehensive"


#: The integer DataRobot reports as ``autopilotMode`` for each mode.
AUTOPILOT_MODE_CODES = {"auto": 0, "manual": 2, "comprehensive": 3, "quick": 4}


class TARGET_TYPE(_StrEnum):
    """Target types inferred when a project's target is set."""

    BINARY = "Binary"
    REGRESSION = "Regression"
    MULTICLASS = "Multiclass"


class EVENT_VERB(_StrEnum):
    """What an entry of a use case's change feed records."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    SHARED = "shared"
    UNSHARED = "unshared"
    RESTORED = "restored"
    PURGED = "purged"
