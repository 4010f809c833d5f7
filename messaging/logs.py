"""JSON logs with a correlation id that follows a request into the events it causes."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

correlation_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


def current_correlation_id() -> str | None:
    return correlation_id_var.get()


class JsonFormatter(logging.Formatter):
    _skip = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (cid := correlation_id_var.get()) is not None:
            entry["correlation_id"] = cid
        entry.update({k: v for k, v in record.__dict__.items() if k not in self._skip})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO", json_output: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_output else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.set_name("hub")
    root = logging.getLogger()
    # replace our own handler (configuring twice must not log twice) and keep anyone else's (e.g. a test's capture)
    root.handlers[:] = [h for h in root.handlers if h.get_name() != "hub"] + [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "nats", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
