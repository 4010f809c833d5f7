"""iCalendar documents of series, as RFC 5545 wants them, so calendar apps compute what the API lists.

A series is one VEVENT with its RRULE in its own zone (so calendar apps keep 17:00 local across DST) and UNTIL in UTC;
a cancelled occurrence is an EXDATE and a moved or edited one a VEVENT with RECURRENCE-ID. DTSTART and DTEND are
wall-clock times in that zone, and the API computes every occurrence's end the same way (its duration on the wall
clock), so an event across a DST night ends where calendar apps show it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from operational.calendar import occurrences, recurrence
from operational.calendar.models import EventSeries


def _uid(series: EventSeries) -> str:
    return f"{series.id}@hockey-hub"


def _vevent(series: EventSeries, stamp: datetime, location: str | None) -> Event:
    zone = recurrence.zone(series.time_zone)
    event = Event()
    event.add("uid", _uid(series))
    event.add("dtstamp", stamp)
    event.add("summary", series.title)
    event.add("dtstart", series.starts_local.replace(tzinfo=zone))
    event.add("dtend", (series.starts_local + timedelta(minutes=series.duration_minutes)).replace(tzinfo=zone))
    event.add("categories", [series.kind.upper()])
    if location:
        event.add("location", location)
    if series.notes:
        event.add("description", series.notes)
    if series.rrule:
        event.add("rrule", vRecur.from_ical(series.rrule))
    return event


def calendar_of(
    name: str, series_list: list[EventSeries], exceptions: dict, places: dict[uuid.UUID, str] | None = None
) -> bytes:
    """The iCalendar document; ``places`` names the booked resources (the location of events without their own)."""
    places = places or {}
    calendar = Calendar()
    calendar.add("prodid", "-//Hockey Hub//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for series in series_list:
        zone = recurrence.zone(series.time_zone)
        location = series.location or places.get(series.resource_id)
        master = _vevent(series, stamp, location)
        calendar.add_component(master)
        schedule = occurrences.Schedule.of(series)
        for exception in sorted(exceptions.get(series.id, ()), key=lambda e: e.occurrence_start):
            if not occurrences.occurs_at(schedule, exception.occurrence_start):
                continue  # an occurrence the series no longer has (its rule changed): the API lists none either
            original = exception.occurrence_start.astimezone(zone)
            if exception.cancelled:
                master.add("exdate", original)
                continue
            override = _vevent(series, stamp, location)
            override.pop("rrule", None)
            override.add("recurrence-id", original)
            for key, value in (("dtstart", exception.starts_at), ("dtend", exception.ends_at)):
                if value is not None:
                    override.pop(key)
                    override.add(key, value.astimezone(zone))
            if exception.title:
                override.pop("summary")
                override.add("summary", exception.title)
            if exception.location is not None:
                override.pop("location", None)
                override.add("location", exception.location)
            if exception.notes is not None:
                override.pop("description", None)
                override.add("description", exception.notes)
            calendar.add_component(override)
    calendar.add_missing_timezones()
    return calendar.to_ical()
