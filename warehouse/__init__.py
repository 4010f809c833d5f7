"""Warehouse access: raw schema DDL, loaders, and the serving snapshots readers use."""
