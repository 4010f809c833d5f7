from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Request
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from operational.kit.config import HubSettings


class MedicalSettings(HubSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_MEDICAL_", extra="ignore", populate_by_name=True)

    # where encrypted documents are kept: a local directory (default var/medical-documents) or an S3 bucket
    document_storage: Literal["local", "s3"] = "local"
    documents_dir: Path | None = None
    # the key that wraps every player's document key (default var/keys/medical_documents.key, created when missing)
    documents_key_path: Path | None = None
    max_document_bytes: int = Field(10 * 1024 * 1024, ge=1)
    s3_bucket: str = "hub-medical-documents"
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None

    @property
    def documents_key_file(self) -> Path:
        return self.documents_key_path or Path(self.var_dir) / "keys" / "medical_documents.key"


@lru_cache(maxsize=1)
def settings_from_environment() -> MedicalSettings:
    """The worker's medical settings (its consumer has no app): read once per process."""
    return MedicalSettings()


def _medical_settings(request: Request) -> MedicalSettings:
    return request.app.state.service_settings["medical"]


SettingsDep = Annotated[MedicalSettings, Depends(_medical_settings)]
