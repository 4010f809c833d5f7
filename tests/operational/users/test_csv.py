"""CSV import is all or nothing, with every bad row reported; export gives the roster back."""

from __future__ import annotations

import csv
import io
import uuid

IMPORT = "/api/v1/users/import"


def _file(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "full_name", "team", "role", "date_of_birth", "jersey_number", "guardian_email"])
    writer.writerows(rows)
    return out.getvalue()


def _post(gateway, club, text: str, *, dry_run: bool):
    return gateway.post(
        IMPORT,
        params={"dry_run": str(dry_run).lower()},
        content=text.encode(),
        headers={**club["admin"].headers, "Content-Type": "text/csv"},
    )


def _member_count(gateway, club) -> int:
    return gateway.get(
        "/api/v1/users", params={"include_inactive": "true", "limit": 1}, headers=club["admin"].headers
    ).json()["total"]


def _rows(prefix: str, n: int) -> list[list[str]]:
    return [
        [f"{prefix}-{i}@example.org", f"Player {i}", "U16", "player", "2011-01-01", str(i % 99), ""] for i in range(n)
    ]


def test_one_bad_row_among_500_is_reported_and_nothing_is_imported(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    rows = _rows(prefix, 500)
    rows[316][4] = "2011-02-30"  # not a date
    before = _member_count(gateway, club)

    strict = _post(gateway, club, _file(rows), dry_run=False)
    assert strict.status_code == 422
    report = strict.json()
    assert (report["rows"], report["valid_rows"], report["imported"]) == (500, 499, 0)
    [error] = report["errors"]
    assert error["row"] == 318 and error["field"] == "date_of_birth"  # line 318: header + 317th data row
    assert _member_count(gateway, club) == before

    dry = _post(gateway, club, _file(rows), dry_run=True)
    assert dry.status_code == 200 and dry.json()["errors"] == report["errors"]
    assert _member_count(gateway, club) == before

    rows[316][4] = "2011-02-28"
    imported = _post(gateway, club, _file(rows), dry_run=False)
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 500
    assert _member_count(gateway, club) == before + 500


def test_cross_row_and_club_checks(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    rows = [
        [f"{prefix}-a@example.org", "A", "U16", "player", "2012-01-01", "", f"{prefix}-mum@example.org"],
        [f"{prefix}-mum@example.org", "Mum", "U16", "parent", "", "", ""],
        [f"{prefix}-a@example.org", "A again", "", "", "", "", ""],  # duplicate in the file
        [club["coach"].email, "Existing", "", "", "", "", ""],  # already in the club
        [f"{prefix}-b@example.org", "B", "U99", "player", "", "", ""],  # no such team
        [f"{prefix}-c@example.org", "C", "U16", "", "", "", ""],  # team without role
        [f"{prefix}-d@example.org", "D", "", "", "", "100", ""],  # jersey out of range
    ]
    report = _post(gateway, club, _file(rows), dry_run=True).json()
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (4, "email"),
        (5, "email"),
        (6, "team"),
        (7, "role"),
        (8, "jersey_number"),
    ]
    good = _post(gateway, club, _file(rows[:2]), dry_run=False)
    assert good.status_code == 200 and good.json()["imported"] == 2


def test_bad_header_is_a_clear_400(gateway, club):
    response = _post(gateway, club, "mail,name\nx@example.org,X\n", dry_run=True)
    assert response.status_code == 422
    assert "email" in response.json()["error"]["message"]


def test_export_lists_members_with_their_teams(gateway, club):
    response = gateway.get("/api/v1/users/export.csv", headers=club["admin"].headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    coach = [r for r in rows if r["email"] == club["coach"].email]
    assert [(r["team"], r["role"]) for r in coach] == [("U16", "coach")]
