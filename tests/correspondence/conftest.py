import pytest

from tests.cases.test_views_documents import private_storage  # noqa: F401 - the same fixture
from tests.portability.test_views import eager  # noqa: F401 - the same fixture


@pytest.fixture(autouse=True)
def _letters_in_private_storage(private_storage):  # noqa: F811
    """Generated letters and bundles are written under a temporary directory."""
    return private_storage


@pytest.fixture(autouse=True)
def _tasks_run_here(eager):  # noqa: F811
    """E-mails and bundles queued on commit run in the test's process, even with REDIS_URL."""
    return eager
