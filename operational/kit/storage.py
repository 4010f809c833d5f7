"""The storage port: where a service keeps bytes (medical documents, message attachments) that the database only
names. Two adapters: a local directory (the embedded default, under ``var/``) and any S3 API (boto3). Keys are
``/``-separated paths chosen by the service; a key that would leave the local directory is refused."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from starlette.concurrency import run_in_threadpool


class ObjectStorage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class StoredObjectMissing(Exception):
    """The object a row names is not in the storage."""


class LocalDirectoryStorage:
    """Objects as files under ``root`` (owner-only), written to a temporary file first and renamed into place."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key {key!r} leaves the storage directory")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise StoredObjectMissing(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in an S3 bucket (AWS, MinIO, moto …); credentials from the settings or boto3's usual chain."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str = "us-east-1",
                 access_key_id: str | None = None, secret_access_key: str | None = None):  # fmt: skip
        import boto3

        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
        )

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/octet-stream")

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey as exc:
            raise StoredObjectMissing(key) from exc

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)


def object_storage(
    kind: str,
    *,
    directory: Path,
    bucket: str,
    endpoint_url: str | None = None,
    region: str = "us-east-1",
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
) -> ObjectStorage:
    """The adapter ``kind`` names: ``local`` (files under ``directory``) or ``s3`` (``bucket`` at ``endpoint_url``)."""
    if kind == "s3":
        return S3Storage(bucket, endpoint_url=endpoint_url, region=region, access_key_id=access_key_id,
                         secret_access_key=secret_access_key)  # fmt: skip
    return LocalDirectoryStorage(directory)


async def put(storage: ObjectStorage, key: str, data: bytes) -> None:
    await run_in_threadpool(storage.put, key, data)


async def get(storage: ObjectStorage, key: str) -> bytes:
    return await run_in_threadpool(storage.get, key)


async def delete(storage: ObjectStorage, key: str) -> None:
    await run_in_threadpool(storage.delete, key)
