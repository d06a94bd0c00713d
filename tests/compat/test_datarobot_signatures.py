"""Code written for DataRobot's client passes arguments by position too: each of our methods'
positional parameters are the first ones of DataRobot's same method, in its order."""

from __future__ import annotations

import inspect

import pytest

import ucwidgets

dr = pytest.importorskip("datarobot")

METHODS = [
    ("Project", "create"),
    ("Project", "create_from_dataset"),
    ("Project", "list"),
    ("Project", "analyze_and_model"),
    ("Project", "set_target"),
    ("Project", "wait_for_autopilot"),
    ("Project", "rename"),
    ("Dataset", "create_from_file"),
    ("Dataset", "create_from_in_memory_data"),
    ("Dataset", "list"),
    ("Dataset", "get_all_features"),
    ("Dataset", "create_project"),
    ("Dataset", "un_delete"),
    ("Application", "list"),
    ("UseCase", "create"),
    ("UseCase", "get"),
    ("UseCase", "list"),
    ("UseCase", "add"),
    ("UseCase", "remove"),
    ("UseCase", "share"),
    ("UseCase", "get_shared_roles"),
]


def _positional(method: object) -> list[str]:
    return [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.name not in ("self", "cls")
    ]


@pytest.mark.parametrize(("cls", "name"), METHODS, ids=[".".join(m) for m in METHODS])
def test_positional_parameters_follow_datarobot(cls: str, name: str) -> None:
    ours = _positional(getattr(getattr(ucwidgets, cls), name))
    theirs = _positional(getattr(getattr(dr, cls), name))
    assert ours, "nothing to compare"
    assert ours == theirs[: len(ours)]
