"""Who may touch which notification: only the person it was for (a guardian reads their own copy, not the child's)."""

from __future__ import annotations

from operational.comms import repository
from operational.comms.models import Notification
from operational.kit.auth import Principal
from operational.kit.loaders import Loader, in_club


def is_recipient(principal: Principal, notification: Notification) -> bool:
    return notification.recipient_id == principal.user_id


notification_loader = Loader(
    "notification",
    in_club(repository.get_notification),
    allowed=is_recipient,
    denied="That notification is someone else's.",
)
OwnNotification = notification_loader.from_path("notification_id")
