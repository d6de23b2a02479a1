import pytest

from tests.timescales import fake_events


@pytest.fixture(autouse=True)
def process_events(settings):
    """Every timescales test reads its process events from the fake, starting empty."""
    settings.THREEFOLD_PROCESS_EVENTS = fake_events.PATH
    fake_events.EVENTS.clear()
    yield fake_events
    fake_events.EVENTS.clear()
