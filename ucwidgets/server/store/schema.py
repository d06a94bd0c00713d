"""The service's tables, in SQLAlchemy Core.

Ids are 24 hex characters, like DataRobot's. Times are ISO-8601 UTC strings with microseconds
(``2024-01-02T03:04:05.000000Z``): they sort as text, read the same in SQLite and PostgreSQL, and
go on the wire unchanged. Alembic's first migration creates exactly these tables; a test checks
that the migrated database and this metadata agree.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(24)
TIME = String(27)


def _id(name: str = "id") -> Column:
    return Column(name, ID, primary_key=True)


def _user_fk(name: str, nullable: bool = False) -> Column:
    return Column(name, ID, ForeignKey("users.id"), nullable=nullable)


users = Table(
    "users",
    metadata,
    _id(),
    Column("username", String(254), nullable=False, unique=True),
    # The NFKC-casefolded username (validate.username_key): unique, so that two users can never
    # differ only in case or compatibility forms.
    Column("username_key", Text, nullable=False, unique=True),
    Column("full_name", Text, nullable=False, server_default=""),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", TIME, nullable=False),
    # Events up to this id count as read in the caller's notifications.
    Column("read_upto", BigInteger, nullable=False, server_default=text("0")),
    # How many use cases the user belongs to, kept in step with memberships in the same
    # transaction: the total of an unfiltered listing, which counting would read all of.
    Column("use_cases_count", BigInteger, nullable=False, server_default=text("0")),
)

tokens = Table(
    "tokens",
    metadata,
    _id(),
    _user_fk("user_id"),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", TIME, nullable=False),
)

use_cases = Table(
    "use_cases",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    _user_fk("updated_by"),
    Column("updated_at", TIME, nullable=False),
    # Name and description folded for search (see text_search); indexed by trigrams, by an
    # FTS5 table on SQLite and a pg_trgm index on PostgreSQL, both made by migration 0006.
    Column("search_text", Text, nullable=False, server_default=""),
    Index("ix_use_cases_name", "name"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("use_case_id", ID, ForeignKey("use_cases.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id"), primary_key=True),
    Column("role", String(8), nullable=False),
    Column("can_share", Boolean, nullable=False),
    Column("created_at", TIME, nullable=False),
    # Who gave the current role and when (NULL only where a migrated grant left no trace).
    Column("granted_by", ID, ForeignKey("users.id"), nullable=True),
    Column("granted_at", TIME, nullable=True),
    # Copies of the use case's sort keys, so that a member's listing is an index range scan
    # (one page of rows read, however many use cases they have) rather than a sort of them all.
    Column("uc_name", Text, nullable=False, server_default=""),
    Column("uc_created_at", TIME, nullable=False, server_default=""),
    Column("uc_updated_at", TIME, nullable=False, server_default=""),
    # The start of the description, and the creator's and last updater's usernames.
    Column("uc_description", Text, nullable=False, server_default=""),
    Column("uc_created_by", Text, nullable=False, server_default=""),
    Column("uc_updated_by", Text, nullable=False, server_default=""),
    # The first of its OWNERs' usernames, in the order usernames sort.
    Column("uc_owner", Text, nullable=False, server_default=""),
    # Linked assets per type, kept in the transaction that changes the links.
    *(
        Column(f"uc_{etype}s_count", Integer, nullable=False, server_default=text("0"))
        for etype in ("project", "dataset", "notebook", "application")
    ),
    Index("ix_memberships_user", "user_id", "use_case_id"),
    # The caller's own role, as a filter and an order ("your role").
    Index("ix_memberships_user_role", "user_id", "role", "use_case_id"),
    *(
        Index(f"ix_memberships_user_{key}", "user_id", f"uc_{column}", "use_case_id")
        for key, column in (
            ("name", "name"),
            ("created", "created_at"),
            ("updated", "updated_at"),
            ("description", "description"),
            ("created_by", "created_by"),
            ("updated_by", "updated_by"),
            ("owner", "owner"),
            ("projects", "projects_count"),
            ("datasets", "datasets_count"),
            ("notebooks", "notebooks_count"),
            ("applications", "applications_count"),
        )
    ),
)

# A use case's labels: ``tag`` as given, ``tag_key`` its NFKC-casefolded form, which matches
# and which no two tags of one use case share; ``position`` keeps the order they were set in.
use_case_tags = Table(
    "use_case_tags",
    metadata,
    Column("use_case_id", ID, ForeignKey("use_cases.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_key", Text, primary_key=True),
    Column("tag", Text, nullable=False),
    Column("position", Integer, nullable=False),
    # The use cases carrying one tag: the filter probes it per tag.
    Index("ix_use_case_tags_key", "tag_key", "use_case_id"),
)

# Every asset's own role list (its creator is its first OWNER), beside the roles its use cases
# lend their members. ``entity_type`` is dataset, project, application or notebook.
asset_roles = Table(
    "asset_roles",
    metadata,
    Column("entity_type", String(16), primary_key=True),
    Column("entity_id", ID, primary_key=True),
    Column("user_id", ID, ForeignKey("users.id"), primary_key=True),
    Column("role", String(8), nullable=False),
    Column("can_share", Boolean, nullable=False),
    _user_fk("granted_by"),
    Column("created_at", TIME, nullable=False),
    Column("granted_at", TIME, nullable=True),
    # "Shared with me" and "what can this user see" read one user's rows of one type.
    Index("ix_asset_roles_user", "user_id", "entity_type", "entity_id"),
)

datasets = Table(
    "datasets",
    metadata,
    _id(),
    Column("version_id", ID, nullable=False),
    Column("name", Text, nullable=False),
    Column("categories", JSON, nullable=False),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    Column("blob", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("row_count", BigInteger, nullable=False),
    Column("columns", JSON, nullable=False),
    Column("updated_at", TIME, nullable=False),
    _user_fk("updated_by"),
    Index("ix_datasets_created_by", "created_by"),
)

projects = Table(
    "projects",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("dataset_id", ID, ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True),
    Column("file_name", Text, nullable=False),
    # The project keeps its own copy of the data's address, so it outlives its dataset.
    Column("blob", String(64), nullable=False),
    Column("row_count", BigInteger, nullable=False),
    Column("columns", JSON, nullable=False),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("target", Text, nullable=True),
    Column("target_type", String(16), nullable=True),
    Column("metric", String(32), nullable=True),
    Column("positive_class", Text, nullable=True),
    Column("autopilot_mode", Integer, nullable=True),
    Column("worker_count", Integer, nullable=True),
    Column("status", String(16), nullable=False, server_default="ok"),
    Column("failure", Text, nullable=True),
    # After aim: queued, running, done or failed (the stage stays "modeling", as DataRobot's).
    Column("modeling_status", String(16), nullable=True),
    Index("ix_projects_created_by", "created_by"),
)

applications = Table(
    "applications",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("url", Text, nullable=False, server_default=""),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    Column("updated_at", TIME, nullable=False),
    Index("ix_applications_created_by", "created_by"),
)

notebooks = Table(
    "notebooks",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    Column("updated_at", TIME, nullable=False),
    Index("ix_notebooks_created_by", "created_by"),
)

links = Table(
    "links",
    metadata,
    _id(),
    Column("use_case_id", ID, ForeignKey("use_cases.id", ondelete="CASCADE"), nullable=False),
    Column("entity_type", String(16), nullable=False),
    Column("entity_id", ID, nullable=False),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    UniqueConstraint("use_case_id", "entity_type", "entity_id", name="uq_links_entity"),
    Index("ix_links_entity", "entity_type", "entity_id"),
    # A project or an application lives in at most one use case; the store checks it first to
    # give a clear 409, this index makes a race impossible.
    Index(
        "uq_links_single_home",
        "entity_type",
        "entity_id",
        unique=True,
        sqlite_where=text("entity_type IN ('project', 'application')"),
        postgresql_where=text("entity_type IN ('project', 'application')"),
    ),
)

# The trash: a deleted use case or asset keeps its row until it is purged (on demand, or by the
# sweep once it is older than the service's trash days). What made it visible moves aside, so
# that every query that lists, counts or reads through memberships, roles and links passes it
# by without a filter: a use case's memberships and an asset's own roles go to
# ``trashed_grants``, an asset's links to ``trashed_links``. A trashed use case keeps its own
# links (nobody can reach them without a membership). Restoring moves them back.
trash = Table(
    "trash",
    metadata,
    # useCase, dataset, project, application or notebook
    Column("entity_type", String(16), primary_key=True),
    Column("entity_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    _user_fk("deleted_by"),
    Column("deleted_at", TIME, nullable=False),
    Index("ix_trash_deleted_at", "deleted_at"),
)

_IN_TRASH = (["entity_type", "entity_id"], ["trash.entity_type", "trash.entity_id"])

trashed_grants = Table(
    "trashed_grants",
    metadata,
    Column("entity_type", String(16), primary_key=True),
    Column("entity_id", ID, primary_key=True),
    Column("user_id", ID, ForeignKey("users.id"), primary_key=True),
    Column("role", String(8), nullable=False),
    Column("can_share", Boolean, nullable=False),
    # Who granted the role and when, as the membership or asset role recorded it.
    _user_fk("granted_by", nullable=True),
    Column("created_at", TIME, nullable=False),
    Column("granted_at", TIME, nullable=True),
    ForeignKeyConstraint(*_IN_TRASH, ondelete="CASCADE"),
    # The trash listing reads the caller's OWNER grants.
    Index("ix_trashed_grants_user", "user_id", "role"),
)

trashed_links = Table(
    "trashed_links",
    metadata,
    _id(),
    Column("use_case_id", ID, ForeignKey("use_cases.id", ondelete="CASCADE"), nullable=False),
    Column("entity_type", String(16), nullable=False),
    Column("entity_id", ID, nullable=False),
    _user_fk("created_by"),
    Column("created_at", TIME, nullable=False),
    ForeignKeyConstraint(*_IN_TRASH, ondelete="CASCADE"),
    Index("ix_trashed_links_entity", "entity_type", "entity_id"),
)

events = Table(
    "events",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    # NULL only for a notice to one recipient about a use case that is gone (``deleted``):
    # it names the use case in entity_id/entity_name and refers to no row (invariant 4).
    Column("use_case_id", ID, ForeignKey("use_cases.id", ondelete="CASCADE"), nullable=True),
    _user_fk("actor_id"),
    Column("verb", String(16), nullable=False),
    Column("entity_type", String(16), nullable=False),
    Column("entity_id", ID, nullable=False),
    Column("entity_name", Text, nullable=False),
    Column("at", TIME, nullable=False),
    # Who else sees the event although not (or no longer) a member: the user a share or
    # unshare names, the former member a deletion notice is for.
    Column("recipient_id", ID, ForeignKey("users.id"), nullable=True),
    # What the feed says beyond the verb: for shares {"role", "canShare"}.
    Column("detail", JSON, nullable=True),
    Index("ix_events_use_case", "use_case_id", "id"),
    Index("ix_events_recipient", "recipient_id", "id"),
)

# Events a user marked read one by one, beyond their ``users.read_upto`` mark.
event_reads = Table(
    "event_reads",
    metadata,
    Column("user_id", ID, ForeignKey("users.id"), primary_key=True),
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
)

jobs = Table(
    "jobs",
    metadata,
    _id(),
    _user_fk("user_id"),
    Column("status", String(16), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    # The finished resource, relative to the API root (``datasets/{id}/``).
    Column("location", Text, nullable=True),
    Column("created_at", TIME, nullable=False),
)

# One row per model to train; ids are integers, as DataRobot's job ids are.
modeling_jobs = Table(
    "modeling_jobs",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("project_id", ID, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    _user_fk("user_id"),
    Column("blueprint", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # queued, running, done, failed
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    # The service instance running it ("host:pid:nonce") and its last sign of life.
    Column("worker", Text, nullable=True),
    Column("heartbeat_at", TIME, nullable=True),
    Column("failure", Text, nullable=True),
    Column("created_at", TIME, nullable=False),
    Column("started_at", TIME, nullable=True),
    Column("finished_at", TIME, nullable=True),
    Index("ix_modeling_jobs_status", "status", "id"),
    Index("ix_modeling_jobs_project", "project_id", "id"),
)

models = Table(
    "models",
    metadata,
    _id(),
    Column("project_id", ID, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("model_number", Integer, nullable=False),
    Column("blueprint", String(32), nullable=False),
    Column("model_type", Text, nullable=False),
    # {"AUC": {"validation": x, "crossValidation": y, "holdout": z}, ...}
    Column("metrics", JSON, nullable=False),
    Column("sample_pct", Float, nullable=False),
    Column("training_row_count", BigInteger, nullable=False),
    Column("training_seconds", Float, nullable=False),
    # The pickled pipeline, in the blob store; what predicting needs to rebuild the input.
    Column("blob", String(64), nullable=False),
    Column("details", JSON, nullable=False),
    Column("created_at", TIME, nullable=False),
    Index("ix_models_project", "project_id", "model_number"),
)
