"""UseCase: CRUD, listing, linking every way, the current use case, sharing and events."""

from __future__ import annotations

import pytest

import ucwidgets as dr
from ucwidgets import context
from ucwidgets.client import client_configuration, get_client
from ucwidgets.enums import UseCaseEntityType
from ucwidgets.errors import Forbidden, NotFound, ValidationError
from ucwidgets.models.use_cases.use_case import UseCaseReferenceEntity


def test_create_get_update_delete(alice, as_alice) -> None:
    uc = dr.UseCase.create(name="Risk", description="Credit risk")
    assert (uc.name, uc.description) == ("Risk", "Credit risk")
    assert uc.created.username == alice.username
    assert uc.created_at is not None and uc.created_at.tzinfo is not None
    assert repr(uc) == (
        f"UseCase(id={uc.id!r}, name='Risk', description='Credit risk', models=0, projects=0, "
        "datasets=0, files=0, notebooks=0, applications=0)"
    )
    assert dr.UseCase.get(uc.id).name == "Risk"
    assert dr.UseCase.get(use_case_id=uc.id).id == dr.UseCase.get(id=uc.id).id == uc.id

    renamed = uc.update(name="Risk v2")
    assert renamed is not uc and renamed.name == "Risk v2" and uc.name == "Risk"
    assert renamed.description == "Credit risk"

    dr.UseCase.delete(uc.id)  # DataRobot's classmethod form
    with pytest.raises(NotFound):
        dr.UseCase.get(uc.id)
    other = dr.UseCase.create(name="Other")
    other.delete()  # and the instance form
    with pytest.raises(NotFound):
        dr.UseCase.get(other.id)


def test_list_search_order_and_paging(as_alice) -> None:
    for name in ("beta risk", "alpha risk", "gamma churn"):
        dr.UseCase.create(name=name)
    assert sorted(uc.name for uc in dr.UseCase.list()) == ["alpha risk", "beta risk", "gamma churn"]
    assert [uc.name for uc in dr.UseCase.list(search="risk", order_by="name")] == [
        "alpha risk",
        "beta risk",
    ]
    assert [uc.name for uc in dr.UseCase.list(search_params={"order_by": "-name"})] == [
        "gamma churn",
        "beta risk",
        "alpha risk",
    ]
    page = dr.UseCase.list(order_by="name", offset=1, limit=1)
    assert [uc.name for uc in page] == ["beta risk"]
    # Without a limit every page is followed, whatever the page size.
    names = [item["name"] for item in get_client().paginate("useCases/", {"limit": 1})]
    assert sorted(names) == ["alpha risk", "beta risk", "gamma churn"]


def test_a_whole_listing_comes_in_the_largest_pages(service, alice, as_alice) -> None:
    user = service.store.users.get(alice.id)
    for k in range(150):  # more than the service's default page of 100
        service.store.use_cases.create(user, {"name": f"many {k:03d}"})
    client = get_client().session
    seen: list[str] = []
    client.hooks["response"].append(lambda r, *a, **kw: seen.append(r.request.url))
    try:
        whole = dr.UseCase.list()
    finally:
        client.hooks["response"].pop()
    assert sorted(uc.name for uc in whole) == [f"many {k:03d}" for k in range(150)]
    listing = [url for url in seen if "/useCases/?" in url or url.endswith("/useCases/")]
    assert len(listing) == 1 and "limit=1000" in listing[0], seen
    # An explicit limit is still one page of that size.
    assert len(dr.UseCase.list(limit=100)) == 100


def test_add_and_remove_every_way(as_alice, risk_file, notebook_root) -> None:
    uc = dr.UseCase.create(name="Links")
    dataset = dr.Dataset.create_from_file(file_path=risk_file)
    app = dr.Application.create(name="App")
    (notebook_root / "explore.ipynb").write_text("{}", encoding="utf-8")
    notebook = dr.Notebook.create(name="Explore", path="explore.ipynb")

    ref = uc.add(entity=dataset)
    assert isinstance(ref, UseCaseReferenceEntity)
    assert (ref.entity_type, ref.entity_id, ref.use_case_id) == ("dataset", dataset.id, uc.id)
    assert uc.add(entity=dataset).id == ref.id  # adding twice returns the existing link
    uc.add(entity_type=UseCaseEntityType.APPLICATION, entity_id=app.id)
    uc.add(entity_type="notebook", entity_id=notebook.id)

    assert [d.id for d in uc.list_datasets()] == [dataset.id]
    assert [a.id for a in uc.list_applications()] == [app.id]
    assert [n.id for n in uc.list_notebooks()] == [notebook.id]
    counts = uc.refresh()
    assert (counts.datasets_count, counts.applications_count, counts.notebooks_count) == (1, 1, 1)

    uc.remove(entity=ref)
    uc.remove(entity=app)
    uc.remove(entity_type=UseCaseEntityType.NOTEBOOK, entity_id=notebook.id)
    assert uc.list_datasets() == [] and uc.list_applications() == [] and uc.list_notebooks() == []
    with pytest.raises(TypeError):
        uc.add(entity="not an entity")


def test_creations_accept_use_case_and_use_cases(as_alice, risk_file) -> None:
    first, second = dr.UseCase.create(name="One"), dr.UseCase.create(name="Two")
    both = dr.Dataset.create_from_file(file_path=risk_file, use_cases=[first, second.id])
    only_second = dr.Dataset.create_from_file(file_path=risk_file, use_case=second.id)
    assert [d.id for d in first.list_datasets()] == [both.id]
    assert {d.id for d in second.list_datasets()} == {both.id, only_second.id}
    project = dr.Project.create(sourcedata=risk_file, project_name="P", use_cases=first)
    assert project.use_case_id == first.id
    assert [p.id for p in first.list_projects()] == [project.id]


def test_with_use_case_and_default_and_client_configuration(
    service, alice, as_alice, risk_file
) -> None:
    outer, inner = dr.UseCase.create(name="Outer"), dr.UseCase.create(name="Inner")
    with outer:
        assert context.get_current_use_case() is outer
        with inner:
            in_inner = dr.Dataset.create_from_file(file_path=risk_file)
        in_outer = dr.Dataset.create_from_file(file_path=risk_file)
        assert [d.id for d in dr.Dataset.list()] == [in_outer.id]  # lists filter by it too
    assert context.get_current_use_case() is None
    assert [d.id for d in inner.list_datasets()] == [in_inner.id]

    with client_configuration(token=alice.token, endpoint=service.url, default_use_case=inner.id):
        assert context.get_current_use_case_id() == inner.id
        dr.Dataset.create_from_file(file_path=risk_file)
        assert dr.get_current_use_case().name == "Inner"  # resolved lazily from the id
    assert context.get_current_use_case_id() is None
    assert len(inner.list_datasets()) == 2

    dr.set_current_use_case(outer.id)
    assert len(dr.Dataset.list()) == 1
    dr.set_current_use_case(None)
    assert len(dr.Dataset.list()) == 3


def test_invalid_current_use_case_is_a_clear_error(as_alice) -> None:
    dr.set_current_use_case("0" * 24)
    with pytest.raises(NotFound, match=r"current use case '0{24}' cannot be loaded"):
        dr.get_current_use_case()


def test_share_roles_and_permissions(service, make_user) -> None:
    owner, bob = make_user("ann"), make_user("bob")
    dr.Client(token=owner.token, endpoint=service.url)
    uc = dr.UseCase.create(name="Shared")
    uc.share([dr.SharingRole(role="CONSUMER", id=bob.id)])
    assert {(r.username, r.role.value) for r in uc.get_shared_roles()} == {
        (owner.username, "OWNER"),
        (bob.username, "CONSUMER"),
    }
    assert [r.username for r in uc.get_shared_roles(id=bob.id)] == [bob.username]
    with pytest.raises(ValidationError, match="Only NO_ROLE, OWNER, EDITOR, and CONSUMER"):
        uc.share([dr.SharingRole(role="READ_ONLY", id=bob.id)])

    with client_configuration(token=bob.token, endpoint=service.url):
        seen = dr.UseCase.get(uc.id)
        with pytest.raises(Forbidden) as caught:
            seen.update(name="Bob's now")
        assert caught.value.status_code == 403 and caught.value.message


def test_events_and_assets_frame(alice, as_alice, risk_file) -> None:
    uc = dr.UseCase.create(name="Feed")
    dataset = dr.Dataset.create_from_file(file_path=risk_file, use_case=uc)
    app = dr.Application.create(name="Risk app", use_case=uc)
    events = uc.events()
    assert [e.verb for e in events][:1] == ["created"]
    seen = {(e.verb, e.entity_type, e.entity_id) for e in events}
    assert ("added", "dataset", dataset.id) in seen
    assert all(e.actor == alice.username for e in events)
    newer = uc.events(after=events[-1].id)
    assert newer == []

    frame = uc.assets_frame()
    assert sorted(zip(frame["entity_type"], frame["id"], strict=True)) == [
        ("application", app.id),
        ("dataset", dataset.id),
    ]


def test_notifications_of_what_others_changed(service, make_user, risk_file) -> None:
    from ucwidgets.models.events import list_notifications, mark_notifications_read

    owner, bob = make_user("ann"), make_user("bob")
    dr.Client(token=owner.token, endpoint=service.url)
    uc = dr.UseCase.create(name="Team")
    uc.share([dr.SharingRole(role="EDITOR", id=bob.id)])
    with client_configuration(token=bob.token, endpoint=service.url):
        dataset = dr.Dataset.create_from_file(file_path=risk_file, use_case=uc.id)

    unread = list_notifications(unread=True)
    assert ("added", dataset.id, bob.username) in {(e.verb, e.entity_id, e.actor) for e in unread}
    assert all(e.use_case_id == uc.id and e.read is False for e in unread)
    mark_notifications_read()
    assert list_notifications(unread=True) == []
