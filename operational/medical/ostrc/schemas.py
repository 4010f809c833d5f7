"""The weekly OSTRC-H2 questionnaire on health problems (Clarsen B et al., "Improved reporting of overuse injuries
and health problems in sport: an update of the Oslo Sport Trauma Research Center questionnaires", Br J Sports Med
2020;54:390–396): four questions about the past week, each answer scored, the sum a severity score of 0–100."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.medical import ProblemKind
from operational.kit.pagination import Page
from operational.kit.schemas import Day, WriteModel

# answer → score, per question (Clarsen et al. 2020, figure 1)
PARTICIPATION = {
    "full_without_health_problem": 0,
    "full_with_health_problem": 8,
    "reduced_due_to_health_problem": 17,
    "could_not_participate": 25,
}
REDUCTION = {"none": 0, "minor": 6, "moderate": 13, "major": 19, "could_not_participate": 25}
SYMPTOMS = {"none": 0, "mild": 8, "moderate": 17, "severe": 25}

Participation = Literal[
    "full_without_health_problem", "full_with_health_problem", "reduced_due_to_health_problem", "could_not_participate"
]
Reduction = Literal["none", "minor", "moderate", "major", "could_not_participate"]
Symptoms = Literal["none", "mild", "moderate", "severe"]


class OstrcCreate(WriteModel):
    player_id: uuid.UUID | None = Field(None, description="Defaults to you if you play; a guardian names the minor")
    week_start: Day | None = Field(None, description="The Monday of the week answered for; defaults to this week")
    participation: Participation = Field(
        description="Q1: difficulties taking part in normal training and competition due to a health problem"
    )
    training_volume: Reduction = Field("none", description="Q2: how much training volume was reduced")
    performance: Reduction = Field("none", description="Q3: how much performance was affected")
    symptoms: Symptoms = Field("none", description="Q4: how much the symptoms or health complaints were")
    problem_kind: ProblemKind | None = Field(None, description="With a health problem: an injury or an illness")
    new_problem: bool = Field(False, description="A problem not reported before")


class OstrcRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    week_start: date
    answers: dict[str, str]
    problem_kind: ProblemKind | None
    severity_score: int = Field(description="0–100: the sum of the four answers' scores")
    substantial: bool = Field(
        description="Moderate or greater reduction in training volume or performance, or unable to participate"
    )
    answered_by: uuid.UUID
    submitted_at: datetime


class OstrcPage(Page[OstrcRead]):
    pass


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    player_id: uuid.UUID
    kind: Literal["ostrc_new_problem"]
    response_id: uuid.UUID | None
    created_at: datetime
    done_at: datetime | None
    done_by: uuid.UUID | None


class TaskPage(Page[TaskRead]):
    pass
