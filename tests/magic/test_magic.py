"""``%use_case`` in a real IPython shell that raises instead of printing tracebacks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from IPython.core.completer import provisionalcompleter
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import ucwidgets
from ucwidgets import context
from ucwidgets.client import client_configuration


class TestingShell(InteractiveShell):
    """An InteractiveShell whose ``run_cell`` raises the cell's error."""

    __test__ = False  # a helper, not a test class

    def run_cell(self, *args, **kwargs):
        result = super().run_cell(*args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def ip(service, alice, tmp_path, monkeypatch):
    """A shell with the extension loaded, talking to the test service as alice."""
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    shell = TestingShell()
    with client_configuration(token=alice.token, endpoint=service.url):
        shell.run_cell("%load_ext ucwidgets")
        yield shell
    context.set_current_use_case(None)
    InteractiveShell.clear_instance()


def test_use_case_create_sets_it_current_and_links_later_assets(ip, alice, risk_file):
    ip.run_cell("%use_case Financial Risk --create --description 'Credit models'")
    current = context.get_current_use_case()
    assert (current.name, current.description) == ("Financial Risk", "Credit models")
    ip.run_cell(
        f"import ucwidgets as dr\nds = dr.Dataset.create_from_file(file_path={str(risk_file)!r})"
    )
    ip.run_cell("p = dr.Project.create_from_dataset(ds.id, project_name='Risk v1')")
    linked = alice.get(f"useCases/{current.id}/").json()
    assert (linked["datasetsCount"], linked["projectsCount"]) == (1, 1)


def test_an_existing_name_or_id_is_reused_not_created(ip, alice):
    made = alice.create_use_case("Churn")
    ip.run_cell("%use_case Churn")
    assert context.get_current_use_case_id() == made["id"]
    ip.run_cell("%use_case --clear")
    ip.run_cell(f"%use_case {made['id']}")
    assert context.get_current_use_case_id() == made["id"]
    assert alice.get("useCases/").json()["totalCount"] == 1


def test_show_clear_and_list(ip, alice, capsys):
    assert ip.run_cell("%use_case").result is None
    assert "No current use case" in capsys.readouterr().out
    alice.create_use_case("Alpha")
    alice.create_use_case("Beta")
    ip.run_cell("%use_case Beta")
    assert ip.run_cell("%use_case").result.name == "Beta"
    frame = ip.run_cell("%use_case --list").result
    assert isinstance(frame, pd.DataFrame)
    assert sorted(frame["name"]) == ["Alpha", "Beta"]
    assert frame["id"].dtype == "string"
    ip.run_cell("%use_case --clear")
    assert context.get_current_use_case_id() is None


def test_unknown_name_is_a_usage_error_that_creates_nothing(ip, alice):
    with pytest.raises(UsageError, match=r"No use case is named 'Nope'.*--create"):
        ip.run_cell("%use_case Nope")
    assert alice.get("useCases/").json()["totalCount"] == 0


def test_ambiguous_name_lists_the_candidates_with_ids(ip, alice):
    first, second = alice.create_use_case("Twin"), alice.create_use_case("Twin")
    with pytest.raises(UsageError) as error:
        ip.run_cell("%use_case Twin")
    message = str(error.value)
    assert "2 use cases are named 'Twin'" in message
    assert first["id"] in message and second["id"] in message
    assert context.get_current_use_case_id() is None


def test_bad_arguments_are_usage_errors(ip):
    with pytest.raises(UsageError):
        ip.run_cell("%use_case --no-such-flag")
    with pytest.raises(UsageError, match="needs the name"):
        ip.run_cell("%%use_case\nx = 1")


def test_cell_form_applies_to_that_cell_only_and_restores_on_error(ip, alice, tmp_path):
    outer = alice.create_use_case("Outer")
    inner = alice.create_use_case("Inner")
    ip.run_cell("%use_case Outer")
    ip.run_cell(
        "%%use_case Inner\nimport ucwidgets\nseen = ucwidgets.context.get_current_use_case_id()"
    )
    assert ip.user_ns["seen"] == inner["id"]
    assert context.get_current_use_case_id() == outer["id"]
    with pytest.raises(ZeroDivisionError):
        ip.run_cell("%%use_case Inner\n1 / 0")
    assert context.get_current_use_case_id() == outer["id"]


def test_reload_is_idempotent_and_config_applies(ip):
    ip.run_cell("%reload_ext ucwidgets")
    ip.run_cell("%reload_ext ucwidgets")
    names = [type(c).__name__ for c in ip.configurables]
    assert names.count("UseCaseMagics") == 1
    ip.run_cell("%config UseCaseMagics.link_notebook = False")
    (magics,) = [c for c in ip.configurables if type(c).__name__ == "UseCaseMagics"]
    assert magics.link_notebook is False


def test_tab_completion_offers_names(ip, alice):
    for name in ("Risk Alpha", "Risk Beta", "Churn"):
        alice.create_use_case(name)
    line = "%use_case Ri"
    with provisionalcompleter():
        matches = [c.text for c in ip.Completer.completions(line, len(line))]
    assert {"Risk Alpha", "Risk Beta"} <= set(matches)
    assert not any("Churn" in m for m in matches)
    line = "%use_case Risk B"  # a name with spaces completes word by word
    with provisionalcompleter():
        matches = [c.text for c in ip.Completer.completions(line, len(line))]
    assert "Beta" in matches


def test_notebook_under_jupyter_server_is_registered_and_linked(ip, alice, service, monkeypatch):
    root = Path(service.service.ctx.notebook_root)
    (root / "analysis").mkdir()
    monkeypatch.setenv("JPY_SESSION_NAME", str(root / "analysis" / "explore.ipynb"))
    ip.run_cell("%use_case Notebook Home --create")
    uc_id = context.get_current_use_case_id()
    notebooks = alice.get(f"notebooks/?useCaseId={uc_id}").json()["data"]
    assert [(n["name"], n["path"]) for n in notebooks] == [
        ("explore.ipynb", "analysis/explore.ipynb")
    ]
    ip.run_cell("%use_case Second Home --create")  # same notebook, another use case
    assert alice.get("notebooks/").json()["totalCount"] == 1


def test_notebook_linking_can_be_switched_off(ip, alice, service, monkeypatch):
    root = Path(service.service.ctx.notebook_root)
    monkeypatch.setenv("JPY_SESSION_NAME", str(root / "quiet.ipynb"))
    ip.run_cell("%config UseCaseMagics.link_notebook = False")
    ip.run_cell("%use_case Quiet --create")
    assert alice.get("notebooks/").json()["totalCount"] == 0


def test_public_names_are_reachable(ip):
    assert ucwidgets.load_ipython_extension is not None


@pytest.mark.parametrize("typed", ["Bob's scratchpad", '"Bob\'s scratchpad"', "bob's SCRATCHPAD"])
def test_names_with_quotes_and_any_case_work_unquoted_or_quoted(ip, alice, typed):
    uc = alice.create_use_case("Bob's scratchpad")
    ip.run_cell(f"%use_case {typed}")
    assert context.get_current_use_case_id() == uc["id"]


def test_non_ascii_names_match_as_search_does(ip, alice):
    uc = alice.create_use_case("Île de France")
    ip.run_cell("%use_case ile de france")
    assert context.get_current_use_case_id() == uc["id"]
    line = "%use_case îl"  # IPython keeps completions that start with the text, in any case
    with provisionalcompleter():
        matches = [c.text for c in ip.Completer.completions(line, len(line))]
    assert "Île de France" in matches


def test_completion_quotes_a_name_only_when_it_needs_it(ip, alice):
    alice.create_use_case("Bob's scratchpad")
    alice.create_use_case("Bob --list")  # unquoted, the magic would read --list as the option
    line = "%use_case Bo"
    with provisionalcompleter():
        matches = {c.text for c in ip.Completer.completions(line, len(line))}
    assert "Bob's scratchpad" in matches  # no quotes needed: the magic reads it as typed
    line = "%use_case 'Bo"  # after an opening quote, the name comes with its closing quote
    with provisionalcompleter():
        matches = {c.text for c in ip.Completer.completions(line, len(line))}
    assert "Bob --list'" in matches
    ip.run_cell("%use_case 'Bob --list'")
    assert context.get_current_use_case().name == "Bob --list"
    line = "%use_case \"Bob's"
    with provisionalcompleter():
        matches = {c.text for c in ip.Completer.completions(line, len(line))}
    assert 's scratchpad"' in matches  # IPython replaces the word after the apostrophe
    ip.run_cell("%use_case 'Bob --list'")
    assert context.get_current_use_case().name == "Bob --list"
