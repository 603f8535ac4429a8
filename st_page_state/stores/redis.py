"""A store in Redis: one state for a user whichever server process serves them.

For apps run as several Streamlit processes behind a load balancer, where a
reload may land on another process than the one that served the tab
before. Each document is one Redis string whose expiry is the state class's
``Config.ttl`` (or the store's ``default_ttl``), so Redis itself forgets
abandoned tabs.

``redis`` is an optional dependency (``pip install "st-page-state[redis]"``),
imported only when a ``RedisStore`` is built.

The budget (``max_documents``) keeps two sorted sets next to the documents,
``<prefix>~written`` (every document key, by the time it was last written)
and ``<prefix>~provisional`` (the provisional ones); one Lua script writes
a batch of documents and evicts what must go, atomically, in one round
trip. Documents written by an earlier version are not in the sets: they
count for nothing and expire by their own TTL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..log import shorten
from .base import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_PROTECT_SECONDS,
    DURABLE_TTL,
    PROVISIONAL_TTL,
    BadDocumentError,
    BatchStore,
    Document,
    EncodedWrite,
    StoreError,
    StoreTimeoutError,
    check_budget,
    check_positive_int,
    check_ttl,
    decode_document,
    resolve_deadline,
)

DEFAULT_TTL = DURABLE_TTL
DEFAULT_PREFIX = "st_page_state"

WRITE_SCRIPT = """
local written, provisional = KEYS[1], KEYS[2]
local now, budget, protect = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local answers = {}
for i = 3, #KEYS do
  local key, at = KEYS[i], 3 + (i - 3) * 3
  local text, expiry, temporary = ARGV[at + 1], tonumber(ARGV[at + 2]), ARGV[at + 3] == "1"
  local room = budget == 0 or redis.call("ZSCORE", written, key) ~= false
  local count = room and 0 or redis.call("ZCARD", written)
  while not room do
    if count < budget then room = true break end
    local victim = redis.call("ZRANGE", provisional, 0, 0)[1]
    if not victim then victim = redis.call("ZRANGEBYSCORE", written, "-inf", now - protect, "LIMIT", 0, 1)[1] end
    if not victim then break end
    redis.call("DEL", victim)
    redis.call("ZREM", written, victim)
    redis.call("ZREM", provisional, victim)
    count = count - 1
  end
  if room then
    if expiry > 0 then redis.call("SET", key, text, "PX", expiry) else redis.call("SET", key, text) end
    if budget > 0 then
      redis.call("ZADD", written, now, key)
      if temporary then redis.call("ZADD", provisional, now, key) else redis.call("ZREM", provisional, key) end
    end
  end
  answers[#answers + 1] = room and 1 or 0
end
return answers
"""
"""Write a batch of documents within the budget: per document 1 (written) or 0 (refused: no room)."""

T = TypeVar("T")


def _import_redis() -> Any:
    try:
        import redis
    except ImportError as exc:
        raise ImportError('RedisStore needs the redis client: pip install "st-page-state[redis]"') from exc
    return redis


def redact_url(url: str) -> str:
    """``url`` with its password (in the user part or the query) replaced by ``***``, for logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable url>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0] if ":" in userinfo else ""
        netloc = f"{user}:***@{host}" if user else f"***@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if "pass" in k.lower() or "token" in k.lower() else v) for k, v in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class RedisStore(BatchStore):
    """Documents as Redis strings under ``<prefix>:<identity>:<namespace>``.

    Args:
        url: A Redis URL (``redis://host:6379/0``, ``rediss://...`` for TLS).
        prefix: Key prefix, so several apps can share one Redis database.
        default_ttl: Seconds a document lives after its last write when the
            state class sets no ``Config.ttl``; None keeps documents forever.
        deadline: Seconds to wait for a connection and for a reply (0.5).
            Kept short: a store call happens inside a script run, and a
            Redis that does not answer must slow the app down as little as
            possible. A call is retried once, at once, only when the
            connection was refused or reset (a pooled connection after a
            Redis restart), never after a timeout.
        timeout: The older name of ``deadline`` (give one or the other).
        max_document_bytes: Largest document, as compact JSON (64 KiB);
            larger ones are refused when written; when read, at most this
            many bytes (+1) are fetched and a longer value is dropped
            (:class:`BadDocumentError`).
        client: An existing ``redis.Redis`` to use instead of ``url``; its
            own timeouts apply (the guard still stops waiting after
            ``deadline``).
        max_documents: The budget: most documents kept (100,000; None: no
            limit and no index). A new document past it evicts provisional
            documents (oldest first), then documents written more than
            ``protect_seconds`` ago; when none is left it is refused
            (:class:`StoreFullError`: its session keeps the state). With
            Redis Cluster, give the prefix a hash tag (``prefix="{app}"``)
            so the documents and the index share one slot.
        protect_seconds: A document written within this many seconds is
            never evicted for another (30 minutes).
        provisional_ttl: Longest life of a provisional document (10
            minutes): a page that only loaded, never the work of a person.

    The connection is opened on first use, so an app starts (and works,
    session-only) while Redis is down. A key that holds something else than
    a document (not JSON, not an object, too large, another Redis type) is
    bad data for that key only (:class:`BadDocumentError`), not an outage;
    an empty string reads as missing. The URL's password never appears in
    ``repr`` or error messages.
    """

    deadline: float

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        prefix: str = DEFAULT_PREFIX,
        default_ttl: float | None = DEFAULT_TTL,
        deadline: float | None = None,
        timeout: float | None = None,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        client: Any = None,
        max_documents: int | None = DEFAULT_MAX_DOCUMENTS,
        protect_seconds: float = DEFAULT_PROTECT_SECONDS,
        provisional_ttl: float = PROVISIONAL_TTL,
    ) -> None:
        check_ttl(default_ttl)
        check_budget(max_documents, protect_seconds, provisional_ttl)
        self.max_documents = max_documents
        self.protect_seconds = float(protect_seconds)
        self.provisional_ttl = float(provisional_ttl)
        redis = _import_redis()
        self.url = url
        self.prefix = prefix
        self.default_ttl = default_ttl
        self.deadline = resolve_deadline(deadline, timeout)
        self.max_document_bytes = check_positive_int("max_document_bytes", max_document_bytes)
        self._shown_url = redact_url(url)
        self._errors: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, OSError)
        self._timeouts: tuple[type[BaseException], ...] = (redis.exceptions.TimeoutError, TimeoutError)
        self._response_error: type[BaseException] = redis.exceptions.ResponseError
        if client is None:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=self.deadline,
                socket_timeout=self.deadline,
                # One immediate retry on a fresh connection: after a Redis
                # restart the first command on a pooled connection fails.
                # Never after a timeout: that would double the wait.
                retry=Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)),
            )
            self._owns_client = True
        else:
            self._owns_client = False
        self.client = client
        self._write_script = client.register_script(WRITE_SCRIPT)

    @property
    def timeout(self) -> float:
        """The older name of :attr:`deadline`."""
        return self.deadline

    def __repr__(self) -> str:
        return f"RedisStore({self._shown_url!r}, prefix={self.prefix!r})"

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
            cls = StoreTimeoutError if isinstance(exc, self._timeouts) else StoreError
            raise cls(f"Redis store {self._shown_url!r}: {type(exc).__name__}: {shorten(exc)}") from exc

    def get(self, identity: str, namespace: str) -> Document | None:
        key = self.key(identity, namespace)
        limit = self.max_document_bytes
        try:
            # At most limit + 1 bytes come over the wire: enough to tell "too large".
            raw = self._call(lambda: self.client.getrange(key, 0, limit))
        except StoreError as exc:
            cause = exc.__cause__
            if isinstance(cause, self._response_error) and str(cause).startswith("WRONGTYPE"):
                raise BadDocumentError(f"the Redis key {shorten(key)!r} holds another type than a string") from cause
            raise
        except UnicodeDecodeError as exc:  # a client made with decode_responses=True
            raise BadDocumentError(f"the Redis key {shorten(key)!r} is not UTF-8 text") from exc
        if not raw:
            return None  # missing (an empty string is never a document: it reads as missing too)
        if len(raw) > limit:
            raise BadDocumentError(f"the Redis key {shorten(key)!r} is over the size limit of {limit} bytes")
        return decode_document(raw, limit)

    def write_batch(self, writes: list[EncodedWrite]) -> list[int]:
        """Every document in one round trip (a Lua script, within the budget)."""
        keys = [self.key(w.identity, w.namespace) for w in writes]
        args: list[str | int] = []
        for w in writes:
            args += [w.text, 0 if w.lifetime is None else max(1, int(w.lifetime * 1000)), int(w.provisional)]
        budget = [int(time.time() * 1000), self.max_documents or 0, int(self.protect_seconds * 1000)]
        index = [f"{self.prefix}~written", f"{self.prefix}~provisional"]
        answers = self._call(lambda: self._write_script(keys=index + keys, args=budget + args))
        return [w.position for w, stored in zip(writes, answers, strict=True) if not int(stored)]

    def describe(self) -> str:
        return f"Redis store {self._shown_url!r}"

    def delete(self, identity: str, namespace: str) -> None:
        key = self.key(identity, namespace)

        def remove() -> None:
            pipe = self.client.pipeline(transaction=False)
            pipe.delete(key)
            pipe.zrem(f"{self.prefix}~written", key)
            pipe.zrem(f"{self.prefix}~provisional", key)
            pipe.execute()

        self._call(remove)

    def close(self) -> None:
        """Release pooled connections (they reopen on the next use)."""
        if self._owns_client:
            self.client.close()
