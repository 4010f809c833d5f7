from __future__ import annotations

from shared_settings import SharedSettings


class WarehouseSettings(SharedSettings):
    """Where the warehouse and its serving snapshots live (the DuckDB file by default, under var/).

    The paths are shared fields (HUB_VAR_DIR, HUB_WAREHOUSE_PATH, HUB_SERVING_DIR): see shared_settings.
    """
