"""The anywidget base of the panels: requests off the main thread, errors per control, Retry
only for transient failures, Cancel, and drafts no refresh touches."""

from __future__ import annotations

import socket
import threading

import pytest
from ports import free_port

from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.rest import RESTClientObject
from ucwidgets.widgets._common import Panel, action


class Names(Panel):
    """A tiny panel: the caller's use case names, and a rename action."""

    _module = "common.js"

    def load(self) -> None:
        self.thread = threading.current_thread().name
        self.names = sorted(uc.name for uc in UseCase.list())

    @action("rename")
    def rename(self, use_case_id: str, name: str) -> None:
        UseCase.get(use_case_id).update(name=name)
        self.clear_draft("rename")


def test_load_runs_on_a_worker_thread_through_the_panels_client(alice, bob, client_of):
    alice.create_use_case("Risk")
    bob.create_use_case("Bob's")
    panel = Names(client=client_of(alice))
    panel.wait()
    assert panel.names == ["Risk"]
    assert panel.thread.startswith("ucwidgets-panel")
    assert panel.busy is False and panel.errors == {}


def test_an_error_shows_next_to_its_control_without_retry_when_not_transient(alice, client_of):
    uc = alice.create_use_case("Risk")
    panel = Names(client=client_of(alice))
    panel.drafts = {"rename": ""}
    panel.dispatch("rename", use_case_id=uc["id"], name="")  # an empty name: 422
    panel.wait()
    assert set(panel.errors) == {"rename"}
    assert panel.errors["rename"]["transient"] is False
    assert panel.drafts == {"rename": ""}, "a failed save keeps what the user typed"
    panel.dispatch("rename", use_case_id=uc["id"], name="Credit risk")
    panel.wait()
    assert panel.errors == {} and panel.drafts == {}
    assert alice.get(f"useCases/{uc['id']}/").json()["name"] == "Credit risk"


def test_an_unreachable_service_is_transient_and_retry_runs_again(alice, service):
    port = free_port()  # nothing listens there
    panel = Names(client=RESTClientObject(f"http://127.0.0.1:{port}/api/v2", alice.token))
    panel.wait()
    assert panel.errors["panel"]["transient"] is True
    panel.client = RESTClientObject(service.url, alice.token)
    panel.dispatch("retry", control="panel")
    panel.wait()
    assert panel.errors == {} and panel.names == []


def test_cancel_leaves_a_hung_request_behind(alice):
    hung = socket.socket()  # accepts connections (the backlog) and never answers
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    try:
        url = f"http://127.0.0.1:{hung.getsockname()[1]}/api/v2"
        panel = Names(client=RESTClientObject(url, alice.token), autoload=False)
        future = panel.run("panel", panel.load)
        assert panel.busy is True and panel.busy_control == "panel"
        panel.dispatch("cancel")
        assert panel.busy is False and panel.notice == "Cancelled."
        panel.wait(timeout=1)  # nothing the panel waits for any more
        hung.close()  # resets the connection: the abandoned request fails now
        future.result(timeout=30)
        assert panel.errors == {}, "a cancelled request's failure is dropped"
    finally:
        hung.close()


def test_an_unknown_front_end_action_is_refused():
    panel = Names(autoload=False)
    with pytest.raises(ValueError, match="no front-end action"):
        panel.dispatch("load")
    panel._on_front_end_msg(panel, {"action": "nope", "args": {}}, [])
    assert "panel" in panel.errors
