"""Schemathesis against the live service: every operation of ``openapi.json``, positive and
negative inputs, checked for no 5xx and for responses (status, content type, headers, body)
that conform to the document.

Each operation runs on fresh seeds (a use case with a dataset, a project, an application and a
notebook linked to it), and path, query and body values are drawn partly from their ids, so the
fuzzer reaches past the 404 of a random id into validation and the store. A modeled project
gives the model routes a real model. Runs are derandomized and bounded for CI.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

schemathesis = pytest.importorskip("schemathesis")

import hypothesis.strategies as st  # noqa: E402
import pandas as pd  # noqa: E402
from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from hypothesis.errors import FlakyStrategyDefinition  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)
from service_api import RISK_CSV, Api  # noqa: E402

from ucwidgets.server.app import ServerThread  # noqa: E402
from ucwidgets.server.handlers.meta import openapi_document  # noqa: E402

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Examples per operation and generation phase; raise it (``UCW_FUZZ_EXAMPLES=500``) to hunt.
MAX_EXAMPLES = int(os.environ.get("UCW_FUZZ_EXAMPLES", "25"))

schema = schemathesis.openapi.from_dict(openapi_document())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], with_security_parameters=False
)

#: Ids that exist right now, by path parameter name; each test's seeds replace them.
KNOWN: dict[str, list[Any]] = {}


def modeling_csv(n: int = 40) -> bytes:
    """``n`` rows, a binary target ``defaulted`` the engine can model."""
    rows = ["age,income,region,defaulted"]
    for i in range(n):
        rows.append(
            f"{20 + i % 50},{30000 + 997 * i % 60000},{'nsew'[i % 4]},"
            f"{'yes' if (i * 7) % 11 < 5 else 'no'}"
        )
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    tmp = tmp_path_factory.mktemp("fuzz")
    (tmp / "root").mkdir()
    srv = ServerThread(
        data_dir=tmp / "data", notebook_root=str(tmp / "root"), max_upload_bytes=256 * 1024
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def fuzz_api(fuzz_service: ServerThread) -> Api:
    user, token = fuzz_service.store.users.create("fuzzer@example.com", full_name="Fuzz")
    fuzz_service.store.users.create("other@example.com", full_name="Other")
    return Api(fuzz_service.url, token, user)


@pytest.fixture(scope="module")
def modeled(fuzz_api: Api) -> list[dict[str, str]]:
    """A project whose models trained (the model routes' ids)."""
    dataset = fuzz_api.upload_dataset(modeling_csv(), "modeling.csv")
    project = fuzz_api.create_project(dataset["datasetId"], "Modeled")
    r = fuzz_api.patch(f"projects/{project['id']}/aim/", json={"target": "defaulted"})
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if fuzz_api.get(f"projects/{project['id']}/status/").json()["autopilotDone"]:
            break
        time.sleep(0.1)
    models = fuzz_api.get(f"projects/{project['id']}/models/").json()
    return [{"projectId": project["id"], "modelId": m["id"]} for m in models]


@pytest.fixture
def seeds(
    fuzz_service: ServerThread, fuzz_api: Api, modeled: list[dict[str, str]]
) -> Iterator[Api]:
    """Fresh assets in a fresh use case, published in ``KNOWN`` for this test's strategies."""
    uc = fuzz_api.create_use_case("Fuzz seed", description="seeded")
    ds = fuzz_api.upload_dataset(RISK_CSV)
    upload = fuzz_api.post("datasets/fromFile/", files={"file": ("s.csv", RISK_CSV)})
    project = fuzz_api.create_project(ds["datasetId"], "Seed project")
    app = fuzz_api.post("applications/", json={"name": "Seed app"}).json()
    nb = fuzz_api.post("notebooks/", json={"path": f"nb{uc['id']}.ipynb"}).json()
    for segment, eid in (
        ("datasets", ds["datasetId"]),
        ("projects", project["id"]),
        ("applications", app["id"]),
        ("notebooks", nb["id"]),
    ):
        assert fuzz_api.post(f"useCases/{uc['id']}/{segment}/{eid}/").status_code in (200, 201)
    other = fuzz_service.store.users.list()
    KNOWN.clear()
    KNOWN.update(
        useCaseId=[uc["id"]],
        datasetId=[ds["datasetId"]],
        projectId=[project["id"]],
        applicationId=[app["id"]],
        notebookId=[nb["id"]],
        statusId=[upload.headers["Location"].rstrip("/").rsplit("/", 1)[1]],
        modeled=modeled,
        userId=[u["id"] for u in other],
        username=[u["username"] for u in other],
        column=["credit_risk", "age", "region"],
        csv=[RISK_CSV],
    )
    yield fuzz_api
    KNOWN.clear()


def _known_or(name: str, value: Any) -> st.SearchStrategy:
    """Mostly a known value for ``name``, sometimes what the fuzzer drew."""
    known = KNOWN.get(name)
    if not known:
        return st.just(value)
    return st.one_of(st.sampled_from(known), st.just(value))


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    if "modelId" in path_parameters and KNOWN.get("modeled"):
        return st.sampled_from([*KNOWN["modeled"], path_parameters])
    return st.fixed_dictionaries({k: _known_or(k, v) for k, v in path_parameters.items()})


@schema.hook
def flatmap_query(context: Any, query: Any) -> Any:
    if not isinstance(query, dict) or not KNOWN:
        return st.just(query)
    fields: dict[str, Any] = {k: st.just(v) for k, v in query.items()}
    if "useCaseIds" in query:
        fields["useCaseIds"] = st.one_of(st.just(KNOWN["useCaseId"]), st.just(query["useCaseIds"]))
    for name, known in (
        ("useCaseId", "useCaseId"),
        ("projectId", "projectId"),
        ("applicationId", "applicationId"),
        ("id", "userId"),
        ("featureName", "column"),
    ):
        if name in query:
            fields[name] = _known_or(known, query[name])
    if str(query.get("wait", "")).isdigit():
        # A valid wait holds the long poll open that long; its own tests cover waiting.
        fields["wait"] = st.just(0)
    return st.fixed_dictionaries(fields)


#: Prediction rows with the modeled project's columns and any JSON value, extremes included.
EXTREMES = st.sampled_from(["inf", "-Infinity", "NaN", "1e400", 1e308, -1.7e308, 10**40, -0.0])
ROWS = st.lists(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ("age", "income", "region", "defaulted"),
            st.one_of(
                EXTREMES,
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(allow_nan=False, allow_infinity=False),
                st.text(max_size=4),
            ),
        ),
    ),
    min_size=1,
    max_size=4,
)


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    """Point ids and names in bodies at things that exist, some of the time."""
    if isinstance(body, list):  # prediction rows
        return st.one_of(ROWS, st.just(body))
    if not isinstance(body, dict) or not KNOWN:
        return st.just(body)
    fields: dict[str, Any] = {k: st.just(v) for k, v in body.items()}
    if isinstance(body.get("data"), list):
        fields["data"] = st.one_of(ROWS, st.just(body["data"]))
    for name, known in (
        ("datasetId", "datasetId"),
        ("useCaseId", "useCaseId"),
        ("target", "column"),
        ("file", "csv"),
    ):
        if name in body:
            fields[name] = _known_or(known, body[name])
    roles = body.get("roles")
    if isinstance(roles, list) and roles and all(isinstance(r, dict) for r in roles):
        fields["roles"] = st.lists(
            st.fixed_dictionaries(
                {
                    k: (
                        _known_or("userId", v)
                        if k == "id"
                        else _known_or("username", v)
                        if k == "username"
                        else st.just(v)
                    )
                    for k, v in roles[0].items()
                }
            ),
            min_size=1,
            max_size=3,
        )
    return st.fixed_dictionaries(fields)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case: Any, seeds: Api) -> None:
    case.call_and_validate(base_url=seeds.base, session=seeds.session, checks=CHECKS, timeout=30)


#: The stateful run's two users: ``TwoTokens`` sends the first one's token on two requests of
#: three and the second one's on the third, so each meets what the other created and deleted.
TOKENS: list[str] = []

stateful_schema = schemathesis.openapi.from_dict(openapi_document())
stateful_schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], with_security_parameters=False
)
for _hook in (flatmap_path_parameters, flatmap_query, flatmap_body):
    stateful_schema.hook(_hook)


@stateful_schema.auth.auth(refresh_interval=None)
class TwoTokens:
    """Explicit credentials (so ``ignored_auth`` replays each 2xx without them and with a
    wrong token), taking turns between the two users."""

    turns = itertools.count()

    def get(self, case: Any, context: Any) -> str | None:
        return TOKENS[next(self.turns) % 3 == 2] if TOKENS else None

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


#: The single-request checks, plus: no 2xx without a valid token, and no 2xx for what a
#: successful DELETE removed.
STATEFUL_CHECKS = [*CHECKS, ignored_auth, use_after_free]


class Workflow(stateful_schema.as_state_machine()):  # type: ignore[misc]
    """Sequences that follow the document's links: create a use case, dataset, project,
    application or notebook, then read, change, link, share or delete what was created, as
    either of two users."""

    base_url = ""
    failures: ClassVar[list[str]] = []
    steps: ClassVar[Counter[str]] = Counter()

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"base_url": self.base_url, "timeout": 30}

    def call(self, case: Any, **kwargs: Any) -> Any:
        try:
            return super().call(case, **kwargs)
        except BaseException as e:  # kept, or Hypothesis's replay could hide it (see below)
            self.failures.append(f"{case.method} {case.formatted_path}: {e!r}")
            raise

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        self.steps[case.operation.label] += 1
        try:
            case.validate_response(
                response, checks=STATEFUL_CHECKS, transport_kwargs=kwargs, recorder=self.recorder
            )
        except BaseException as e:
            self.failures.append(f"{case.method} {case.formatted_path}: {e}")
            raise


@pytest.mark.timeout(300)  # bounded by max_examples; the models it reaches train on a busy CPU
def test_two_users_linked_workflows_conform_and_never_fail(
    seeds: Api, fuzz_service: ServerThread
) -> None:
    other = fuzz_service.store.users.create_token("other@example.com")[1]
    TOKENS[:] = [seeds.token, other]
    Workflow.base_url = seeds.base
    Workflow.failures.clear()
    Workflow.steps.clear()
    try:
        # Generation only, as schemathesis runs state machines: a live server's state moves on
        # between runs, so a replay (shrinking) could not reproduce a scenario anyway.
        Workflow.run(
            settings=settings(
                max_examples=MAX_EXAMPLES,
                stateful_step_count=6,
                phases=[Phase.generate],
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
        )
    except FlakyStrategyDefinition:
        # Which rules are enabled depends on what earlier responses put in the bundles, so a
        # scenario can draw differently from Hypothesis's record of it; that ends the run early
        # but is no failure of the service, unless a check failed (or a request or the time
        # limit broke off) before it: the replay that raises this would hide that.
        assert Workflow.failures == []
    finally:
        TOKENS.clear()
    print(f"stateful steps: {sum(Workflow.steps.values())} over {len(Workflow.steps)} operations")
    assert Workflow.failures == []
    assert len(Workflow.steps) > 10  # the run went past creating things


@pytest.mark.parametrize(
    "row",
    [
        {"age": 1e308, "income": -1e308},
        {"age": 1.7e308, "region": "n"},
        {"age": "inf"},
        {"age": "-Infinity", "income": "NaN"},
        {"income": 10**40},
    ],
)
def test_any_number_in_a_prediction_row_predicts(
    fuzz_api: Api, modeled: list[dict[str, str]], row: dict
) -> None:
    """Found by the fuzzer: infinities and numbers past float32 (in which the trees compute)
    made every model or the forests answer 500. Non-finite is missing; the rest is clipped."""
    pid = modeled[0]["projectId"]
    for model in fuzz_api.get(f"projects/{pid}/models/").json():
        url = f"projects/{pid}/models/{model['id']}/predictions/"
        for body, ctype in (
            (json.dumps([row]).encode(), "application/json"),
            (pd.DataFrame([row]).to_csv(index=False).encode(), "text/csv"),
        ):
            r = fuzz_api.post(url, data=body, headers={"Content-Type": ctype})
            assert r.status_code == 200, (model["modelType"], body, r.text)
            assert math.isfinite(
                json.loads(r.text, parse_constant=float)["data"][0]["positiveProbability"]
            )


def test_seeds_reach_the_store(seeds: Api) -> None:
    """The fixtures' ids are real (else the fuzzer would only ever meet 404s)."""
    for name, path in (
        ("useCaseId", "useCases/{}/"),
        ("datasetId", "datasets/{}/"),
        ("projectId", "projects/{}/"),
        ("applicationId", "applications/{}/"),
        ("notebookId", "notebooks/{}/"),
    ):
        assert seeds.get(path.format(KNOWN[name][0])).status_code == 200, name
    assert seeds.get(f"status/{KNOWN['statusId'][0]}/").status_code == 303


def test_the_modeled_project_has_models(fuzz_api: Api, modeled: list[dict[str, str]]) -> None:
    assert len(modeled) == 3
    for ids in modeled:
        r = fuzz_api.get(f"projects/{ids['projectId']}/models/{ids['modelId']}/")
        assert r.status_code == 200, r.text
