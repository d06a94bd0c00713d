"""docs/deploy.md and docs/compose.yaml stay true: every ``ucwidgets`` command they show is one
the command line accepts, with the options it names."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from ucwidgets.cli import _parser

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands() -> list[str]:
    deploy = (DOCS / "deploy.md").read_text(encoding="utf-8").replace("\\\n", " ")
    compose = yaml.safe_load((DOCS / "compose.yaml").read_text(encoding="utf-8"))
    serve = compose["services"]["ucw-a"]["command"]
    found = re.findall(r"^\s*(?:docker compose .*? exec \S+ )?(ucwidgets [^\n]+)", deploy, re.M)
    found += re.findall(r"(ucwidgets serve [^\"]+)", serve)
    return [" ".join(c.split()) for c in found]


def test_the_documents_show_commands():
    assert {c.split()[1] for c in _commands()} >= {"serve", "db", "user", "token"}


@pytest.mark.parametrize("command", _commands())
def test_every_documented_command_parses(command):
    words = shlex.split(command.replace('"$UCW_DB"', "postgresql://h/db"))[1:]
    args = _parser().parse_args(words)
    assert args.command == words[0]
