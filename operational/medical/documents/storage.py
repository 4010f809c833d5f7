"""Where document bytes live: the kit's storage port (a local directory, by default ``var/medical-documents``, or
any S3 API). Both only ever see ciphertext (crypto.py); the database keeps what a document is."""

from __future__ import annotations

from pathlib import Path

from operational.kit.storage import ObjectStorage as DocumentStorage
from operational.kit.storage import StoredObjectMissing, get, object_storage, put

__all__ = ["DocumentStorage", "StoredObjectMissing", "get", "put", "storage_for"]


def storage_for(settings) -> DocumentStorage:
    """The adapter ``settings.document_storage`` names (``local`` or ``s3``)."""
    secret = settings.s3_secret_access_key
    return object_storage(
        settings.document_storage,
        directory=settings.documents_dir or Path(settings.var_dir) / "medical-documents",
        bucket=settings.s3_bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret.get_secret_value() if secret else None,
    )
