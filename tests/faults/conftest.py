"""Shared pieces of the fault tests: a private Redis wired in as broker and cache."""

import pytest
from django.core.cache import caches

from partnership.celery import app
from tests.faults.redis_server import RedisServer


def reconnect(app) -> None:
    """Forget the connections and producers made for the previous broker URL (tests change it at run time)."""
    app.close()
    app.amqp._producer_pool = None


@pytest.fixture
def redis_broker(settings):
    """The app wired to a private Redis (broker and cache), as in production, with tasks not eager."""
    server = RedisServer()
    server.start()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {
            "BACKEND": "partnership.cache.TolerantRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    caches._settings = None  # rebuild the cache handler from the new settings
    app.conf.broker_url = server.url
    app.conf.task_always_eager = False
    reconnect(app)
    yield server
    server.stop()
    app.conf.broker_url, app.conf.task_always_eager = previous
    reconnect(app)
    caches._settings = None
