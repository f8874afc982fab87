"""The suite's one "nothing was written" assertion can fail: a write in the block is named."""

from __future__ import annotations

import pytest

from commonground.core.models import OrganisationKind
from commonground.core.services.organisations import organisation_create


def test_nothing_written__a_write_in_the_block__named_with_its_history(tree, nothing_written):
    with pytest.raises(AssertionError, match="core.HistoricalOrganisation, core.Organisation"), nothing_written():
        organisation_create(name="试写物业", kind=OrganisationKind.PROPERTY_COMPANY, place=tree.estate)


def test_nothing_written__only_reads__passes(tree, nothing_written):
    with nothing_written():
        assert tree.estate.children.exists()
