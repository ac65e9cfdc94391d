import pytest


@pytest.fixture
def df(dataset):
    # the GX dataset comes from a fixture: `expect_*` calls still name the tool
    return dataset
