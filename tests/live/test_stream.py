"""The live stream of the API layer: ``subscribe`` over the websocket or long polls, one stream
per client, resuming after its cursor; and a failed ``Client()`` never becoming someone else."""

from __future__ import annotations

import queue

import pytest

import ucwidgets as dr
from ucwidgets.client import get_client
from ucwidgets.errors import ClientError, Unauthorized
from ucwidgets.models.events import subscribe
from ucwidgets.models.stream import EventStream
from ucwidgets.rest import RESTClientObject


@pytest.mark.parametrize("transport", ["websocket", "long-poll"])
def test_subscribers_get_a_teammates_change(alice, bob, service, transport):
    uc = alice.create_use_case("Fraud CNP v1")
    alice.grant(uc["id"], bob, "EDITOR")
    client = RESTClientObject(service.url, bob.token)
    stream = EventStream.of(client)
    stream.transport = transport
    got: queue.Queue = queue.Queue()
    states: queue.Queue = queue.Queue()
    first = subscribe(got.put, states.put, client=client)
    second = subscribe(lambda events: None, client=client)
    try:
        assert second.stream is first.stream is stream
        while states.get(timeout=20) != "live":
            pass
        alice.patch(f"useCases/{uc['id']}/", json={"description": "changed"})
        (event,) = got.get(timeout=20)
        assert (event.actor, event.verb, event.use_case_name) == (
            "alice@example.com",
            "updated",
            "Fraud CNP v1",
        )
        assert stream.cursor == event.id and stream.transport == transport
    finally:
        first.close()
        assert stream.state != "stopped", "a subscriber is left"
        second.close()
    assert stream.state == "stopped"


def test_a_refused_token_stops_the_stream_with_the_reason(service):
    stream = EventStream.of(RESTClientObject(service.url, "not-a-token"))
    states: queue.Queue = queue.Queue()
    sub = stream.subscribe(lambda items: None, states.put)
    try:
        while states.get(timeout=20) != "stopped":
            pass
        assert "refused" in stream.error
    finally:
        sub.close()


def test_a_failed_client_never_falls_back_to_another_user(alice, service):
    dr.Client(token=alice.token, endpoint=service.url)
    assert get_client().get("users/me/")["username"] == "alice@example.com"
    with pytest.raises(Unauthorized):
        dr.Client(token="wrong", endpoint=service.url)
    for _ in range(2):  # every later call says so; none discovers the local user
        with pytest.raises(ClientError, match="the last Client\\(\\) failed"):
            dr.UseCase.list()
    dr.Client(token=alice.token, endpoint=service.url)
    assert [uc.name for uc in dr.UseCase.list()] == []
