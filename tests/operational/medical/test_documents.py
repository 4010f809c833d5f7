"""Medical documents: checked by content, encrypted with the player's key before they reach the storage (a local
directory, or S3 through moto's server on loopback), downloaded only through the API by those allowed, every
download logged; erasing the player destroys their key."""

from __future__ import annotations

import socket
import uuid

import boto3
import pytest
from fastapi.testclient import TestClient

from contracts.users import UserAnonymized, UserAnonymizedEvent
from tests.messaging import apply_events, drain_and_consume
from tests.operational.medical.helpers import BASE, problem_body, sql
from tests.operational.training.helpers import envelope

MARKER = b"MRI report: grade 2 strain of the adductor longus"
PDF = b"%PDF-1.7\n" + MARKER + b"\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def local_dir(tmp_path):
    return tmp_path / "documents"


@pytest.fixture
def api(settings, club, monkeypatch, local_dir):
    """The gateway with documents in a local directory of the test's own, at most 64 KiB each."""
    from operational.gateway import create_app

    monkeypatch.setenv("HUB_MEDICAL_DOCUMENTS_DIR", str(local_dir))
    monkeypatch.setenv("HUB_MEDICAL_MAX_DOCUMENT_BYTES", str(64 * 1024))
    drain_and_consume(settings, services=["medical"])
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def moto_s3(monkeypatch):
    """moto's S3 server on loopback, with a bucket, and the medical service pointed at it."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint, bucket = f"http://127.0.0.1:{port}", f"medical-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")  # fmt: skip
    client.create_bucket(Bucket=bucket)
    for name, value in {"DOCUMENT_STORAGE": "s3", "S3_ENDPOINT_URL": endpoint, "S3_BUCKET": bucket,
                        "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"}.items():  # fmt: skip
        monkeypatch.setenv(f"HUB_MEDICAL_{name}", value)
    yield client, bucket
    server.stop()


def _problem(api, club) -> dict:
    response = api.post(f"{BASE}/problems", json=problem_body(club["player"]), headers=club["medic"].headers)
    assert response.status_code == 201, response.text
    return response.json()


def _upload(api, club, problem, content=PDF, name="mri.pdf", who="medic"):
    return api.post(f"{BASE}/problems/{problem['id']}/documents", files={"file": (name, content, "text/plain")},
                    headers=club[who].headers)  # fmt: skip


def test_a_document_is_stored_encrypted_and_read_back_by_those_allowed(api, club, local_dir):
    problem = _problem(api, club)

    uploaded = _upload(api, club, problem)

    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert (document["content_type"], document["size_bytes"], document["filename"]) == ("application/pdf", len(PDF),
                                                                                        "mri.pdf")  # fmt: skip
    (stored,) = [path for path in local_dir.rglob("*") if path.is_file()]
    assert MARKER not in stored.read_bytes() and b"%PDF" not in stored.read_bytes()

    url = f"{BASE}/documents/{document['id']}"
    for who in ("medic", "player", "parent"):
        response = api.get(url, headers=club[who].headers)
        assert response.status_code == 200, who
        assert response.content == PDF and response.headers["content-type"] == "application/pdf"
        assert response.headers["cache-control"] == "no-store"
    for who in ("coach", "admin", "teammate"):
        assert api.get(url, headers=club[who].headers).status_code == 403, who
    listed = api.get(f"{BASE}/problems/{problem['id']}/documents", headers=club["player"].headers).json()
    assert [d["id"] for d in listed["items"]] == [document["id"]]

    log = api.get(f"{BASE}/players/{club['player'].id}/access-log", headers=club["player"].headers).json()["items"]
    downloads = [e for e in log if e["record_type"] == "document" and e["action"] == "read"]
    assert len(downloads) == 3 + 1  # three downloads and the listing


def test_type_and_size_are_checked_by_content(api, club):
    problem = _problem(api, club)

    pretending = _upload(api, club, problem, content=b"#!/bin/sh\necho not a pdf\n", name="report.pdf")
    png = _upload(api, club, problem, content=b"\x89PNG\r\n\x1a\n" + bytes(100), name="scan")
    too_big = _upload(api, club, problem, content=b"%PDF-1.7\n" + bytes(64 * 1024))

    assert pretending.status_code == 422 and pretending.json()["error"]["field"] == "file"
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    assert too_big.status_code == 413
    assert _upload(api, club, problem, who="coach").status_code == 403


def test_erasing_the_player_destroys_their_key(api, club, settings, local_dir):
    problem = _problem(api, club)
    document = _upload(api, club, problem).json()
    erased = envelope(UserAnonymizedEvent, club.org_id, UserAnonymized(user_id=club["player"].id))

    apply_events(settings, "medical", [erased])

    assert sql(settings, "SELECT count(*) FROM medical.document_keys WHERE player_id = %s", club["player"].id) == [(0,)]
    assert api.get(f"{BASE}/documents/{document['id']}", headers=club["medic"].headers).status_code == 404
    assert [path for path in local_dir.rglob("*") if path.is_file()] == []  # and the stored objects are removed


def test_documents_in_s3(api_s3, club, moto_s3):
    client, bucket = moto_s3
    problem = _problem(api_s3, club)

    document = _upload(api_s3, club, problem).json()

    (stored,) = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert stored["Key"] == f"{club.org_id}/{club['player'].id}/{document['id']}"
    assert MARKER not in client.get_object(Bucket=bucket, Key=stored["Key"])["Body"].read()
    response = api_s3.get(f"{BASE}/documents/{document['id']}", headers=club["player"].headers)
    assert response.status_code == 200 and response.content == PDF


@pytest.fixture
def api_s3(settings, club, moto_s3):
    from operational.gateway import create_app

    drain_and_consume(settings, services=["medical"])
    with TestClient(create_app(settings)) as client:
        yield client
