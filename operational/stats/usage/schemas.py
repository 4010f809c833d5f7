from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

_AS_OF = "When the statistics snapshot these figures come from was published"


class ActiveUsersRead(BaseModel):
    usage_date: date = Field(description="The club's day the windows end on")
    daily_active_users: int = Field(description="DAU: people active on the day")
    weekly_active_users: int = Field(description="WAU: distinct people active in the 7 days ending on the day")
    monthly_active_users: int = Field(description="MAU: distinct people active in the 28 days ending on the day")
    stickiness: float | None = Field(description="DAU ÷ MAU, 0–1")


class SegmentActiveUsersRead(ActiveUsersRead):
    segment: str = Field(description="`role` or `team`")
    key: str = Field(description="The role (player, coach …), or the team's id")
    name: str | None = Field(description="What people read: the role, or the team's name")


class ClubUsageSummaryRead(BaseModel):
    club_id: uuid.UUID
    club_name: str | None = Field(description="The club's name; null when not yet known")
    usage_date: date | None = Field(description="The latest day with figures; null: no activity recorded yet")
    daily_active_users: int
    weekly_active_users: int
    monthly_active_users: int
    stickiness: float | None


class ClubUsageListRead(BaseModel):
    as_of: datetime = Field(description=_AS_OF)
    clubs: list[ClubUsageSummaryRead]


class LifecycleWeekRead(BaseModel):
    week_start: date = Field(description="Monday of the week")
    new_users: int = Field(description="Active for the first time ever")
    returning_users: int = Field(description="Active this week and the week before")
    resurrecting_users: int = Field(description="Active this week, not the week before, but earlier")
    dormant_users: int = Field(description="Active the week before, not this week")
    active_users: int


class FeatureAdoptionRead(BaseModel):
    feature: str = Field(description="sign_in, rpe_log, wellness, rsvp, dashboard, calendar_feeds or messages")
    window_days: int
    window_end: date
    feature_users: int = Field(description="Eligible active people who used the feature in the window")
    eligible_active_users: int = Field(description="People active in the window whose role can use the feature")
    adoption_rate: float | None = Field(description="feature_users ÷ eligible_active_users, 0–1")


class InvitationCountsRead(BaseModel):
    sent: int
    accepted: int
    expired: int = Field(description="Ran out, or replaced by a newer link")
    pending: int


class MemberSignInRead(BaseModel):
    user_id: uuid.UUID
    member_name: str | None
    role: str = Field(description="The role the member is counted under (their first role)")
    last_signed_in_at: datetime | None = Field(description="Null: never signed in")
    sign_ins_last_28_days: int


class ClubUsageRead(BaseModel):
    club_id: uuid.UUID
    club_name: str | None
    as_of: datetime = Field(description=_AS_OF)
    date_from: date
    date_to: date
    club: list[ActiveUsersRead] = Field(description="Whole club, one row per day with activity in its windows")
    latest_by_role: list[SegmentActiveUsersRead] = Field(description="Each role's figures on its latest day")
    latest_by_team: list[SegmentActiveUsersRead] = Field(description="Each team's figures on its latest day")
    lifecycle: list[LifecycleWeekRead] = Field(description="The last weeks, oldest first")
    adoption: list[FeatureAdoptionRead]
    invitations: InvitationCountsRead
    members: list[MemberSignInRead] = Field(description="Never signed in first, then the longest ago")
