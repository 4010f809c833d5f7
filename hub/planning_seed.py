"""The demo club's season plans, made through the planning service's own functions (so the warehouse gets the
events): for each team six planned weeks behind (the loads hub/seed.py's players logged were built on) and four
ahead, a build block then a taper into an A game, a B game on the way; a few goals and a development plan with a
review. The weekly practices (with the coach's intended RPE) and the games are scheduled through the calendar
service; the games reach planning's read model as its consumer would take them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from contracts import users as users_contract
from operational.calendar import events as calendar_events
from operational.calendar import service as calendar_service
from operational.calendar.config import CalendarSettings
from operational.calendar.schemas import EventCreate
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.planning import consumers as planning_read_models
from operational.planning import repository as planning_repository
from operational.planning import service as planning_service
from operational.planning.goals import service as goals_service
from operational.planning.goals.schemas import DevelopmentPlanCreate, GoalCreate, ReviewCreate
from operational.planning.schemas import (
    IntensityMixWrite,
    MesocycleWrite,
    PhaseWrite,
    PlanCreate,
    TemplateApply,
    WeekWrite,
)

WEEKS_BEHIND, WEEKS_AHEAD = 6, 4
# The nominal week of hub/seed.py's WEEKLY_PLAN is 2080 AU; the past weeks follow its load factors.
NOMINAL_WEEK_AU = 2080
PAST_FACTORS = (0.85, 0.95, 1.05, 0.75, 1.0, 1.1)
BUILD_WEEKS_AU = (2300, 2400)
FOCUS = ("Aerobic base", "Strength", "Speed", "Recovery", "Power play", "Game speed")
# The team's practices on the calendar over the plan's ten weeks, on the days hub/seed.py's players log sessions:
# (weekday, title, minutes, the coach's intended RPE); Saturday's game is no practice: it is a game on the calendar
# (the past weeks' league games, without an intended RPE), so the logs of it match the game.
PRACTICES = (
    (0, "Off-ice strength", 60, 5),
    (1, "Ice practice", 75, 6),
    (2, "Ice practice and conditioning", 90, 7),
    (4, "Pre-game skate", 45, 4),
)


async def tell_planning(session, org_id: uuid.UUID, membership) -> None:
    """The planning service learns the membership now, as its consumer would from the event a moment later."""
    data = users_contract.MembershipAdded(
        membership_id=membership.id, user_id=membership.user_id, team_id=membership.team_id, role=membership.role
    )
    event = new_event(users_contract.MembershipAddedEvent, org_id=org_id, subject_id=None, actor=None, data=data)
    await planning_read_models.apply_event(session, event)


def _week(load: int, focus: str, high_pct: int = 20) -> WeekWrite:
    mix = IntensityMixWrite(low_pct=40, moderate_pct=60 - high_pct, high_pct=high_pct)
    return WeekWrite(planned_sessions=5, planned_load_au=load, intensity_mix=mix, focus=focus)


async def _game(session, coach: Principal, team_id, day: date, title: str, time_zone: str):
    """A game scheduled in the calendar, taken into planning's read model at once."""
    starts_at = datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(time_zone))
    body = EventCreate(kind="game", title=title, team_id=team_id, starts_at=starts_at, duration_minutes=120)
    series, _warnings = await calendar_service.create_event(session, coach, body, CalendarSettings())
    await planning_read_models.apply_event(session, calendar_events.event_created(series, coach))
    return await planning_repository.get_game(session, coach.org_id, series.id)


async def _practices(session, coach: Principal, team_id, first_monday: date, time_zone: str) -> None:
    """The weekly practices, each a recurring calendar event with its intended RPE (so a planned load)."""
    weeks = WEEKS_BEHIND + WEEKS_AHEAD
    for weekday, title, minutes, rpe in PRACTICES:
        day = first_monday + timedelta(days=weekday)
        starts_at = datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(time_zone))
        body = EventCreate(kind="practice", title=title, team_id=team_id, starts_at=starts_at,
                           duration_minutes=minutes, planned_rpe=rpe, rrule=f"FREQ=WEEKLY;COUNT={weeks}")  # fmt: skip
        await calendar_service.create_event(session, coach, body, CalendarSettings())


async def _league_games(session, coach: Principal, team_id, first_monday: date, time_zone: str) -> None:
    """The past weeks' Saturday league games, one weekly calendar series (games carry no intended RPE)."""
    day = first_monday + timedelta(days=5)
    starts_at = datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(time_zone))
    body = EventCreate(kind="game", title="League game", team_id=team_id, starts_at=starts_at, duration_minutes=65,
                       rrule=f"FREQ=WEEKLY;COUNT={WEEKS_BEHIND}")  # fmt: skip
    await calendar_service.create_event(session, coach, body, CalendarSettings())


async def _season_plan(session, coach: Principal, team_name: str, team_id, this_monday: date, time_zone: str):
    first = this_monday - timedelta(weeks=WEEKS_BEHIND)
    last = this_monday + timedelta(weeks=WEEKS_AHEAD, days=-1)
    taper_start = this_monday + timedelta(weeks=WEEKS_AHEAD - 2)
    body = PlanCreate(
        team_id=team_id,
        name=f"{team_name} 2026-27",
        starts_on=first,
        ends_on=last,
        phases=[
            PhaseWrite(kind="pre_season", name="Pre-season", starts_on=first, ends_on=first + timedelta(days=13)),
            PhaseWrite(kind="in_season", name="Regular season", starts_on=first + timedelta(days=14), ends_on=last),
        ],
        mesocycles=[
            MesocycleWrite(name="Base", starts_on=first, ends_on=first + timedelta(days=27), focus="Aerobic base"),
            MesocycleWrite(
                name="Build",
                starts_on=first + timedelta(days=28),
                ends_on=taper_start - timedelta(days=1),
                focus="Game speed",
            ),  # fmt: skip
            MesocycleWrite(name="Peak and taper", starts_on=taper_start, ends_on=last, focus="Sharpness"),
        ],
    )
    structure = await planning_service.create_plan(session, coach, body)
    plan = structure.plan
    for week, (factor, focus) in enumerate(zip(PAST_FACTORS, FOCUS, strict=True)):
        monday = first + timedelta(weeks=week)
        await planning_service.put_week(session, coach, plan, monday, _week(round(NOMINAL_WEEK_AU * factor), focus))
    for week, load in enumerate(BUILD_WEEKS_AU):
        monday = this_monday + timedelta(weeks=week)
        await planning_service.put_week(session, coach, plan, monday, _week(load, "Game speed", high_pct=25))
    taper = next(m for m in structure.mesocycles if m.name == "Peak and taper")
    template = TemplateApply(template="taper", base_load_au=2200, sessions_per_week=4, focus="Sharpness")
    await planning_service.apply_template(session, coach, plan, taper, template)
    await _practices(session, coach, team_id, first, time_zone)
    await _league_games(session, coach, team_id, first, time_zone)
    league_game = await _game(session, coach, team_id, this_monday + timedelta(days=12), "League game", time_zone)
    final = await _game(session, coach, team_id, last - timedelta(days=1), "Cup final", time_zone)
    await planning_service.prioritise_game(session, coach, plan, league_game, "B")
    await planning_service.prioritise_game(session, coach, plan, final, "A")


async def seed_planning(
    session, coach: Principal, teams: dict[str, uuid.UUID], players: dict[str, Principal], time_zone: str
) -> None:
    """Season plans for every team, goals and a development plan; ``players`` by e-mail."""
    today = coach.today()
    this_monday = today - timedelta(days=today.weekday())
    for team_name, team_id in teams.items():
        await _season_plan(session, coach, team_name, team_id, this_monday, time_zone)
    u16 = teams["U16"]
    elias, liam = (players[f"{name}@northside.example.org"] for name in ("elias.nilsson", "liam.johansson"))
    season_start = this_monday - timedelta(weeks=WEEKS_BEHIND)
    season_end = this_monday + timedelta(weeks=WEEKS_AHEAD, days=-1)
    development = await goals_service.create_development_plan(
        session,
        coach,
        DevelopmentPlanCreate(
            player_id=elias.user_id,
            team_id=u16,
            title="Elias 2026-27",
            focus_areas=["Lower-body strength", "Backhand shot", "First three strides"],
            starts_on=season_start,
        ),  # fmt: skip
    )
    goals = [
        GoalCreate(team_id=u16, title="Practice attendance 90 %", metric="attendance_rate", target_value=90,
                   starts_on=season_start, due_on=season_end),
        GoalCreate(team_id=u16, title="Daily wellness answered 80 %", metric="wellness_compliance", target_value=80,
                   starts_on=season_start, due_on=season_end),
        GoalCreate(team_id=u16, player_id=elias.user_id, development_plan_id=development.id,
                   title="Back squat 100 kg", metric="test_result", test_name="1RM back squat", target_value=100,
                   starts_on=season_start, due_on=season_end),
        GoalCreate(team_id=u16, player_id=liam.user_id, title="Weekly load 1800–2600 AU", metric="weekly_load",
                   target_value=1800, target_max_value=2600, starts_on=season_start, due_on=season_end),
    ]  # fmt: skip
    for goal in goals:
        await goals_service.create_goal(session, coach, goal)
    review = ReviewCreate(reviewed_on=today - timedelta(days=7), summary="Squat up 5 kg since the first test day; "
                          "backhand still lifts late.", next_steps="Wrist-shot series twice a week.")  # fmt: skip
    await goals_service.review(session, coach, development, review)
