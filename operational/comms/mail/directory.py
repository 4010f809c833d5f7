"""Mail as files: each message an ``.eml`` file under a directory (``var/mail`` in the embedded default), which
``hub mail`` lists and any mail program opens. Written to a temporary name and renamed, so a reader never sees half a
message."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from operational.comms.mail.port import MailNotSent


@dataclass(frozen=True)
class StoredMail:
    path: Path
    to: str
    subject: str
    date: str


class DirectoryTransport:
    def __init__(self, directory: Path):
        self.directory = directory

    async def send(self, message: EmailMessage) -> None:
        await run_in_threadpool(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        key = (message["Message-ID"] or "").strip("<>").split("@")[0] or stamp
        final = self.directory / f"{stamp}-{key}.eml"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial = final.with_suffix(".part")
            partial.write_bytes(message.as_bytes(policy=policy.SMTP))
            os.replace(partial, final)
        except OSError as exc:
            raise MailNotSent(f"could not write {final}: {exc}") from exc


def stored_mail(directory: Path) -> list[StoredMail]:
    """The messages in ``directory``, oldest first (empty when there is none, or no directory yet)."""
    if not directory.is_dir():
        return []
    parser = BytesParser(policy=policy.default)
    mails = []
    for path in sorted(directory.glob("*.eml")):
        with path.open("rb") as handle:
            headers = parser.parse(handle, headersonly=True)
        mails.append(StoredMail(path, str(headers["To"] or ""), str(headers["Subject"] or ""), str(headers["Date"])))
    return mails
