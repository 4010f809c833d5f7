"""Documents are encrypted at rest with a key per player (AES-256-GCM, ``cryptography``). The player's key is kept in
the database wrapped by the service's key-encryption key (a file under ``var/keys``, or the path in the settings),
so neither the database alone nor the storage alone reveals a document. Erasing a player deletes their key: every
copy of their documents, backups included, becomes unreadable (crypto-shredding)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


def key_encryption_key(path: Path) -> bytes:
    """The service's key-encryption key, created (owner-only) the first time it is needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        out.write(AESGCM.generate_key(bit_length=256))
    return path.read_bytes()


def new_player_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def _open(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)


def wrap_player_key(kek: bytes, player_key: bytes, player_id: uuid.UUID) -> bytes:
    return _seal(kek, player_key, player_id.bytes)


def unwrap_player_key(kek: bytes, wrapped: bytes, player_id: uuid.UUID) -> bytes:
    return _open(kek, wrapped, player_id.bytes)


def encrypt_document(player_key: bytes, content: bytes, document_id: uuid.UUID) -> bytes:
    """The document's id is authenticated with it: ciphertext moved to another document's key does not decrypt."""
    return _seal(player_key, content, document_id.bytes)


def decrypt_document(player_key: bytes, sealed: bytes, document_id: uuid.UUID) -> bytes:
    return _open(player_key, sealed, document_id.bytes)
