"""The real ``datarobot`` client, configured against the service, for the compat tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

dr = pytest.importorskip("datarobot")
from datarobot.context import ENABLE_API_CONSUMER_TRACKING_DEFAULT  # noqa: E402

if TYPE_CHECKING:
    from service_api import Api


class Recorder:
    """``dr.Client`` with a response hook that records (method, url, status) of every call."""

    def __init__(self, service: Any, token: str) -> None:
        self.service, self.token = service, token
        self.calls: list[tuple[str, str, int]] = []

    def connect(self, **kwargs: Any) -> None:
        client = dr.Client(token=self.token, endpoint=self.service.url, **kwargs)
        client.hooks["response"].append(self._record)

    def _record(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self.calls.append((response.request.method, response.url, response.status_code))

    def status_polls(self) -> list[int]:
        return [
            code
            for method, url, code in self.calls
            if method == "GET" and url.startswith(f"{self.service.url}/status/")
        ]


@pytest.fixture
def datarobot_as() -> Iterator[Callable[[Any, str], Recorder]]:
    """``datarobot_as(service, token)``: a Recorder for that service and token; afterwards no
    global client or default use case stays."""
    yield Recorder
    dr.client.set_client(None)
    dr.Context.use_case = None
    dr.Context.trace_context = None
    dr.Context.enable_api_consumer_tracking = ENABLE_API_CONSUMER_TRACKING_DEFAULT


@pytest.fixture
def datarobot_client(service, alice: Api, datarobot_as) -> Recorder:
    """The client configured as alice (call ``connect()``)."""
    return datarobot_as(service, alice.token)
