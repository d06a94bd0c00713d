"""Starting the service: two processes at once on an empty data dir, and private files.

Each start runs in a fresh interpreter, as a kernel would: the race needs two processes (a lock
that only works between threads would pass in-process), and the umask belongs to a process.
``UCW_RACE_ROUNDS`` raises the number of race rounds (default 3) for a longer run.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ucwidgets.server.store import Store

# Imports everything first, then waits for the start signal, so both start at the same moment.
RACER = r"""
import json, os, sys, time
from pathlib import Path
import ucwidgets as dr
import ucwidgets.server.app
print("ready", flush=True)
go, deadline = Path(sys.argv[1]), time.monotonic() + 600
while not go.exists():  # the parent may die first: then give up rather than wait forever
    if time.monotonic() > deadline:
        sys.exit("no start signal")
    time.sleep(0.001)
try:
    dr.Client()
    dr.UseCase.create(name=f"from {os.getpid()}")
    print(json.dumps({"ok": True}))
except Exception as e:
    print(json.dumps({"ok": False, "error": repr(e)}))
"""


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UCWIDGETS_")}
    env |= {
        "UCWIDGETS_DATA_DIR": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
    }
    return env


def _race(tmp: Path) -> list[dict]:
    go = tmp / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go)],
            env=_env(tmp),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for racer in racers:  # both have imported everything: only the start itself is left
            assert racer.stdout.readline().strip() == "ready", racer.stderr.read()
        go.touch()
        outcomes = []
        for racer in racers:
            out, err = racer.communicate(timeout=300)
            lines = out.strip().splitlines()
            outcomes.append(json.loads(lines[-1]) if lines else {"ok": False, "error": err[-2000:]})
        return outcomes
    finally:
        for racer in racers:
            racer.kill()
            racer.wait()


ROUNDS = int(os.environ.get("UCW_RACE_ROUNDS", "3"))


@pytest.mark.timeout(120 + 60 * ROUNDS)  # two interpreters start per round, on a loaded machine
def test_two_processes_starting_on_an_empty_data_dir_both_succeed(tmp_path):
    rounds = ROUNDS
    failures = []
    for i in range(rounds):
        tmp = tmp_path / f"round{i}"
        tmp.mkdir()
        outcomes = _race(tmp)
        failures += [o["error"] for o in outcomes if not o["ok"]]
        store = Store.open(tmp / "data")
        try:
            users = store.users.list()
            token = (tmp / "data" / "token").read_text().strip()
            assert store.users.authenticate(token)["username"] == users[0]["username"]
            assert len(users) == 1, users
        finally:
            store.close()
    assert failures == [], f"{len(failures)} of {2 * rounds} starts failed: {failures}"


# Starts the service, uploads a file (so that blobs exist), and lists every mode while it runs.
MODES = r"""
import json, os, sys
from pathlib import Path
os.umask(int(sys.argv[2], 8))
import requests
from ucwidgets.server.app import ServerThread
data = Path(sys.argv[1])
srv = ServerThread(data_dir=data, notebook_root=str(data.parent)).start()
r = requests.post(srv.url + "/datasets/fromFile/", files={"file": ("a.csv", b"a,b\n1,2\n")},
                  headers={"Authorization": "Token " + srv.token}, timeout=30)
assert r.status_code == 202, r.text
modes = {str(p.relative_to(data)): p.stat().st_mode for p in [data, *data.rglob("*")]}
srv.stop()
print(json.dumps(modes))
"""


@pytest.mark.parametrize(
    ("umask", "premade"),
    [("000", True), ("022", False)],
    ids=["umask 000, data dir made 0755 beforehand", "umask 022, new data dir"],
)
def test_files_are_0600_and_folders_0700_whatever_the_umask(tmp_path, umask, premade):
    data = tmp_path / "data"
    if premade:
        data.mkdir(mode=0o755)
        os.chmod(data, 0o755)
        (data / "ucwidgets.db").touch(mode=0o644)
        os.chmod(data / "ucwidgets.db", 0o644)
    out = subprocess.run(
        [sys.executable, "-c", MODES, str(data), umask],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    modes = json.loads(out.strip().splitlines()[-1])
    assert {"ucwidgets.db", "ucwidgets.db-wal", "ucwidgets.db-shm", "token"} <= set(modes)
    assert any(name.startswith("blobs/") and len(name) > 40 for name in modes), modes
    loose = {
        name: oct(mode & 0o777)
        for name, mode in modes.items()
        if (mode & 0o777) != (0o700 if stat.S_ISDIR(mode) else 0o600)
    }
    assert loose == {}
