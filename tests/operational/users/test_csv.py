"""CSV import is all or nothing, with every bad row reported; export gives the roster back."""

from __future__ import annotations

import codecs
import csv
import io
import re
import uuid
from pathlib import Path

import pytest

from operational.users import csv_io, spreadsheet

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
    error = strict.json()["error"]  # the common error shape, each bad row in its details
    assert error["code"] == "invalid_rows" and "nothing was imported" in error["message"]
    [detail] = error["details"]
    assert detail["row"] == 318 and detail["field"] == "date_of_birth"  # line 318: header + 317th data row
    assert _member_count(gateway, club) == before

    dry = _post(gateway, club, _file(rows), dry_run=True)
    assert dry.status_code == 200
    report = dry.json()
    assert (report["rows"], report["valid_rows"], report["imported"]) == (500, 499, 0)
    assert [(e["row"], e["field"], e["message"]) for e in report["errors"]] == [
        (detail["row"], detail["field"], detail["message"])
    ]
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
        [f"{prefix}-a@example.org", "A again", "", "", "", "", ""],  # the same person, named otherwise
        [club["coach"].email, "Existing", "", "", "", "", ""],  # already in the club
        [f"{prefix}-b@example.org", "B", "U99", "player", "", "", ""],  # no such team
        [f"{prefix}-c@example.org", "C", "U16", "", "", "", ""],  # team without role
        [f"{prefix}-d@example.org", "D", "", "", "", "100", ""],  # jersey out of range
    ]
    report = _post(gateway, club, _file(rows), dry_run=True).json()
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (4, "full_name"),
        (5, "email"),
        (6, "team"),
        (7, "role"),
        (8, "jersey_number"),
    ]
    good = _post(gateway, club, _file(rows[:2]), dry_run=False)
    assert good.status_code == 200 and good.json()["imported"] == 2


def test_bad_header_is_a_clear_422(gateway, club):
    response = _post(gateway, club, "mail,name\nx@example.org,X\n", dry_run=True)
    assert response.status_code == 422
    assert "email" in response.json()["error"]["message"]


def test_export_lists_members_with_their_teams(gateway, club):
    response = gateway.get("/api/v1/users/export.csv", headers=club["admin"].headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    coach = [r for r in rows if r["email"] == club["coach"].email]
    assert [(r["team"], r["role"]) for r in coach] == [("U16", "coach")]


# --- what spreadsheets do to CSV -------------------------------------------------------------------------------------
def _send(gateway, club, content: bytes, content_type: str = "text/csv", **params):
    return gateway.post(
        IMPORT,
        params={"dry_run": "false", **params},
        content=content,
        headers={**club["admin"].headers, "Content-Type": content_type},
    )


def _names(gateway, club, q: str) -> list[str]:
    page = gateway.get("/api/v1/users", params={"q": q}, headers=club["admin"].headers).json()
    return [item["full_name"] for item in page["items"]]


@pytest.mark.parametrize(
    ("delimiter", "encoding", "content_type"),
    [
        (";", "cp1252", "text/csv"),  # Excel "CSV" in Swedish, German or Finnish
        (";", "utf-8-sig", "text/csv"),  # Excel "CSV UTF-8"
        ("\t", "utf-8", "text/csv"),
        (",", "latin-1", "text/csv; charset=ISO-8859-1"),  # a declared charset is believed
    ],
)
def test_excel_files_import_with_their_delimiter_and_charset(gateway, club, delimiter, encoding, content_type):
    prefix = uuid.uuid4().hex[:8]
    lines = [
        delimiter.join(["email", "full_name", "team", "role", "org_roles"]),
        delimiter.join([f"{prefix}-asa@example.org", "Åsa Öberg", "U16", "player", ""]),
        delimiter.join([f"{prefix}-jorg@example.org", "Jörg Müller", "", "", '"coach;physical_trainer"']),
    ]
    content = ("\r\n".join(lines) + "\r\n").encode(encoding)
    answer = _send(gateway, club, content, content_type)
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 2
    assert _names(gateway, club, "Åsa Öberg") == ["Åsa Öberg"]
    jorg = gateway.get("/api/v1/users", params={"q": prefix + "-jorg"}, headers=club["admin"].headers).json()
    assert jorg["items"][0]["org_roles"] == ["coach", "physical_trainer"]


def test_a_file_in_neither_utf8_nor_windows_1252_is_told_to_save_as_csv_utf8(gateway, club):
    answer = _send(gateway, club, b"email,full_name\nx@example.org,\x81\x8d\n")
    assert answer.status_code == 422 and "CSV UTF-8" in answer.json()["error"]["message"]


def test_a_browser_upload_is_accepted_and_other_media_types_are_415(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    csv_bytes = f"email;full_name\n{prefix}@example.org;Åsa Öberg\n".encode("cp1252")
    uploaded = gateway.post(
        IMPORT,
        params={"dry_run": "true"},
        files={"file": ("roster.csv", csv_bytes, "text/csv")},
        headers=club["admin"].headers,
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["created"] == 1
    as_json = gateway.post(IMPORT, json={"csv": "email,full_name"}, headers=club["admin"].headers)
    assert as_json.status_code == 415 and "text/csv" in as_json.json()["error"]["message"]


def test_the_export_opens_in_excel_and_imports_again_unchanged(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    assert _send(gateway, club, f"email,full_name\n{prefix}@example.org,Åsa Öberg\n".encode()).status_code == 200
    for delimiter, separator in (("comma", ","), ("semicolon", ";")):
        exported = gateway.get(
            "/api/v1/users/export.csv", params={"delimiter": delimiter}, headers=club["admin"].headers
        )
        assert exported.content.startswith(codecs.BOM_UTF8)  # what Excel needs to read UTF-8
        text = exported.content.decode("utf-8-sig")
        assert text.splitlines()[0] == separator.join(csv_io.COLUMNS)
        assert f"{prefix}@example.org{separator}Åsa Öberg" in text
        again = _send(gateway, club, exported.content, mode="upsert")
        assert again.status_code == 200, again.text
        assert (again.json()["created"], again.json()["updated"]) == (0, 0)


FORMULA = '=HYPERLINK("http://evil.example/x","Open roster")'


@pytest.mark.parametrize("value", [FORMULA, "+1-2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain", "O'Neil"])
def test_every_csv_written_neutralises_spreadsheet_formulas(value):
    written = spreadsheet.write(["name"], [[value]]).decode("utf-8-sig")
    [[header], [cell]] = list(csv.reader(io.StringIO(written, newline="")))
    if value[0] in "=+-@\t\r":
        assert cell == "'" + value  # shown as text, never run
    else:
        assert cell == value
    assert spreadsheet.restore(cell) == value  # and an import of it gets the value back


def test_the_member_export_neutralises_a_formula_in_a_name(gateway, club):
    invited = gateway.post(
        "/api/v1/users/invitations",
        json={"email": f"{uuid.uuid4().hex[:8]}@example.org", "full_name": FORMULA},
        headers=club["admin"].headers,
    )
    assert invited.status_code == 201
    exported = gateway.get("/api/v1/users/export.csv", headers=club["admin"].headers).content.decode("utf-8-sig")
    names = [row["full_name"] for row in csv.DictReader(io.StringIO(exported))]
    assert "'" + FORMULA in names and FORMULA not in names


def test_nothing_writes_csv_but_the_spreadsheet_module():
    """Every CSV the services serve goes through spreadsheet.write, which neutralises formulas."""
    root = Path(spreadsheet.__file__).parents[1]
    writers = [
        path.relative_to(root)
        for path in root.rglob("*.py")
        if path.name != "spreadsheet.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert writers == [], f"write CSV with operational.users.spreadsheet.write instead: {writers}"


# --- edges ----------------------------------------------------------------------------------------------------------
def test_a_value_over_128_kib_is_a_422_naming_row_and_column(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    huge = "x" * (129 * 1024)
    content = f"email,full_name,position\n{prefix}-a@example.org,A,wing\n{prefix}-b@example.org,B,{huge}\n"
    answer = _send(gateway, club, content.encode())
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "position" and "Line 3" in error["message"] and "128 KiB" in error["message"]


def test_a_nul_character_in_the_file_is_a_422(gateway, club):
    answer = _send(gateway, club, b"email,full_name\nx@example.org,Nul\x00Name\n")
    assert answer.status_code == 422 and "NUL" in answer.json()["error"]["message"]


# --- a season's roster, imported again ------------------------------------------------------------------------------
def test_an_import_invites_everyone_it_creates(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    content = f"email,full_name,team,role,date_of_birth\n{prefix}@example.org,New Player,U16,player,2011-05-01\n"
    report = _send(gateway, club, content.encode()).json()
    [invitation] = report["invitations"]
    assert invitation["email"] == f"{prefix}@example.org" and invitation["row"] == 2
    # the imported person is listed, pending, and the link lets them in
    [listed] = gateway.get("/api/v1/users", params={"q": prefix}, headers=club["admin"].headers).json()["items"]
    assert listed["invitation"]["status"] == "pending" and listed["is_active"] is True
    accepted = gateway.post(
        "/api/v1/auth/invitations/accept",
        json={"token": invitation["invitation_token"], "password": "my-own-password"},
    )
    assert accepted.status_code == 200


def test_upsert_updates_the_members_the_club_has(gateway, club):
    prefix = uuid.uuid4().hex[:8]
    first = (
        "email,full_name,team,role,jersey_number\n"
        f"{prefix}-a@example.org,Alva,U16,player,7\n"
        f"{prefix}-b@example.org,Bea,U16,player,8\n"
    )
    assert _send(gateway, club, first.encode()).json()["created"] == 2
    season = (
        "email;full_name;team;role;jersey_number\n"
        f"{prefix}-a@example.org;Alva;U18;player;17\n"  # moves up a team, new number
        f"{prefix}-b@example.org;;;;\n"  # blank cells keep what is there
        f"{prefix}-c@example.org;Cleo;U18;player;9\n"  # new
    )
    refused = _send(gateway, club, season.encode())  # the default refuses people the club has
    assert refused.status_code == 422
    assert [d["row"] for d in refused.json()["error"]["details"]] == [2, 3]
    report = _send(gateway, club, season.encode(), mode="upsert").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 1, 1)
    assert len(report["invitations"]) == 1  # only the new person is invited
    [alva] = gateway.get("/api/v1/users", params={"q": prefix + "-a"}, headers=club["admin"].headers).json()["items"]
    assert alva["jersey_number"] == 17
    assert {m["team_id"] for m in alva["memberships"]} == {str(club.team_id), str(club.other_team_id)}
    [bea] = gateway.get("/api/v1/users", params={"q": prefix + "-b"}, headers=club["admin"].headers).json()["items"]
    assert (bea["full_name"], bea["jersey_number"]) == ("Bea", 8)
