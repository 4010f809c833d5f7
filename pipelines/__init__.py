"""Dagster pipelines: events from NATS into the warehouse, dbt models on top, a serving snapshot for readers."""
