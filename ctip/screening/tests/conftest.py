from __future__ import annotations

import pytest
from django.utils import translation

from ctip.screening import engine
from ctip.screening.models import IndicatorCatalogue
from ctip.screening.tests.factories import engine_catalogue, ilo_2009


@pytest.fixture(autouse=True)
def english():
    """The screening tests compare English wording; the deployment's default language is Russian."""
    with translation.override("en"):
        yield


@pytest.fixture
def ilo(db: None) -> IndicatorCatalogue:
    return ilo_2009()


@pytest.fixture(scope="session")
def catalogue() -> engine.Catalogue:
    return engine_catalogue()
