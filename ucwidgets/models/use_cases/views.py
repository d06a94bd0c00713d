"""A use case's tags, and the use case as tables: its assets, its members (tags need
ucwidgets' service).

Examples
--------
>>> risk = risk.update(tags=["credit", "Q3"])  # doctest: +SKIP
>>> dr.UseCase.list(search_params={"tag": ["credit", "q3"]})  # doctest: +SKIP
>>> dr.UseCase.list_tags(prefix="cr")  # doctest: +SKIP
['credit']
>>> risk.members_frame()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ucwidgets.models._base import require_ucwidgets, user_label
from ucwidgets.models.listing import build_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Views"]

#: Columns of :meth:`UseCase.assets_frame`.
ASSET_COLUMNS: dict[str, str] = {
    "entity_type": "string",
    "id": "string",
    "name": "string",
    "created_by": "string",
    "created_at": "datetime64[ns, UTC]",
}


class Views:
    """Tags, assets and members of :class:`~ucwidgets.UseCase` as lists and tables."""

    _client: Callable[[], Any]  # the model base class's
    get_shared_roles: Callable[..., Any]
    list_datasets: Callable[[], Any]
    list_projects: Callable[[], Any]
    list_applications: Callable[[], Any]
    list_notebooks: Callable[[], Any]

    @classmethod
    def list_tags(cls, prefix: str = "", limit: int | None = 20) -> list[str]:
        """Tags of the caller's use cases that start with ``prefix`` (whatever its case), by
        their folded form: what to suggest while someone types a tag.

        Parameters
        ----------
        prefix : str, optional
            The start typed so far; every tag when empty.
        limit : int or None, optional
            At most this many (default 20); ``None`` for all of them.

        Returns
        -------
        list of str
            Only tags of use cases the caller belongs to.

        Examples
        --------
        >>> dr.UseCase.list_tags("cr")  # doctest: +SKIP
        ['credit', 'Credit card']
        """
        rest = cls._client()
        require_ucwidgets(rest, "tags")
        params = {"prefix": prefix or None, "limit": limit}
        return [t["name"] for t in rest.paginate("useCases/tags/", params, follow=limit is None)]

    def members_frame(self) -> pd.DataFrame:
        """The members as a DataFrame: who, their role, whether they may share, who gave them
        the role and when (``get_shared_roles().to_frame()``).

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``username``, ``user_full_name``, ``role``,
            ``share_recipient_type``, ``can_share`` (boolean), ``granted_by`` (a username,
            missing where a grant predates the record) and ``granted_at``
            (datetime64[ns, UTC]), one row per member by username.

        Examples
        --------
        >>> risk.members_frame()[["username", "role", "granted_by"]]  # doctest: +SKIP
                    username     role        granted_by
        0    ann@example.com    OWNER   ann@example.com
        1    bob@example.com   EDITOR   ann@example.com
        """
        return self.get_shared_roles().to_frame()

    def assets_frame(self) -> pd.DataFrame:
        """Every asset of this use case, one row each, with its type.

        Columns: ``entity_type`` string (``dataset``, ``project``, ``application``,
        ``notebook``), ``id`` string, ``name`` string, ``created_by`` string, ``created_at``
        datetime64[ns, UTC].
        """
        rows: list[dict[str, Any]] = []
        for dataset in self.list_datasets():
            rows.append(
                _asset_row(
                    "dataset", dataset.id, dataset.name, dataset.created_by, dataset.created_at
                )
            )
        for project in self.list_projects():
            created_by = user_label(project._data.get("createdBy"))
            rows.append(
                _asset_row("project", project.id, project.project_name, created_by, project.created)
            )
        for app in self.list_applications():
            rows.append(_asset_row("application", app.id, app.name, app.created_by, app.created_at))
        for notebook in self.list_notebooks():
            rows.append(
                _asset_row(
                    "notebook", notebook.id, notebook.name, notebook.created_by, notebook.created_at
                )
            )
        return build_frame(ASSET_COLUMNS, rows)


def _asset_row(kind: str, id: str, name: Any, created_by: Any, created_at: Any) -> dict[str, Any]:
    return {
        "entity_type": kind,
        "id": id,
        "name": name,
        "created_by": created_by,
        "created_at": created_at,
    }
