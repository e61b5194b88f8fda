import pytest

from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    SessionFactory,
    TrainingActionFactory,
)
from trainings.enums import ActionMode


@pytest.fixture
def contract(delegation, commune):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    return contract


@pytest.fixture
def programme_line(contract):
    return ProgrammeLineFactory(contract=contract)


@pytest.fixture
def action(delegation, programme_line):
    """An intra action under the contract of ``commune`` (the HR contact's collectivité)."""
    return TrainingActionFactory(delegation=delegation, programme_line=programme_line, mode=ActionMode.INTRA)


@pytest.fixture
def session(action, commune):
    return SessionFactory(action=action, venue=commune, capacity=2)
