"""The message ``hub up`` prints once everything is ready: where to go, how to log in, how to stop."""

from __future__ import annotations

from pathlib import Path

from hub.components import Plan
from hub.demo_club import DEMO_LOGINS, DEMO_PASSWORD

PLAYERS_SHOWN = 2


def _framed(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    border = "+" + "-" * (width + 2) + "+"
    return "\n".join([border, *(f"| {line:<{width}} |" for line in lines), border])


def login_rows() -> list[tuple[str, str, str]]:
    players = [login for login in DEMO_LOGINS if login.role == "player"]
    staff = [login for login in DEMO_LOGINS if login.role != "player"]
    return [(login.email, DEMO_PASSWORD, login.role) for login in [*staff, *players[:PLAYERS_SHOWN]]]


def ready_message(plan: Plan, var_dir: Path, seconds: float) -> str:
    urls = plan.urls
    lines = [f"Hockey Hub is running (ready in {seconds:.0f}s)", ""]
    lines.append(f"  API docs (gateway)   {urls['gateway_docs']}")
    lines.append(f"  Stats API            {urls['stats_docs']}" if "stats_docs" in urls else "  Stats API            -")
    lines.append(f"  Dashboards           {urls.get('dashboards', '-')}")
    if "dagster" in urls:
        lines.append(f"  Dagster UI           {urls['dagster']}")
    lines.append("  Warehouse (SQL)      hub sql   ·   docs: hub docs")
    for name, reason in plan.missing.items():
        lines.append(f"  not running: {name} ({reason})")
    lines += ["", "  Demo logins (club: Northside Hockey Club)"]
    rows = login_rows()
    email_width = max(len(email) for email, _, _ in rows)
    password_width = max(len("password"), len(DEMO_PASSWORD))
    lines.append(f"  {'e-mail':<{email_width}}  {'password':<{password_width}}  role")
    for email, password, role in rows:
        lines.append(f"  {email:<{email_width}}  {password:<{password_width}}  {role}")
    more = sum(1 for login in DEMO_LOGINS if login.role == "player") - PLAYERS_SHOWN
    if more > 0:
        lines.append(f"  ... and {more} more players with the same password (see README.md)")
    lines += [
        "",
        f"  Logs: {var_dir / 'log'}/<component>.log",
        f"  Stop: press Ctrl-C (or send SIGTERM); the data stays in {var_dir} for the next start",
    ]
    return _framed(lines)
