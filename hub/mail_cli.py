"""``hub mail``: the e-mail the comms service wrote as files (the embedded default), newest last."""

from __future__ import annotations

import typer


def mail(
    show: bool = typer.Option(False, "--show", help="Also print the plain-text body of the newest message."),
) -> None:
    """List the e-mail comms wrote under HUB_VAR_DIR/mail (when HUB_COMMS_MAIL_TRANSPORT is directory)."""
    from email import policy
    from email.parser import BytesParser

    from operational.comms.config import CommsSettings
    from operational.comms.mail.directory import stored_mail

    settings = CommsSettings()
    directory = settings.mail_directory
    stored = stored_mail(directory)
    if not stored:
        where = "are sent over SMTP" if settings.mail_transport == "smtp" else f"land in {directory}"
        typer.echo(f"no e-mail yet (messages {where})")
        return
    for message in stored:
        typer.echo(f"{message.date}  {message.to}  {message.subject}  {message.path.name}")
    if show:
        with stored[-1].path.open("rb") as handle:
            newest = BytesParser(policy=policy.default).parse(handle)
        typer.echo("")
        typer.echo(newest.get_body(("plain",)).get_content())
