"""The server's VAPID key (RFC 8292): a P-256 key that signs every push request, so a push service knows the
messages for a subscription come from the server the browser subscribed with. Read from
``HUB_COMMS_VAPID_PRIVATE_KEY_PATH``, else ``<var>/keys/vapid_private.pem``, written there (owner-only) when absent,
like the JWT keys. The browser subscribes with the public half (:func:`application_server_key`).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from operational.comms.config import CommsSettings


def ensure_key(path: Path) -> Path:
    """Writes a new P-256 key (PKCS#8 PEM, mode 0600) to ``path`` unless one is there; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return path


def vapid_of(settings: CommsSettings) -> Vapid:
    return Vapid.from_file(str(ensure_key(settings.vapid_key_file)))


def application_server_key(settings: CommsSettings) -> str:
    """The public key a browser passes to ``pushManager.subscribe``: the uncompressed P-256 point, base64url."""
    point = vapid_of(settings).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
