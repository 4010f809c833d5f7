"""Statistics rules: the period asked for, what of it the caller may see, and how figures are presented."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from operational.kit.auth import Principal
from operational.kit.errors import HubError
from operational.stats import policies, repository
from operational.stats.policies import PlayerRef, TeamRef
from operational.stats.schemas import (
    ACWR_DEFAULT_VARIANT,
    ACWR_UNITS,
    ACWR_VARIANT_CITATIONS,
    AcwrVariant,
    MeRead,
    PlayerDailyLoadRead,
    PlayerLoadMetricsRead,
    PlayerNameRead,
    PlayerTestResultsRead,
    PlayerWellnessRead,
    TeamDailyLoadRead,
    TeamLoadBoardRead,
    TeamNameRead,
)
from warehouse.port import ServingCursor

DEFAULT_PERIOD_DAYS = 28
MAX_PERIOD_DAYS = 366
ACUTE_DAYS, CHRONIC_DAYS = 7, 28
# From this many days without any entry the acute week is empty, and a ratio would read "0.0, low".
NO_ENTRIES_WITHHOLD_DAYS = 7
IMPLAUSIBLE_DAY_LOAD_AU = 1500  # as the dbt var implausible_day_load_au
IMPLAUSIBLE_DAY_MULTIPLE = 3  # as the dbt var implausible_day_multiple


class InvalidPeriod(HubError):
    code = "invalid_period"


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date


def resolve_period(principal: Principal, date_from: date | None, date_to: date | None) -> Period:
    """The days asked for, both ends inclusive: by default the last 28 days ending on the club's today."""
    today = principal.today()
    date_to = date_to or (today if date_from is None else max(today, date_from))
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if date_from > date_to:
        raise InvalidPeriod(f"'from' ({date_from}) must be on or before 'to' ({date_to}).", field="from")
    days = (date_to - date_from).days + 1
    if days > MAX_PERIOD_DAYS:
        raise InvalidPeriod(
            f"The period from {date_from} to {date_to} is {days} days; "
            f"ask for at most {MAX_PERIOD_DAYS} days at a time.",
            field="from",
        )
    return Period(date_from, date_to)


def check_entry_sentence(reason: str | None, day: date, load_au: int, previous_high_au: int | None) -> str | None:
    """The implausible-load flag of a day, as a coach reads it."""
    if reason is None:
        return None
    if reason == "over_3x_recent_high" and previous_high_au is not None:
        why = f"over {IMPLAUSIBLE_DAY_MULTIPLE} × the player's highest day of the 28 before ({previous_high_au:,} AU)"
    else:
        why = f"over {IMPLAUSIBLE_DAY_LOAD_AU:,} AU"
    return f"{load_au:,} AU on {day.isoformat()} is {why}: check the entries of that day."


def _daily_load_day(row: dict[str, Any]) -> dict[str, Any]:
    day = dict(row)
    day["check_entry"] = check_entry_sentence(
        row["check_entry_reason"],
        row["session_date"],
        row["session_rpe_load_au"],
        row["highest_load_previous_28_days_au"],
    )
    return day


def player_daily_load(
    cursor: ServingCursor, principal: Principal, player: PlayerRef, period: Period
) -> PlayerDailyLoadRead:
    scope = policies.player_scope(principal, player.player_id)
    days = repository.player_daily_load(cursor, scope, player.player_id, period.date_from, period.date_to)
    return PlayerDailyLoadRead(
        player_id=player.player_id,
        player_name=player.player_name,
        as_of=repository.snapshot_published_at(cursor),
        date_from=period.date_from,
        date_to=period.date_to,
        days=[_daily_load_day(d) for d in days],
    )


def team_daily_load(cursor: ServingCursor, principal: Principal, team: TeamRef, period: Period) -> TeamDailyLoadRead:
    rows = repository.team_daily_load(cursor, policies.team_scope(principal, team), period.date_from, period.date_to)
    return TeamDailyLoadRead(
        team_id=team.team_id,
        team_name=team.team_name,
        as_of=repository.snapshot_published_at(cursor),
        date_from=period.date_from,
        date_to=period.date_to,
        player_days=[_daily_load_day(r) for r in rows],
    )


def _acwr_variants(row: dict[str, Any], withheld: bool) -> dict[str, dict[str, Any]]:
    loads = {
        "coupled_rolling": (row["acute_load_au"], row["chronic_load_coupled_weekly_au"]),
        "uncoupled_rolling": (row["acute_load_au"], row["chronic_load_uncoupled_weekly_au"]),
        "ewma": (row["ewma_acute_load_au"], row["ewma_chronic_load_au"]),
    }
    return {
        variant: {
            "acute": acute,
            "chronic": chronic,
            "ratio": None if withheld else row[f"acwr_{variant}"],
            "band": None if withheld else row[f"acwr_{variant}_band"],
            "unit": ACWR_UNITS[variant],
        }
        for variant, (acute, chronic) in loads.items()
    }


def _completeness(row: dict[str, Any]) -> float:
    stored = row.get("data_completeness_last_28")
    return stored if stored is not None else round(row["days_with_data_last_28"] / CHRONIC_DAYS, 3)


def club_variant(cursor: ServingCursor, org_id: uuid.UUID) -> AcwrVariant:
    """The club's default ACWR variant (its configuration), else the project's default."""
    chosen = repository.club_acwr_variant(cursor, org_id)
    return chosen if chosen in ACWR_UNITS else ACWR_DEFAULT_VARIANT


def _metrics_day(
    row: dict[str, Any], *, no_entries_days: int | None = None, variant: AcwrVariant = ACWR_DEFAULT_VARIANT
) -> dict[str, Any]:
    """A load-metrics row as the API shows it: the default ACWR variant up front, every variant with its own acute
    and chronic load, completeness, and the implausible-day flag as a sentence."""
    reason = row["acwr_withheld_reason"]
    # The mart's series ends on the club's last reported day; counted to today a player may have gone quiet since.
    if reason is None and no_entries_days is not None and no_entries_days >= NO_ENTRIES_WITHHOLD_DAYS:
        reason = "no_entries_in_last_7_days"
    variants = _acwr_variants(row, withheld=reason is not None)
    day = {k: v for k, v in row.items() if not k.startswith("acwr_") and k != "data_completeness_last_28"}
    day.update(
        acwr=variants[variant]["ratio"],
        acwr_band=variants[variant]["band"],
        acwr_variant=variant,
        acwr_variants=variants,
        acwr_withheld_reason=reason,
        # the mart's figure (fct_player_load_metrics.data_completeness_last_28), the one analysts read too
        completeness=_completeness(row),
        completeness_last_7_days=round(row["days_with_data_last_7"] / ACUTE_DAYS, 3),
        check_entry=check_entry_sentence(
            row["check_entry_reason"], row["metric_date"], row["session_rpe_load_au"],
            row["highest_load_previous_28_days_au"],
        ),
    )  # fmt: skip
    return day


def team_load_board(cursor: ServingCursor, principal: Principal, team: TeamRef) -> TeamLoadBoardRead:
    today = principal.today()
    variant = club_variant(cursor, principal.org_id)
    players = []
    for row in repository.team_load_board(cursor, policies.team_scope(principal, team)):
        last_entry = row["last_entry_date"]
        no_entries_days = None if last_entry is None else max(0, (today - last_entry).days)
        player = _metrics_day(row, no_entries_days=no_entries_days, variant=variant)
        player.update(
            player_id=row["player_id"],
            player_name=row["player_name"],
            last_entry_date=last_entry,
            no_entries_days=no_entries_days,
            check_entry=check_entry_sentence(
                row["flagged_reason"], row["check_entry_date"], row["check_entry_load_au"],
                row["flagged_previous_high_au"],
            )
            if row["check_entry_date"] is not None
            else None,
        )  # fmt: skip
        player["latest_wellness"] = (
            {
                key: row[key]
                for key in (
                    "wellness_date",
                    "instrument",
                    "total_score",
                    "wellness_z_score",
                    "below_baseline_flag",
                    "z_score_withheld_reason",
                )
            }  # fmt: skip
            if row["wellness_date"] is not None
            else None
        )
        player["availability"] = (
            {
                "status": row["availability_status"],
                "restrictions": json.loads(row["restrictions_json"] or "[]"),
                "expected_until": row["expected_until"],
            }
            if row["availability_status"] is not None
            else None
        )
        players.append(player)
    return TeamLoadBoardRead(
        team_id=team.team_id,
        team_name=team.team_name,
        as_of=repository.snapshot_published_at(cursor),
        today=today,
        acwr_default_variant=variant,
        acwr_default_variant_citation=ACWR_VARIANT_CITATIONS[variant],
        players=players,
    )


def player_load_metrics(
    cursor: ServingCursor, principal: Principal, player: PlayerRef, period: Period
) -> PlayerLoadMetricsRead:
    scope = policies.player_scope(principal, player.player_id)
    rows = repository.player_load_metrics(cursor, scope, player.player_id, period.date_from, period.date_to)
    variant = club_variant(cursor, principal.org_id)
    return PlayerLoadMetricsRead(
        player_id=player.player_id,
        player_name=player.player_name,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=repository.snapshot_published_at(cursor),
        acwr_default_variant=variant,
        acwr_default_variant_citation=ACWR_VARIANT_CITATIONS[variant],
        days=[_metrics_day(r, variant=variant) for r in rows],
    )


def player_wellness(
    cursor: ServingCursor, principal: Principal, player: PlayerRef, period: Period
) -> PlayerWellnessRead:
    scope = policies.player_scope(principal, player.player_id)
    days = repository.player_wellness(cursor, scope, player.player_id, period.date_from, period.date_to)
    for day in days:
        day["baseline_completeness"] = round(day["baseline_observations"] / CHRONIC_DAYS, 3)
    return PlayerWellnessRead(
        player_id=player.player_id,
        player_name=player.player_name,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=repository.snapshot_published_at(cursor),
        days=days,
    )


def player_test_results(cursor: ServingCursor, principal: Principal, player: PlayerRef) -> PlayerTestResultsRead:
    scope = policies.player_scope(principal, player.player_id)
    return PlayerTestResultsRead(
        player_id=player.player_id,
        player_name=player.player_name,
        as_of=repository.snapshot_published_at(cursor),
        results=repository.player_test_results(cursor, scope, player.player_id),
    )


def _by_name(items: list[dict[str, Any]], name: str, key: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (i[name] is None, (i[name] or "").lower(), str(i[key])))


def me(cursor: ServingCursor | None, principal: Principal) -> MeRead:
    """Whose statistics the caller may read: themself and their children as the athlete, and which teams."""
    org = principal.org_id
    person_ids = [principal.user_id, *sorted(principal.guardian_of)]
    names = repository.player_names(cursor, org, person_ids) if cursor is not None else {}
    athlete = principal.has_any_role("player") or (
        cursor is not None and repository.is_player(cursor, org, principal.user_id)
    )
    players = [
        {"player_id": pid, "player_name": names.get(str(pid))}
        for pid in ([principal.user_id] if athlete else []) + sorted(principal.guardian_of)
    ]
    if principal.has_any_role(*policies.READ_WHOLE_ORG):
        team_ids = None  # every team of the club the snapshot knows
    elif principal.has_any_role(*policies.READ_OWN_TEAMS):
        team_ids = sorted(principal.team_ids)
    else:
        team_ids = []
    known = repository.team_names(cursor, org, team_ids) if cursor is not None and team_ids != [] else {}
    ids = [uuid.UUID(t) for t in known] if team_ids is None else team_ids
    teams = [{"team_id": t, "team_name": known.get(str(t))} for t in ids]
    health_teams = teams
    if principal.has_any_role(policies.MEDICAL_STAFF) and team_ids is not None:
        every = repository.team_names(cursor, org, None) if cursor is not None else {}
        health_teams = [{"team_id": uuid.UUID(t), "team_name": name} for t, name in every.items()]
    return MeRead(
        user_id=principal.user_id,
        name=names.get(str(principal.user_id)),
        roles=sorted(principal.roles),
        players=[PlayerNameRead(**p) for p in _by_name(players, "player_name", "player_id")],
        teams=[TeamNameRead(**t) for t in _by_name(teams, "team_name", "team_id")],
        health_teams=[TeamNameRead(**t) for t in _by_name(health_teams, "team_name", "team_id")],
    )
