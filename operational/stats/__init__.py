"""Read-only statistics API over the pipeline's serving snapshot of the marts."""
