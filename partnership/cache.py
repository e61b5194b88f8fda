"""A Redis cache that degrades instead of failing when Redis is down.

The cache only holds counters (login throttling, rate limits): losing them for a while is better
than answering every page with an error. Sessions live in the database, not here.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method_name, default=None):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(TolerantRedisCache, self), method_name)(*args, **kwargs)
        except UNAVAILABLE as exc:
            logger.warning("Cache Redis indisponible (%s) : %r", method_name, exc)
            return default() if callable(default) else default

    method.__name__ = method_name
    return method


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            logger.warning("Cache Redis indisponible (get) : %r", exc)
            return default

    set = _tolerant("set")
    add = _tolerant("add", default=False)
    delete = _tolerant("delete", default=False)
    touch = _tolerant("touch", default=False)
    get_many = _tolerant("get_many", default=dict)
    set_many = _tolerant("set_many", default=list)
    delete_many = _tolerant("delete_many")
    has_key = _tolerant("has_key", default=False)
    clear = _tolerant("clear")

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            logger.warning("Cache Redis indisponible (incr) : %r", exc)
            return 0
