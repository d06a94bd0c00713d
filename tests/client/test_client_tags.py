"""UseCase tags (uc.tags, update(tags=), list by tag, suggestions, to_frame) and the members
as a DataFrame."""

from __future__ import annotations

import pandas as pd
import pytest

import ucwidgets as dr
from ucwidgets.client import client_configuration
from ucwidgets.errors import ValidationError


def test_tags_round_trip_filter_and_frame(as_alice) -> None:
    risk = dr.UseCase.create(name="Risk").update(tags=["Credit", "Q3"])
    assert risk.tags == ["Credit", "Q3"]
    dr.UseCase.create(name="Churn").update(tags=["q3"])
    assert dr.UseCase.get(risk.id).tags == ["Credit", "Q3"]
    assert [uc.name for uc in dr.UseCase.list(search_params={"tag": "credit"})] == ["Risk"]
    assert [uc.name for uc in dr.UseCase.list(tags=["Q3", "CREDIT"])] == ["Risk"]
    assert sorted(uc.name for uc in dr.UseCase.list(search_params={"tag": ["q3"]})) == [
        "Churn",
        "Risk",
    ]
    owned = dr.UseCase.list(search_params={"role": "OWNER", "order_by": "-role"})
    assert sorted(uc.name for uc in owned) == ["Churn", "Risk"]
    assert (
        dr.UseCase.list(search_params={"asset_type": "dataset", "created_after": "2000-01-01"})
        == []
    )
    frame = dr.UseCase.list(order_by="name").to_frame()
    assert frame["tags"].tolist() == [["q3"], ["Credit", "Q3"]]
    assert dr.UseCase.list_tags("c") == ["Credit"]
    assert dr.UseCase.list_tags() == ["Credit", "Q3"]  # one spelling per tag
    with pytest.raises(ValidationError) as caught:
        risk.update(tags=["a,b"])
    assert list(caught.value.errors) == ["tags[0]"]
    assert risk.refresh().tags == ["Credit", "Q3"]
    assert risk.update(tags=[]).tags == []


def test_members_frame_says_who_granted_what_and_when(service, make_user) -> None:
    ann, bob = make_user("ann"), make_user("bob")
    dr.Client(token=ann.token, endpoint=service.url)
    uc = dr.UseCase.create(name="Shared")
    uc.share([dr.SharingRole(role="EDITOR", id=bob.id, can_share=True)])
    frame = uc.members_frame()
    assert list(frame.columns) == [
        "id",
        "username",
        "user_full_name",
        "role",
        "share_recipient_type",
        "can_share",
        "granted_by",
        "granted_at",
    ]
    rows = frame.set_index("username")
    assert rows.loc[bob.username, "role"] == "EDITOR"
    assert bool(rows.loc[bob.username, "can_share"]) is True
    assert rows.loc[bob.username, "granted_by"] == ann.username
    assert rows.loc[ann.username, "granted_by"] == ann.username
    assert str(frame["granted_at"].dtype) == "datetime64[ns, UTC]"
    assert (frame["granted_at"] <= pd.Timestamp.now(tz="UTC")).all()
    with client_configuration(token=bob.token, endpoint=service.url):
        as_bob = dr.UseCase.get(uc.id).members_frame()
    assert as_bob.equals(frame)
