from __future__ import annotations

from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Request
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class CommsSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_COMMS_", extra="ignore", populate_by_name=True)

    default_language: str = Field("sv", description="Language of a message to someone whose language is unknown")
    edit_window_minutes: int = Field(15, ge=0, description="How long after sending a message it can be changed")
    # attachments of messages: files under <var>/comms-attachments (embedded default) or an S3 bucket
    max_attachment_bytes: int = Field(10 * 1024 * 1024, ge=1, description="The largest file a message may carry")
    attachment_storage: Literal["local", "s3"] = "local"
    attachments_dir: Path | None = None
    s3_bucket: str = "hub-comms-attachments"
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    # e-mail: files under <var>/mail (embedded default, `hub mail` lists them) or an SMTP relay
    mail_transport: Literal["directory", "smtp"] = "directory"
    mail_dir: Path | None = None
    mail_from: str = "Hockey Hub <no-reply@hockeyhub.local>"
    smtp_host: str = "localhost"
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(30, gt=0)
    mail_attempts: int = Field(5, ge=1, description="Tries before an e-mail is marked failed")
    digest_time: time = Field(time(7, 0), description="When a daily digest goes out, on the person's clock")
    rsvp_reminder_hours_before: int = Field(48, ge=1, description="How long before an occurrence the silent hear")
    # SMS through a provider (sms/port.py): off unless a provider is named
    sms_transport: Literal["none", "twilio"] = "none"
    sms_from: str | None = Field(None, description="The sender number (E.164) or alphanumeric sender id")
    sms_timeout_seconds: float = Field(10, gt=0)
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_base_url: str = "https://api.twilio.com"
    # web push (push/): VAPID key (generated into <var>/keys/vapid_private.pem when absent) and the contact it names
    vapid_private_key_path: Path | None = None
    vapid_subject: str = Field(
        "mailto:no-reply@hockeyhub.local", description="VAPID 'sub': how a push service reaches us"
    )
    push_ttl_seconds: int = Field(
        86400, ge=0, description="How long a push service keeps a message for an offline browser"
    )
    push_allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host:port) the push guard takes as they are: a fake push service in tests only",
    )
    # the club's quiet hours, on its clock: no e-mail reaches a minor between start and end (it waits until the end)
    club_time_zone: str = "Europe/Stockholm"
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(7, 0)

    @property
    def mail_directory(self) -> Path:
        return (self.mail_dir or Path(self.var_dir) / "mail").absolute()

    @property
    def vapid_key_file(self) -> Path:
        return (self.vapid_private_key_path or Path(self.var_dir) / "keys" / "vapid_private.pem").absolute()

    @property
    def attachments_directory(self) -> Path:
        return (self.attachments_dir or Path(self.var_dir) / "comms-attachments").absolute()


@lru_cache(maxsize=1)
def settings_from_environment() -> CommsSettings:
    """The worker's comms settings (its consumer has no app): read once per process."""
    return CommsSettings()


def _comms_settings(request: Request) -> CommsSettings:
    return request.app.state.service_settings["comms"]


SettingsDep = Annotated[CommsSettings, Depends(_comms_settings)]
