"""A store in Redis: one state for a user whichever server process serves them.

For apps run as several Streamlit processes behind a load balancer, where a
reload may land on another process than the one that served the tab
before. Each document is one Redis string whose expiry is the state class's
``Config.ttl`` (or the store's ``default_ttl``), so Redis itself forgets
abandoned tabs.

``redis`` is an optional dependency (``pip install "st-page-state[redis]"``),
imported only when a ``RedisStore`` is built.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from urllib.parse import quote

from .base import Document, Store, StoreError, check_ttl, decode_document, encode_document

DEFAULT_TTL = 30 * 24 * 3600.0
DEFAULT_PREFIX = "st_page_state"

T = TypeVar("T")


def _import_redis() -> Any:
    try:
        import redis
    except ImportError as exc:
        raise ImportError('RedisStore needs the redis client: pip install "st-page-state[redis]"') from exc
    return redis


class RedisStore(Store):
    """Documents as Redis strings under ``<prefix>:<identity>:<namespace>``.

    Args:
        url: A Redis URL (``redis://host:6379/0``, ``rediss://...`` for TLS).
        prefix: Key prefix, so several apps can share one Redis database.
        default_ttl: Seconds a document lives after its last write when the
            state class sets no ``Config.ttl``; None keeps documents forever.
        timeout: Seconds to wait for a connection or a reply. Kept short: a
            store call happens inside a script run, and a Redis that does not
            answer must slow the app down as little as possible.
        client: An existing ``redis.Redis`` to use instead of ``url``.

    The connection is opened on first use, so an app starts (and works,
    session-only) while Redis is down.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        prefix: str = DEFAULT_PREFIX,
        default_ttl: float | None = DEFAULT_TTL,
        timeout: float = 1.0,
        client: Any = None,
    ) -> None:
        check_ttl(default_ttl)
        redis = _import_redis()
        self.url = url
        self.prefix = prefix
        self.default_ttl = default_ttl
        self._errors: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, OSError)
        if client is None:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                # One immediate retry on a fresh connection: after a Redis
                # restart the first command on a pooled connection fails.
                retry=Retry(NoBackoff(), 1),
            )
            self._owns_client = True
        else:
            self._owns_client = False
        self.client = client

    def __repr__(self) -> str:
        return f"RedisStore({self.url!r}, prefix={self.prefix!r})"

    def shared_key(self) -> Hashable | None:
        if not self._owns_client:
            return None
        return ("redis", self.url, self.prefix)

    def key(self, identity: str, namespace: str) -> str:
        """The Redis key of a document; the identity is escaped so no two pairs share a key."""
        return f"{self.prefix}:{quote(identity, safe='')}:{namespace}"

    def _call(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except self._errors as exc:
            raise StoreError(f"Redis store {self.url!r}: {type(exc).__name__}: {exc}") from exc

    def get(self, identity: str, namespace: str) -> Document | None:
        raw = self._call(lambda: self.client.get(self.key(identity, namespace)))
        return None if raw is None else decode_document(raw)

    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        check_ttl(ttl)
        text = encode_document(document)
        lifetime = self.effective_ttl(ttl)
        expiry_ms = None if lifetime is None else max(1, int(lifetime * 1000))
        self._call(lambda: self.client.set(self.key(identity, namespace), text, px=expiry_ms))

    def delete(self, identity: str, namespace: str) -> None:
        self._call(lambda: self.client.delete(self.key(identity, namespace)))

    def close(self) -> None:
        """Release pooled connections (they reopen on the next use)."""
        if self._owns_client:
            self.client.close()
