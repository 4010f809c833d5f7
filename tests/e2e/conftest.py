from tests.pipelines.conftest import pipeline_env  # noqa: F401 - the pipeline's own files and a clean stream
