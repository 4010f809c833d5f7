from tests.pipelines.conftest import (  # noqa: F401 - the pipeline's own files, a clean stream, one connection
    pipeline_env,
    shared_nats_connections_closed,
)
