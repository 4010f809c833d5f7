from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from operational.kit.schemas import WriteModel


class PageViewCreate(WriteModel):
    page: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="The page's address name, e.g. team-load")


class OutboxBacklogRead(BaseModel):
    service: str
    waiting: int = Field(description="Events written but not yet published to the stream")
    oldest_waiting_since: datetime | None = Field(description="When the oldest waiting event was written")
    failed_attempts: int = Field(description="Waiting events whose publishing failed at least once")
    measured_at: datetime


class ConsumerBacklogRead(BaseModel):
    consumer: str = Field(description="The durable consumer (a service's, or `warehouse` for the pipeline)")
    pending: int = Field(description="Messages on the stream it has not yet taken")
    waiting_for_ack: int = Field(description="Messages it took and has not yet acknowledged")
    redelivered: int
    measured_at: datetime


class DeadLetterRead(BaseModel):
    subject: str
    consumer: str | None
    reason: str
    dead_lettered_at: datetime | None


class StreamBacklogRead(BaseModel):
    available: bool = Field(description="False when NATS did not answer")
    consumers: list[ConsumerBacklogRead]
    dead_letters: int = Field(description="Messages in the dead-letter stream")
    recent_dead_letters: list[DeadLetterRead] = Field(description="The newest first (platform admins only)")
    measured_at: datetime


class SnapshotFreshnessRead(BaseModel):
    published_at: datetime | None = Field(description="Null: no snapshot published yet")
    age_seconds: int | None
    measured_at: datetime


class ComponentHealthRead(BaseModel):
    component: str
    healthy: bool
    measured_at: datetime


class SystemStatusRead(BaseModel):
    components: list[ComponentHealthRead]
    snapshot: SnapshotFreshnessRead
    outboxes: list[OutboxBacklogRead]
    stream: StreamBacklogRead
