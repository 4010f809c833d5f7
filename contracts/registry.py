"""Every event type the system knows: subject → model → version → producers and consumers.

One discriminated-union TypeAdapter parses any message; an unknown type or a payload that breaks its contract is an
error the consumer sends to the dead-letter stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from contracts import admin, calendar, comms, medical, planning, training, users
from contracts import payments as payments_events
from contracts.envelope import SUBJECT_PREFIX, EventEnvelope


@dataclass(frozen=True)
class EventType:
    model: type[EventEnvelope[Any]]
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    description: str

    @property
    def name(self) -> str:
        return self.model.model_fields["type"].default

    @property
    def version(self) -> int:
        return self.model.model_fields["version"].default

    @property
    def subject(self) -> str:
        return SUBJECT_PREFIX + self.name


# who is on which team (training files a player's data under that team); names, teams and guardians (calendar, comms,
# payments: who pays, and the names on an invoice)
_ROSTER_CONSUMERS = ("warehouse", "calendar", "training", "medical", "comms", "planning", "payments")
_DIRECTORY_CONSUMERS = ("warehouse", "calendar", "comms", "payments")

EVENT_TYPES: tuple[EventType, ...] = (
    EventType(users.OrganizationCreatedEvent, ("users",), ("warehouse",), "A club (tenant) was created."),
    EventType(
        users.OrganizationSuspendedEvent,
        ("users",),
        ("warehouse",),
        "A club was suspended by a platform admin: no one of it signs in until it is reactivated; its data stays.",
    ),
    EventType(users.OrganizationReactivatedEvent, ("users",), ("warehouse",), "A suspended club may sign in again."),
    EventType(
        users.ClubConfigurationChangedEvent,
        ("users",),
        ("warehouse", "training"),
        "A club's switches changed (wellness questionnaire, second factor per role, default ACWR variant).",
    ),
    EventType(
        users.SessionSignedInEvent,
        ("users",),
        ("warehouse",),
        "Someone signed in (password or accepted invitation): the sign-ins of usage analytics.",
    ),
    EventType(admin.PageViewedEvent, ("admin",), ("warehouse",), "Someone opened a dashboard page."),
    EventType(users.TeamCreatedEvent, ("users",), _DIRECTORY_CONSUMERS, "A team was created in a club."),
    EventType(
        users.TeamUpdatedEvent, ("users",), _DIRECTORY_CONSUMERS, "A team's name, season, age group or level changed."
    ),
    EventType(users.UserCreatedEvent, ("users",), _DIRECTORY_CONSUMERS, "A person got an account in a club."),
    EventType(users.UserUpdatedEvent, ("users",), _DIRECTORY_CONSUMERS, "A person's profile changed."),
    EventType(users.UserDeactivatedEvent, ("users",), _ROSTER_CONSUMERS, "A person's account was deactivated."),
    EventType(
        users.UserAnonymizedEvent,
        ("users",),
        ("warehouse", "calendar", "training", "medical", "payments", "comms", "planning"),
        "A person asked to be forgotten: erase or anonymize every copy of their data.",
    ),
    EventType(users.MembershipAddedEvent, ("users",), _ROSTER_CONSUMERS, "A person joined a team with a role."),
    EventType(users.MembershipRemovedEvent, ("users",), _ROSTER_CONSUMERS, "A person left a team (in one role)."),
    EventType(users.MembershipRoleChangedEvent, ("users",), _ROSTER_CONSUMERS, "A person's role in a team changed."),
    EventType(users.GuardianLinkedEvent, ("users",), _DIRECTORY_CONSUMERS, "A parent may now act for a minor."),
    EventType(users.GuardianUnlinkedEvent, ("users",), _DIRECTORY_CONSUMERS, "A parent no longer acts for an athlete."),
    EventType(users.InvitationCreatedEvent, ("users",), ("comms",), "Someone was invited; comms delivers the link."),
    EventType(
        users.PasswordResetRequestedEvent, ("users",), ("comms",), "A password reset was asked for; comms delivers it."
    ),
    EventType(
        users.SessionsRevokedEvent,
        ("users",),
        ("users", "training", "calendar", "medical", "stats", "planning", "admin", "comms", "payments"),
        "Access tokens of one sign-in, or of a person, stop working now: every API process refuses them at once.",
    ),
    EventType(
        training.SessionRpeLoggedEvent, ("training",), ("warehouse",), "A player logged session RPE and duration."
    ),
    EventType(
        training.SessionRpeCorrectedEvent,
        ("training",),
        ("warehouse",),
        "A logged session's RPE, minutes or date was corrected; the new values replace the old.",
    ),
    EventType(training.SessionRpeDeletedEvent, ("training",), ("warehouse",), "A logged session was withdrawn."),
    EventType(
        training.WellnessSubmittedEvent, ("training",), ("warehouse",), "A player answered the daily wellness form."
    ),
    EventType(
        training.WellnessCorrectedEvent,
        ("training",),
        ("warehouse",),
        "A day's wellness answers were corrected; the new answers replace the old.",
    ),
    EventType(training.WellnessDeletedEvent, ("training",), ("warehouse",), "A day's wellness answers were withdrawn."),
    EventType(training.TestResultRecordedEvent, ("training",), ("warehouse",), "A physical test result was recorded."),
    EventType(
        training.ExerciseCreatedEvent, ("training",), ("warehouse", "medical"), "An exercise was added to the library."
    ),
    EventType(
        training.ExerciseUpdatedEvent, ("training",), ("warehouse", "medical"), "A library exercise was changed."
    ),
    EventType(training.TemplateCreatedEvent, ("training",), ("warehouse",), "A workout template was created."),
    EventType(training.TemplateUpdatedEvent, ("training",), ("warehouse",), "A workout template was changed."),
    EventType(
        training.SessionScheduledEvent, ("training",), ("warehouse", "calendar"), "A training session was planned."
    ),
    EventType(training.SessionUpdatedEvent, ("training",), ("warehouse", "calendar"), "A planned session changed."),
    EventType(
        training.SessionCancelledEvent, ("training",), ("warehouse", "calendar"), "A planned session was cancelled."
    ),
    EventType(
        medical.AvailabilityChangedEvent,
        ("medical",),
        ("warehouse", "calendar", "training", "comms"),
        "A player's availability or restrictions changed (no clinical detail).",
    ),
    EventType(
        medical.HealthProblemRecordedEvent,
        ("medical",),
        ("warehouse",),
        "A health problem was recorded or its dates changed: OSIICS group, dates and time loss only (no diagnosis).",
    ),
    EventType(
        calendar.EventCreatedEvent,
        ("calendar",),
        ("warehouse", "training", "comms", "planning"),
        "An event or series was scheduled.",
    ),
    EventType(
        calendar.EventUpdatedEvent,
        ("calendar",),
        ("warehouse", "training", "comms", "planning"),
        "An event, occurrence or series changed.",
    ),
    EventType(
        calendar.EventCancelledEvent,
        ("calendar",),
        ("warehouse", "training", "comms", "planning"),
        "An occurrence, the rest of a series or a whole series was cancelled.",
    ),
    EventType(
        calendar.RsvpRecordedEvent, ("calendar",), ("warehouse", "comms"), "A player (or parent) answered an invite."
    ),
    EventType(
        calendar.AttendanceRecordedEvent, ("calendar",), ("warehouse",), "A coach recorded a player's attendance."
    ),
    EventType(calendar.BookingRequestedEvent, ("calendar",), ("warehouse",), "A resource booking was requested."),
    EventType(calendar.BookingConfirmedEvent, ("calendar",), ("warehouse",), "A resource booking was confirmed."),
    EventType(calendar.BookingCancelledEvent, ("calendar",), ("warehouse",), "A resource booking was cancelled."),
    EventType(calendar.BookingCompletedEvent, ("calendar",), ("warehouse",), "A resource booking was used."),
    EventType(calendar.BookingNoShowEvent, ("calendar",), ("warehouse",), "A booked resource was not used."),
    # planning: season plans, key games, goals and development plans
    EventType(
        planning.SeasonPlanSavedEvent,
        ("planning",),
        ("warehouse",),
        "A team's season plan was created or its dates, phases or mesocycles changed.",
    ),
    EventType(planning.SeasonPlanDeletedEvent, ("planning",), ("warehouse",), "A season plan was deleted."),
    EventType(
        planning.WeekPlannedEvent,
        ("planning",),
        ("warehouse",),
        "A week of a season plan was planned, changed, copied, templated or moved: its planned load and focus.",
    ),
    EventType(planning.WeekRemovedEvent, ("planning",), ("warehouse",), "A planned week was removed from a plan."),
    EventType(
        planning.KeyGamePrioritisedEvent,
        ("planning",),
        ("warehouse",),
        "A game got a priority (A/B/C) that drives tapering.",
    ),
    EventType(planning.GoalSetEvent, ("planning",), ("warehouse",), "A team or player goal was set or changed."),
    EventType(planning.GoalRemovedEvent, ("planning",), ("warehouse",), "A goal was removed."),
    EventType(
        planning.DevelopmentPlanSavedEvent,
        ("planning",),
        ("warehouse",),
        "A player's development plan was created or its focus areas changed.",
    ),
    EventType(
        planning.DevelopmentPlanReviewedEvent,
        ("planning",),
        ("warehouse",),
        "A development plan was reviewed (date and author; the text stays in the service).",
    ),
    EventType(
        calendar.FeedFetchedEvent,
        ("calendar",),
        ("warehouse",),
        "A person's own calendar feed was fetched (at most once a person per day): calendar use for usage analytics.",
    ),
    EventType(
        payments_events.InvoiceChangedEvent,
        ("payments",),
        ("warehouse",),
        "An invoice was issued, paid, credited, voided or written off; the latest state replaces the earlier.",
    ),
    EventType(payments_events.PaymentRecordedEvent, ("payments",), ("warehouse",), "Money arrived for an invoice."),
    EventType(
        payments_events.RefundRecordedEvent,
        ("payments",),
        ("warehouse",),
        "Money was given back from a payment, to where it came from or to the payer's credit balance.",
    ),
    EventType(
        payments_events.ReminderDueEvent,
        ("payments",),
        ("warehouse", "comms"),
        "An invoice is overdue: its payer is to be reminded of the unpaid part (a notification service delivers it).",
    ),
    EventType(
        payments_events.TransferStartedEvent,
        ("payments",),
        ("warehouse",),
        "A player transfer between teams (or clubs) began; the saga's steps follow.",
    ),
    EventType(
        payments_events.TransferCompletedEvent,
        ("payments",),
        ("warehouse",),
        "A player transfer was done in full: memberships moved, old fee credited and new fee charged pro rata.",
    ),
    EventType(
        payments_events.TransferCompensatedEvent,
        ("payments",),
        ("warehouse",),
        "A player transfer failed at a step and every earlier step was undone.",
    ),
    # comms: for the warehouse only (usage, acknowledgement and delivery figures); no message or announcement text
    EventType(comms.MessageSentEvent, ("comms",), ("warehouse",), "A message was posted in a conversation (no text)."),
    EventType(comms.MessageEditedEvent, ("comms",), ("warehouse",), "A message's author changed it (no text)."),
    EventType(comms.MessageDeletedEvent, ("comms",), ("warehouse",), "A message's author deleted it (no text)."),
    EventType(
        comms.AnnouncementPublishedEvent, ("comms",), ("warehouse",), "A team's staff posted an announcement (no text)."
    ),
    EventType(
        comms.AnnouncementAcknowledgedEvent,
        ("comms",),
        ("warehouse",),
        "A player, or a minor's guardian, acknowledged an announcement.",
    ),
    EventType(
        comms.NotificationDeliveredEvent,
        ("comms",),
        ("warehouse",),
        "A notification reached its channel, or was given up on: sent, failed or bounced.",
    ),
)

REGISTRY: dict[str, EventType] = {event_type.name: event_type for event_type in EVENT_TYPES}

AnyEvent = Annotated[Union[tuple(e.model for e in EVENT_TYPES)], Field(discriminator="type")]  # noqa: UP007
event_adapter: TypeAdapter[EventEnvelope[Any]] = TypeAdapter(AnyEvent)


def parse_event(raw: bytes | str) -> EventEnvelope[Any]:
    """Parse and validate a message body against its registered contract (raises pydantic.ValidationError)."""
    return event_adapter.validate_json(raw)
