"""Events the planning service emits (contracts/planning.py)."""

from __future__ import annotations

from contracts import planning as contract
from operational.kit.auth import Principal
from operational.kit.events import new_event
from operational.planning.models import (
    CalendarGame,
    DevelopmentPlan,
    DevelopmentReview,
    Goal,
    Mesocycle,
    Phase,
    PlanWeek,
    SeasonPlan,
)


def season_plan_saved(plan: SeasonPlan, phases: list[Phase], mesocycles: list[Mesocycle], actor: Principal):
    data = contract.SeasonPlanSaved(
        plan_id=plan.id,
        team_id=plan.team_id,
        name=plan.name,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        phases=[
            contract.Phase(phase_id=p.id, kind=p.kind, name=p.name, starts_on=p.starts_on, ends_on=p.ends_on)
            for p in phases
        ],
        mesocycles=[
            contract.Mesocycle(
                mesocycle_id=m.id,
                phase_id=m.phase_id,
                name=m.name,
                starts_on=m.starts_on,
                ends_on=m.ends_on,
                focus=m.focus,
            )
            for m in mesocycles
        ],
    )
    return new_event(contract.SeasonPlanSavedEvent, org_id=plan.org_id, subject_id=plan.id, actor=actor, data=data)


def season_plan_deleted(plan: SeasonPlan, actor: Principal):
    data = contract.SeasonPlanDeleted(plan_id=plan.id, team_id=plan.team_id)
    return new_event(contract.SeasonPlanDeletedEvent, org_id=plan.org_id, subject_id=plan.id, actor=actor, data=data)


def week_planned(week: PlanWeek, plan: SeasonPlan, actor: Principal):
    data = contract.WeekPlanned(
        week_id=week.id,
        plan_id=plan.id,
        team_id=plan.team_id,
        week_start=week.week_start,
        mesocycle_id=week.mesocycle_id,
        focus=week.focus,
        planned_sessions=week.planned_sessions,
        planned_load_au=week.planned_load_au,
        intensity_mix=contract.IntensityMix(
            low_pct=week.low_pct, moderate_pct=week.moderate_pct, high_pct=week.high_pct
        ),
    )
    return new_event(contract.WeekPlannedEvent, org_id=plan.org_id, subject_id=week.id, actor=actor, data=data)


def week_removed(week: PlanWeek, plan: SeasonPlan, actor: Principal):
    data = contract.WeekRemoved(week_id=week.id, plan_id=plan.id, team_id=plan.team_id, week_start=week.week_start)
    return new_event(contract.WeekRemovedEvent, org_id=plan.org_id, subject_id=week.id, actor=actor, data=data)


def key_game_prioritised(game: CalendarGame, team_id, priority: str, actor: Principal):
    data = contract.KeyGamePrioritised(
        series_id=game.series_id, team_id=team_id, title=game.title, starts_at=game.starts_at, priority=priority
    )
    return new_event(
        contract.KeyGamePrioritisedEvent, org_id=game.org_id, subject_id=game.series_id, actor=actor, data=data
    )


def goal_set(goal: Goal, actor: Principal):
    data = contract.GoalSet(
        goal_id=goal.id,
        team_id=goal.team_id,
        player_id=goal.player_id,
        title=goal.title,
        metric=goal.metric,
        test_name=goal.test_name,
        comparator=goal.comparator,
        target_value=goal.target_value,
        target_max_value=goal.target_max_value,
        starts_on=goal.starts_on,
        due_on=goal.due_on,
        development_plan_id=goal.development_plan_id,
    )
    return new_event(contract.GoalSetEvent, org_id=goal.org_id, subject_id=goal.id, actor=actor, data=data)


def goal_removed(goal: Goal, actor: Principal):
    data = contract.GoalRemoved(goal_id=goal.id, team_id=goal.team_id, player_id=goal.player_id)
    return new_event(contract.GoalRemovedEvent, org_id=goal.org_id, subject_id=goal.id, actor=actor, data=data)


def development_plan_saved(plan: DevelopmentPlan, actor: Principal):
    data = contract.DevelopmentPlanSaved(
        development_plan_id=plan.id,
        player_id=plan.player_id,
        team_id=plan.team_id,
        title=plan.title,
        focus_areas=list(plan.focus_areas),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
    )
    return new_event(contract.DevelopmentPlanSavedEvent, org_id=plan.org_id, subject_id=plan.id, actor=actor, data=data)


def development_plan_reviewed(review: DevelopmentReview, plan: DevelopmentPlan, actor: Principal):
    data = contract.DevelopmentPlanReviewed(
        review_id=review.id,
        development_plan_id=plan.id,
        player_id=plan.player_id,
        team_id=plan.team_id,
        reviewed_on=review.reviewed_on,
        author_id=review.author_id,
        recorded_at=review.recorded_at,
    )
    return new_event(
        contract.DevelopmentPlanReviewedEvent, org_id=plan.org_id, subject_id=review.id, actor=actor, data=data
    )
