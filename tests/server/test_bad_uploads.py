"""Bad uploads, notebook paths outside the Jupyter root, and bad share requests (ACCESS.md).

Each refusal has the error shape of ``assert_error`` and leaves nothing behind: no dataset, no
temporary file under ``DATA_DIR/blobs/tmp``, no membership, no event.
"""

from __future__ import annotations

import socket
import time

import pytest
import requests
from hostile_sharing import role_entry
from http_checks import assert_error, assert_no_content, module_actors, unchanged
from service_api import RISK_CSV

LIMIT = 1024 * 1024  # the fixture's upload limit


alice, bob, carol = module_actors()


UPLOAD_ROUTES = ["datasets/fromFile/", "projects/"]
BAD_FILES = {
    "empty": (b"", "empty"),
    "header only": (b"a,b,c\n", "no data rows"),
    "ragged": (b"a,b\n1,2\n3,4\n5,6,7\n", "line 4"),
    "undecodable": (b"a,b\n1,\xff\xfe\n", "UTF-8"),
    "UTF-16": ("a,b\n1,2\n".encode("utf-16"), "UTF-8"),
}


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@pytest.mark.parametrize(("content", "says"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_unreadable_files_are_422_and_store_nothing(alice, tmp_dir, route, content, says):
    with unchanged(alice, tmp_dir=tmp_dir):
        body = assert_error(alice.post(route, files={"file": ("bad.csv", content)}), 422)
    assert says in body["message"]


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_a_multipart_body_without_a_file_part_is_refused(alice, tmp_dir, route):
    with unchanged(alice, tmp_dir=tmp_dir):
        assert_error(alice.post(route, files={"other": ("x.csv", RISK_CSV)}), 422)
        r = alice.post(
            route,
            data=b"--zz\r\ngarbage",
            headers={"Content-Type": "multipart/form-data; boundary=zz"},
        )
        assert r.status_code in (400, 422)
        assert_error(r, r.status_code)


@pytest.mark.parametrize(
    ("route", "ctype"),
    [
        ("datasets/fromFile/", "text/csv"),
        ("datasets/fromFile/", "application/json"),
        ("datasets/fromFile/", None),
        ("projects/", "text/csv"),
        ("projects/", "application/x-www-form-urlencoded"),
        ("datasets/fromFile/", "multipart/form-data"),
    ],
)  # no boundary
def test_wrong_content_type_is_415(alice, tmp_dir, route, ctype):
    headers = {"Connection": "close"} | ({"Content-Type": ctype} if ctype else {})
    with unchanged(alice, tmp_dir=tmp_dir):
        assert_error(alice.post(route, data=RISK_CSV, headers=headers), 415)


def _raw(service, head: bytes, body: bytes = b"") -> bytes:
    """Send one raw request and return what the server answers before it closes."""
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as s:
        s.sendall(head + body)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                break
        return b"".join(chunks)


def _head(alice, route: str, length: int | None, ctype: str) -> bytes:
    size = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return (
        f"POST /api/v2/{route} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Token {alice.token}\r\nContent-Type: {ctype}\r\n{size}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_an_upload_over_the_limit_is_413_before_its_body_is_read(
    alice, module_service, tmp_dir, route
):
    with unchanged(alice, tmp_dir=tmp_dir):
        answer = _raw(
            module_service, _head(alice, route, LIMIT + 1, "multipart/form-data; boundary=b")
        )
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 413"), answer
    assert b"\r\nContent-Type: application/json\r\n" in rest


def _multipart(size: int):
    yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\na,b\n'
    for _ in range(size // 40_000):
        yield b"1,2\n" * 10_000
    yield b"\r\n--b--\r\n"


def test_a_chunked_upload_over_the_limit_stores_nothing(alice, module_service, tmp_dir):
    # Without Content-Length the limit is met mid-stream; the server may answer 413 or close.
    with unchanged(alice, tmp_dir=tmp_dir):
        try:
            r = requests.post(
                f"{module_service.url}/datasets/fromFile/",
                data=_multipart(2 * LIMIT),
                headers={
                    "Authorization": f"Token {alice.token}",
                    "Content-Type": "multipart/form-data; boundary=b",
                },
                timeout=30,
            )
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            pass
        else:
            assert r.status_code < 500
        _wait_for_empty(tmp_dir)


def _wait_for_empty(tmp_dir, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while any(tmp_dir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_dir.iterdir()) == []


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_a_client_that_disconnects_halfway_leaves_nothing(alice, module_service, tmp_dir, route):
    part = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="half.csv"\r\n\r\n'
        b"a,b\n" + b"1,2\n" * 20_000
    )
    with unchanged(alice, tmp_dir=tmp_dir):
        s = socket.create_connection(("127.0.0.1", module_service.port), timeout=10)
        s.sendall(_head(alice, route, 500_000, "multipart/form-data; boundary=b") + part)
        deadline = time.monotonic() + 5
        while not any(tmp_dir.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)  # the upload is streaming into a temporary file
        s.close()
        _wait_for_empty(tmp_dir)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../x.csv", "x.csv"),
        ("/etc/passwd.csv", "passwd.csv"),
        ("..\\..\\w.csv", "w.csv"),
        ("dir/sub/ok.csv", "ok.csv"),
        ("", "data.csv"),
        ("..", "data.csv"),
        ("<img src=x onerror=alert(1)>.csv", "<img src=x onerror=alert(1)>.csv"),
    ],
)
def test_file_names_are_reduced_to_their_base_name(alice, sent, stored):
    ds = alice.upload_dataset(RISK_CSV, sent)
    assert ds["name"] == stored


def test_a_file_name_with_control_characters_is_422(alice, tmp_dir):
    with unchanged(alice, tmp_dir=tmp_dir):
        assert_error(
            alice.post("datasets/fromFile/", files={"file": ("a\x01b.csv", RISK_CSV)}), 422
        )


def _stored_blobs(service) -> set:
    root = service.store.blobs.root
    return {p for p in root.rglob("*") if p.is_file() and root / "tmp" not in p.parents}


@pytest.mark.parametrize(
    ("route", "data", "filename"),
    [
        ("projects/", {"projectName": ""}, "fresh.csv"),
        ("projects/", {"projectName": "bad\x00name"}, "fresh.csv"),
        ("datasets/fromFile/", {}, "bad\x07name.csv"),
    ],
)
def test_a_refused_upload_leaves_no_file_in_the_blob_store(
    alice, module_service, tmp_dir, route, data, filename
):
    content = RISK_CSV + b"99,12345,east,1\n"  # content no other test stored
    before = _stored_blobs(module_service)
    with unchanged(alice, tmp_dir=tmp_dir):
        r = alice.post(route, data=data, files={"file": (filename, content)})
        assert_error(r, 422)
    assert _stored_blobs(module_service) == before


# -- notebooks -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "../x.ipynb",
        "a/../../x.ipynb",
        "..",
        "/etc/passwd",
        "/tmp/x.ipynb",
        "../jupyter-root-sibling/x.ipynb",
        "../jupyter-root2/x.ipynb",
        "",
        "   ",
        "a\x00b.ipynb",
        None,
        5,
        ["x.ipynb"],
    ],
)
def test_notebook_paths_outside_the_root_are_422(alice, path):
    with unchanged(alice):
        assert_error(alice.post("notebooks/", json={"name": "N", "path": path}), 422)


def test_a_symlink_out_of_the_root_is_422(alice, module_service, tmp_path):
    root = module_service.service.ctx.notebook_root
    (root / "escape").symlink_to(tmp_path, target_is_directory=True)
    with unchanged(alice):
        assert_error(alice.post("notebooks/", json={"path": "escape/x.ipynb"}), 422)


def test_an_absolute_path_inside_the_root_is_stored_relative(alice, module_service):
    root = module_service.service.ctx.notebook_root.resolve()
    r = alice.post("notebooks/", json={"path": str(root / "deep" / "n.ipynb")})
    assert r.status_code == 201, r.text
    assert r.json()["path"] == "deep/n.ipynb"


def test_a_refused_link_leaves_no_notebook(alice, bob):
    theirs = bob.create_use_case("Bob's")["id"]
    with unchanged(alice, bob):
        assert_error(
            alice.post("notebooks/", json={"path": "linked.ipynb", "useCaseId": theirs}), 404
        )
        assert_error(
            alice.post("notebooks/", json={"path": "linked.ipynb", "useCaseId": "nope"}), 422
        )


# -- sharing ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shared(alice, bob, carol):
    """alice OWNS a use case where bob is an EDITOR and carol a CONSUMER."""
    uc = alice.create_use_case("Shared")["id"]
    alice.grant(uc, bob, "EDITOR", can_share=True)
    alice.grant(uc, carol, "CONSUMER")
    return uc


def _bad_batches(alice, bob, carol, make_module_user) -> dict[str, list]:
    dave, eve = make_module_user(), make_module_user()
    return {
        "unknown id": [role_entry(id="0" * 24)],
        "unknown username": [role_entry(username="nobody")],
        "id and username disagree": [role_entry(id=dave.id, username=eve.username)],
        "neither id nor username": [role_entry()],
        "lower-case role": [role_entry(id=dave.id, role="consumer")],
        "unknown role": [role_entry(id=dave.id, role="READ_ONLY")],
        "null role": [role_entry(role=None, id=dave.id)],
        "canShare as a string": [role_entry(id=dave.id, canShare="true")],
        "same recipient twice": [role_entry(id=dave.id), role_entry(username=dave.username)],
        "101 recipients": [role_entry(id=dave.id)] * 101,
        "empty batch": [],
        "one bad among good": [
            role_entry(id=dave.id),
            role_entry(id=eve.id),
            role_entry(id="f" * 24),
        ],
        "group recipient": [role_entry(id=dave.id, shareRecipientType="group")],
        "malformed id": [role_entry(id="dave")],
        "numeric id": [role_entry(id=5)],
        "empty username": [role_entry(username="")],
        "entry not an object": ["dave"],
        "unknown field": [role_entry(id=dave.id, password="x")],
    }


def test_bad_share_batches_are_422_and_apply_nothing(alice, bob, carol, shared, make_module_user):
    for label, roles in _bad_batches(alice, bob, carol, make_module_user).items():
        with unchanged(alice, bob, carol):
            r = alice.share(shared, *roles)
            assert r.status_code == 422, (label, r.text)
            assert_error(r, 422)
    for body in (
        {},
        {"roles": "x"},
        {"roles": None},
        {"operation": "delete", "roles": [role_entry(id=carol.id)]},
    ):
        with unchanged(alice):
            assert_error(alice.patch(f"useCases/{shared}/sharedRoles/", json=body), 422)


def test_the_last_owner_cannot_be_lost(alice, bob, shared):
    for roles in (
        [role_entry(id=alice.id, role="NO_ROLE")],
        [role_entry(id=alice.id, role="EDITOR")],
        [role_entry(id=bob.id, role="OWNER"), role_entry(id=bob.id, role="NO_ROLE")],
    ):
        with unchanged(alice, bob):
            r = alice.share(shared, *roles)
            assert r.status_code in (409, 422), r.text
            assert_error(r, r.status_code)
    with unchanged(alice, bob):
        assert_error(alice.share(shared, role_entry(id=alice.id, role="NO_ROLE")), 409)


def test_a_consumer_cannot_share_and_an_editor_cannot_revoke_an_owner(
    alice, bob, carol, shared, make_module_user
):
    dave = make_module_user()
    with unchanged(alice, bob, carol):
        assert_error(carol.share(shared, role_entry(id=dave.id)), 403)
        assert_error(bob.share(shared, role_entry(id=alice.id, role="NO_ROLE")), 403)
        assert_error(bob.share(shared, role_entry(id=dave.id, role="OWNER")), 403)
        assert_error(carol.share(shared, role_entry(id=carol.id, role="EDITOR")), 403)


def test_a_batch_of_100_is_accepted(alice, make_module_user):
    uc = alice.create_use_case("Big")["id"]
    people = [make_module_user() for _ in range(100)]
    assert_no_content(
        alice.share(
            uc, *[role_entry(id=p.id) for p in people[:99]], role_entry(id=alice.id, role="OWNER")
        )
    )
    assert alice.get(f"useCases/{uc}/sharedRoles/").json()["totalCount"] == 100
