"""Regressions of the attacks in the reliability review: each failed before its fix.

Huge numbers in bodies and query strings, numbers past a column's range, control characters in
query values, names that disguise themselves, redirects that trusted the request's ``Host``,
transport errors without the JSON shape, and a multipart upload cut off before its end.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
import requests
from http_checks import assert_error, module_actors, unchanged
from service_api import RISK_CSV

from ucwidgets.server.app import ServerThread

alice, bob, carol = module_actors()

HUGE = "9" * 5000  # past the interpreter's 4,300-digit conversion limit


@pytest.fixture(scope="module")
def world(alice):
    uc = alice.create_use_case("Hardened")["id"]
    dataset = alice.upload_dataset(RISK_CSV)["datasetId"]
    project = alice.create_project(dataset, "P")["id"]
    return {"uc": uc, "dataset": dataset, "project": project}


# -- numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("POST", "useCases/", "name"),
        ("PATCH", "projects/{project}/", "workerCount"),
        ("POST", "notifications/read/", "upTo"),
    ],
)
def test_a_5000_digit_integer_in_a_body_is_400(alice, world, method, path, field):
    body = f'{{"{field}": {HUGE}}}'.encode()
    with unchanged(alice):
        r = alice.request(
            method,
            path.format(**world),
            data=body,
            headers={"Content-Type": "application/json"},
        )
        assert "number" in assert_error(r, 400)["message"]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("useCases/", "offset"),
        ("useCases/", "limit"),
        ("datasets/", "offset"),
        ("projects/", "offset"),
        ("notifications/", "limit"),
        ("useCases/{uc}/events/", "after"),
        ("useCases/{uc}/events/", "limit"),
    ],
)
def test_a_5000_digit_query_integer_is_400(alice, world, path, param):
    assert_error(alice.get(path.format(**world), params={param: HUGE}), 400)


@pytest.mark.parametrize("count", [2**31, 2**63, -(2**31) - 1, -2, 10**40])
def test_a_worker_count_past_the_column_is_422(alice, world, count):
    with unchanged(alice):
        r = alice.patch(f"projects/{world['project']}/", json={"workerCount": count})
        assert assert_error(r, 422)["errors"] == {
            "workerCount": "must be an integer from -1 to 2147483647."
        }


def test_the_largest_worker_count_the_column_holds_is_kept(alice, world):
    r = alice.patch(f"projects/{world['project']}/", json={"workerCount": 2**31 - 1})
    assert r.status_code == 200, r.text
    assert alice.patch(f"projects/{world['project']}/", json={"workerCount": -1}).ok


@pytest.mark.parametrize("upto", [2**63, -1, 1.5, "3"])
def test_a_read_marker_past_the_column_is_422(alice, upto):
    assert_error(alice.post("notifications/read/", json={"upTo": upto}), 422)


# -- query values --------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["a\x00b", "\x00", "a\x1bb", "x\x7f"])
@pytest.mark.parametrize(
    ("path", "param"),
    [("useCases/", "search"), ("users/", "search"), ("datasets/", "category")],
)
def test_a_control_character_in_a_query_value_is_400(alice, path, param, value):
    body = assert_error(alice.get(path, params={param: value}), 400)
    assert param in body["message"]


# -- names ---------------------------------------------------------------------------------------
DISGUISED = {
    "RLO": "invoice\u202etxt.exe",
    "LRE": "\u202aname",
    "RLE": "\u202bname",
    "PDF": "name\u202c",
    "LRO": "\u202dname",
    "LRI": "\u2066name\u2069",
    "RLI": "\u2067name",
    "FSI": "\u2068name",
    "zero-width spaces": "\u200b\u200b\u200b",
    "zero-width joiners": "\u200d\u200c",
    "BOM": "\ufeff",
    "word joiner and space": "\u2060 \u2060",
    "Hangul filler": "\u3164",
    "lone combining mark": "\u0301",
    "braille blank": "\u2800\u2800",
}


@pytest.mark.parametrize("value", DISGUISED.values(), ids=DISGUISED.keys())
def test_bidi_controls_and_invisible_names_are_422(alice, world, value):
    with unchanged(alice):
        assert_error(alice.post("useCases/", json={"name": value}), 422)
        assert_error(alice.patch(f"useCases/{world['uc']}/", json={"name": value}), 422)
        assert_error(alice.post("applications/", json={"name": value}), 422)


@pytest.mark.parametrize("value", ["تقييم المخاطر", "a\u200db", "\u05d0\u200f1", "👩🏽‍💻"])
def test_names_with_some_invisible_characters_are_kept(alice, value):
    r = alice.post("applications/", json={"name": value})
    assert r.status_code == 201 and r.json()["name"] == value, r.text


# -- redirects -----------------------------------------------------------------------------------
def test_location_and_next_never_name_the_request_host(alice, module_service, world):
    evil = {"Host": "evil.example"}
    created = alice.post("useCases/", json={"name": "Host check"}, headers=evil)
    uploaded = alice.post("datasets/fromFile/", files={"file": ("a.csv", RISK_CSV)}, headers=evil)
    status = alice.session.get(uploaded.headers["Location"], headers=evil, allow_redirects=False)
    page = alice.get("useCases/", params={"limit": 1}, headers=evil).json()
    for url in (
        created.headers["Location"],
        uploaded.headers["Location"],
        status.headers["Location"],
        page["next"],
    ):
        assert url.startswith(module_service.url + "/"), url
    alice.delete(f"useCases/{created.json()['id']}/")


@pytest.mark.parametrize("public_url", [None, "https://uc.example.com/team/api/v2"])
def test_redirects_are_relative_or_use_the_configured_public_url(tmp_path, public_url):
    srv = ServerThread(data_dir=tmp_path, notebook_root=str(tmp_path), public_url=public_url)
    srv.start()
    try:
        session = requests.Session()
        session.headers.update({"Authorization": f"Token {srv.token}", "Host": "evil.example"})
        r = session.post(f"{srv.url}/useCases/", json={"name": "x"}, allow_redirects=False)
        assert r.status_code == 201
        uc = r.json()["id"]
        expected = f"useCases/{uc}/"
        if public_url:
            expected = f"{public_url}/{expected}"
        assert r.headers["Location"] == expected
        session.post(f"{srv.url}/useCases/", json={"name": "y"})
        page = session.get(f"{srv.url}/useCases/", params={"limit": 1}).json()
        assert page["next"].startswith(public_url or "useCases/?"), page["next"]
    finally:
        srv.stop()


def test_the_client_follows_relative_locations(tmp_path, risk_csv):
    import ucwidgets as dr

    srv = ServerThread(data_dir=tmp_path, notebook_root=str(tmp_path), public_url=None).start()
    try:
        dr.Client(token=srv.token, endpoint=srv.url)
        csv = tmp_path / "risk.csv"
        csv.write_bytes(risk_csv)
        dataset = dr.Dataset.create_from_file(file_path=str(csv))
        assert dr.Dataset.get(dataset.id).name == "risk.csv"
        for i in range(3):
            dr.UseCase.create(name=f"uc {i}")
        assert len(list(dr.UseCase.list())) == 3
    finally:
        srv.stop()


# -- transport -----------------------------------------------------------------------------------
def _exchange(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send raw bytes, read until the server closes; return status line, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers, body


TRANSPORT = {
    "Content-Length with Transfer-Encoding": (
        b"POST /api/v2/useCases/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
    ),
    "unknown transfer coding": (
        b"POST /api/v2/useCases/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        400,
    ),
    "bad chunk size": (
        b"POST /api/v2/useCases/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"zz\r\n{}\r\n0\r\n\r\n",
        400,
    ),
    "bad Content-Length": (
        b"POST /api/v2/useCases/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        400,
    ),
    "broken request line": (b"GARBAGE\r\nHost: x\r\n\r\n", 400),
    "conflicting lengths": (
        b"POST /api/v2/useCases/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 3\r\n\r\n{}",
        400,
    ),
    "200 KB URL": (
        b"GET /api/v2/useCases/?q=" + b"a" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        414,
    ),
    "no Host": (b"GET /api/v2/version/ HTTP/1.1\r\n\r\n", 400),
    "200 KB header": (
        b"GET /api/v2/version/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n",
        431,
    ),
    "many headers": (
        b"GET /api/v2/version/ HTTP/1.1\r\nHost: x\r\n"
        + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(1000))
        + b"\r\n",
        431,
    ),
}


@pytest.mark.parametrize(("request_bytes", "status"), TRANSPORT.values(), ids=TRANSPORT.keys())
def test_transport_errors_have_the_json_shape(alice, module_service, request_bytes, status):
    # Signed in, so that a handler reading the body would get past authentication.
    signed = f"Host: x\r\nAuthorization: Token {alice.token}\r\n".encode()
    with unchanged(alice):
        line, headers, body = _exchange(
            module_service.port, request_bytes.replace(b"Host: x\r\n", signed)
        )
    assert line.split(" ")[1] == str(status), line
    assert headers["Content-Type"] == "application/json", headers
    assert json.loads(body)["message"]


def test_a_refused_message_does_not_reach_a_handler(alice, module_service):
    # The body after the conflicting headers would create a use case if it were read.
    body = b'{"name": "smuggled"}'
    request = (
        b"POST /api/v2/useCases/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token "
        + alice.token.encode()
        + b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        + b"Transfer-Encoding: chunked\r\n\r\n"
        + body
    )
    with unchanged(alice):
        assert _exchange(module_service.port, request)[0].split(" ")[1] == "400"


# -- uploads -------------------------------------------------------------------------------------
@pytest.mark.parametrize("route", ["datasets/fromFile/", "projects/"])
@pytest.mark.parametrize("cut", [60, len(RISK_CSV), -3])
def test_a_multipart_upload_without_its_closing_boundary_is_400(alice, tmp_dir, route, cut):
    part = b'--BB\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\n\r\n'
    body = part + RISK_CSV + b"\r\n--BB--"
    body = part + RISK_CSV[:cut] if cut > 0 else body[:cut]
    with unchanged(alice, tmp_dir=tmp_dir):
        r = alice.post(
            route, data=body, headers={"Content-Type": "multipart/form-data; boundary=BB"}
        )
        assert "closing boundary" in assert_error(r, 400)["message"]


# Describes a CSV in a fresh interpreter and prints how far its RSS rose above where it started.
DESCRIBE = r"""
import sys, threading, time
import pandas, psutil
from ucwidgets.server.blobs import describe_csv
process = psutil.Process()
before = peak = process.memory_info().rss
done = threading.Event()
def sample():
    global peak
    while not done.is_set():
        peak = max(peak, process.memory_info().rss)
        time.sleep(0.005)
sampler = threading.Thread(target=sample)
sampler.start()
described = describe_csv(sys.argv[1])
done.set()
sampler.join()
print(described["row_count"], (peak - before) // 2**20)
"""


def test_describing_an_upload_takes_memory_by_the_chunk_not_by_the_file(tmp_path):
    # 60 MB of CSV with distinct text: read whole, it took about 250 MB more; streamed, under 100.
    rows_per_block = 20_000
    path = tmp_path / "big.csv"
    blocks = 0
    with open(path, "wb") as f:
        f.write(b"id,age,customer,score,target\n")
        while f.tell() < 60 * 2**20:
            f.write(
                "".join(
                    f"{i},{i % 97},c{blocks}-{i * 7919 % 1000003},{i / 7:.3f},{i % 2}\n"
                    for i in range(rows_per_block)
                ).encode()
            )
            blocks += 1
    out = subprocess.run(
        [sys.executable, "-c", DESCRIBE, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout.split()
    assert int(out[0]) == blocks * rows_per_block
    assert int(out[1]) < 150, f"RSS rose by {out[1]} MB to describe a 60 MB file"
