"""Everything Dagster loads: one module per concern (resources, ingest, dbt models, checks, serving, jobs)."""
