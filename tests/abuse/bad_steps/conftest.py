"""The campaign pages every bad-input step test uses (see inputs.Campaign)."""

import pytest

from .inputs import Campaign


@pytest.fixture
def campaign():
    return Campaign()
