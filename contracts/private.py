"""Private messages: what one service hands another that must never reach the warehouse, a log or a replay.

Two kinds travel here, both from users to comms:

- ``users.account_link.issued``: an invitation's or a password reset's one-time link, with the address and language
  it is for. The domain events ``users.invitation.created`` / ``users.password_reset.requested`` say only that a link
  exists; the link itself (a bearer secret: whoever holds it sets the password) goes this way.
- ``users.contact.changed``: a person's account address and language (users owns addresses), so comms can e-mail
  everyone who has one. Addresses are personal data the warehouse never had, and keeps not having.

Why a stream of their own and not the event stream: ingest lands every message of ``HUB_EVENTS`` (``hub.>``) in
``raw.events`` and the stream keeps them for replays; a link there would outlive its purpose in two places. Private
messages are published on ``private.<type>`` to the stream ``HUB_PRIVATE``, which no ingest consumer reads, which keeps
a message for :data:`PRIVATE_MAX_AGE_SECONDS` only, and whose outbox rows are deleted as soon as NATS has them (never
kept for ``hub events replay``). A message that cannot be handled is dead-lettered with its reason and without its
body. Why not an internal HTTP call from comms to users: users keeps only a hash of each link, so it could not answer
later; it would have to keep the secret until asked, which is what this stream already bounds in time.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import EmailStr, Field, TypeAdapter

from contracts.envelope import EventEnvelope, Payload

PRIVATE_PREFIX = "private."
PRIVATE_STREAM = "HUB_PRIVATE"
PRIVATE_SUBJECTS = [PRIVATE_PREFIX + ">"]
# long enough for a worker restart or a short outage; an invitation not delivered by then is sent again by an admin
PRIVATE_MAX_AGE_SECONDS = 24 * 60 * 60


class PrivateEnvelope(EventEnvelope[Any]):
    """The event envelope, published under ``private.`` instead of ``hub.``."""

    @property
    def subject(self) -> str:
        return PRIVATE_PREFIX + self.type


def define_private(type_name: str, payload: type[Payload], version: int = 1) -> type[PrivateEnvelope]:
    name = "".join(part.title() for part in type_name.replace("_", ".").split(".")) + "Message"
    return type(
        name,
        (PrivateEnvelope,),
        {
            "__annotations__": {"type": Literal[type_name], "version": Literal[version], "data": payload},
            "type": type_name,
            "version": version,
            "__module__": payload.__module__,
        },
    )


class AccountLinkIssued(Payload):
    """A one-time link to deliver: ``link`` is the secret; ``email`` the account's own address (a reset goes there,
    never to an address set elsewhere); ``language`` the account's (``sv``/``en``)."""

    link_id: uuid.UUID = Field(description="The invitation or reset request (the id in the domain event)")
    purpose: Literal["invitation", "password_reset"]
    user_id: uuid.UUID
    email: EmailStr
    language: str
    link: str
    expires_on: date


class ContactChanged(Payload):
    """A person's account address and language as users has them now; ``email`` None: erased, send nothing."""

    user_id: uuid.UUID
    email: EmailStr | None
    language: str | None = None


AccountLinkIssuedMessage = define_private("users.account_link.issued", AccountLinkIssued)
ContactChangedMessage = define_private("users.contact.changed", ContactChanged)

PRIVATE_TYPES: dict[str, type[PrivateEnvelope]] = {
    model.model_fields["type"].default: model for model in (AccountLinkIssuedMessage, ContactChangedMessage)
}
_adapter: TypeAdapter[PrivateEnvelope] = TypeAdapter(
    Annotated[Union[tuple(PRIVATE_TYPES.values())], Field(discriminator="type")]  # noqa: UP007
)


def parse_private(raw: bytes | str) -> PrivateEnvelope:
    """Parse and validate a private message (raises pydantic.ValidationError)."""
    return _adapter.validate_json(raw)
