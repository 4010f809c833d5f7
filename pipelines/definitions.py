"""The Dagster code location: everything in pipelines/defs/, nothing else."""

import dagster as dg

import pipelines.defs


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_defs(defs_root=pipelines.defs)
