"""A draft invoice is the treasurer's working copy: nobody else learns that it exists, through any endpoint of the
payments API, read from its OpenAPI document.

- Every GET operation of the payments API has a row in ``READS`` (a new one fails
  ``test_every_payments_read_has_a_row`` until it gets one): the requests a guardian, the player or anyone else who
  is not the treasurer can send to it. Neither the draft's id nor its number may come back from any of them, and an
  operation that names the draft by id answers 404 (not 403, which would tell that it exists).
- Every operation that names an invoice in its path (its PDF, instalments, checkout, the treasurer's actions) answers
  404 for the draft to everyone but the treasurer, and changes nothing.
- The same rows do show the family's issued invoice, and the treasurer the draft: the rows reach invoices at all.
"""

from __future__ import annotations

import pytest

from tests.operational.payments.helpers import BASE

NOT_TREASURERS = ("parent", "player", "teammate", "coach", "other_coach", "medic", "other_player")
FAMILY = ("parent", "player")  # the draft's payer and the player it is for
METHODS = ("get", "put", "post", "patch", "delete")

# GET path → the query strings a caller sends to it (``{invoice}`` is the invoice under test, ``{child}`` the player
# it is for); path ids are always the invoice under test
READS: dict[str, list[dict[str, str]]] = {
    f"{BASE}/fee-plans": [{}],
    f"{BASE}/invoices": [
        {"limit": "500"},
        {"status": "draft"},
        {"player_id": "{child}"},
        {"player_id": "{child}", "status": "draft"},
    ],
    f"{BASE}/invoices/{{invoice_id}}": [{}],
    f"{BASE}/invoices/{{invoice_id}}.pdf": [{}],
    f"{BASE}/reminder-policy": [{}],
    f"{BASE}/transfers": [{}],
    f"{BASE}/transfers/{{transfer_id}}": [{}],
}


def _openapi() -> dict:
    from operational.gateway import create_app

    return create_app().openapi()


DOCUMENT = _openapi()
PAYMENT_PATHS = {path: item for path, item in DOCUMENT["paths"].items() if path.startswith(BASE)}
NAMING_AN_INVOICE = sorted(
    (method.upper(), path) for path, item in PAYMENT_PATHS.items() for method in METHODS
    if method in item and "{invoice_id}" in path
)  # fmt: skip


@pytest.fixture(scope="module")
def drafts(settings):
    """A club whose player (a minor, the parent their guardian and payer) has a season invoice still a draft and a
    tournament invoice issued; the client is the gateway."""
    from fastapi.testclient import TestClient

    from operational.gateway import create_app
    from tests.operational.payments.conftest import _club
    from tests.operational.payments.helpers import day

    club = _club(settings)
    admin = club["admin"].headers
    with TestClient(create_app(settings)) as client:

        def childs_invoice(name: str) -> dict:
            plan = {"team_id": str(club.team_id), "name": name, "amount_minor": 12345, "currency": "EUR",
                    "season_start": day(0), "season_end": day(200)}  # fmt: skip
            plan_id = client.post(f"{BASE}/fee-plans", json=plan, headers=admin).json()["id"]
            run = client.post(f"{BASE}/fee-plans/{plan_id}/invoice-runs", json={"due_on": day(30)}, headers=admin)
            (invoice,) = [i for i in run.json()["invoices"] if i["player_id"] == str(club["player"].id)]
            return invoice

        draft, issued = childs_invoice("Season fee"), childs_invoice("Tournament fee")
        assert client.post(f"{BASE}/invoices/{issued['id']}/issue", headers=admin).status_code == 200
        assert draft["status"] == "draft" and draft["payer_id"] == str(club["parent"].id)
        yield client, club, draft, issued


def _read(client, club, who: str, path: str, query: dict[str, str], invoice: dict):
    url = path.replace("{invoice_id}", invoice["id"]).replace("{transfer_id}", invoice["id"])
    params = {name: value.replace("{child}", str(club["player"].id)) for name, value in query.items()}
    return client.get(url, params=params, headers=club[who].headers)


def _shows(response, invoice: dict) -> bool:
    text = response.content.decode("latin-1")
    return invoice["id"] in text or invoice["number"] in text


READ_CASES = [(path, index) for path, queries in READS.items() for index in range(len(queries))]


def test_every_payments_read_has_a_row():
    reads = {path for path, item in PAYMENT_PATHS.items() if "get" in item}
    assert not reads - set(READS), f"say what a guardian can send to: {sorted(reads - set(READS))}"
    assert not set(READS) - reads, f"no such read any more: {sorted(set(READS) - reads)}"


@pytest.mark.parametrize("who", NOT_TREASURERS)
@pytest.mark.parametrize(("path", "index"), READ_CASES, ids=[f"{p}#{i}" for p, i in READ_CASES])
def test_no_read_shows_a_draft_to_anyone_but_the_treasurer(drafts, who, path, index):
    client, club, draft, _ = drafts

    response = _read(client, club, who, path, READS[path][index], draft)

    assert not _shows(response, draft), f"{who} learns of the draft: {response.status_code} {response.text[:300]}"
    if "{invoice_id}" in path:
        assert response.status_code == 404, response.text
        assert response.json()["error"]["message"] == "No such invoice."


@pytest.mark.parametrize("who", FAMILY)
def test_the_same_reads_show_the_family_its_issued_invoice(drafts, who):
    client, club, _, issued = drafts
    reached = {
        path: _read(client, club, who, path, query, issued)
        for path, queries in READS.items()
        for query in queries
        if "status" not in query
    }

    assert _shows(reached[f"{BASE}/invoices"], issued)
    assert reached[f"{BASE}/invoices/{{invoice_id}}"].json()["number"] == issued["number"]
    assert reached[f"{BASE}/invoices/{{invoice_id}}.pdf"].headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("who", ("parent", "player", "coach"))
@pytest.mark.parametrize(("method", "path"), NAMING_AN_INVOICE, ids=lambda value: str(value))
def test_an_operation_naming_a_draft_does_not_find_it(drafts, who, method, path):
    client, club, draft, _ = drafts
    body = None if method in ("GET", "DELETE") else {}

    response = client.request(method, path.replace("{invoice_id}", draft["id"]), json=body,
                              headers=club[who].headers)  # fmt: skip

    assert response.status_code == 404, f"{method} {path}: {response.status_code} {response.text}"
    assert not _shows(response, draft)


def test_the_treasurer_still_works_on_the_draft(drafts):
    client, club, draft, _ = drafts
    admin = club["admin"].headers

    found = client.get(f"{BASE}/invoices/{draft['id']}", headers=admin)
    listed = client.get(f"{BASE}/invoices", params={"status": "draft", "limit": 500}, headers=admin)

    assert found.status_code == 200 and found.json()["status"] == "draft"  # nobody else's request changed it
    assert draft["id"] in {item["id"] for item in listed.json()["items"]}
