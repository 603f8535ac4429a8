"""A query string as an ordered mapping of param -> texts (repeated keys kept)."""

from __future__ import annotations

import re
from operator import itemgetter
from urllib.parse import parse_qsl, quote_plus

_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")
"""Text that ``quote_plus`` leaves as it is."""
_PLAIN_QUERY = re.compile(r"[A-Za-z0-9_.~=&-]*")
"""A query string of such texts (its ``=`` and ``&`` counted apart: they must all be separators)."""


def _quote(text: str) -> str:
    return text if _PLAIN.fullmatch(text) else quote_plus(text)


class Query(dict[str, list[str]]):
    """Ordered ``{param: [text, ...]}``; equality ignores param order but not value order."""

    source: dict[str, object] | None = None
    """The raw form it was read from (``_streamlit.read_query``), to recognise an unchanged URL cheaply."""

    @classmethod
    def parse(cls, text: str) -> Query:
        """Parse ``a=1&tag=x&tag=y`` (a leading ``?`` is allowed)."""
        query = cls()
        for key, value in parse_qsl(text.lstrip("?"), keep_blank_values=True):
            query.setdefault(key, []).append(value)
        return query

    def encode(self) -> str:
        """The query string without ``?``, encoded as Streamlit (``urlencode``) encodes it, faster.

        The common query (one text per param, nothing to escape) is joined
        and checked whole, in C: a state with 1000 params in the URL encodes
        it after every change.
        """
        if self and min(map(len, self.values())) == 1 == max(map(len, self.values())):
            text = "&".join(map("=".join, zip(self.keys(), map(itemgetter(0), self.values()), strict=True)))
            if text.count("=") == len(self) and text.count("&") == len(self) - 1 and _PLAIN_QUERY.fullmatch(text):
                return text
        return "&".join(f"{_quote(k)}={_quote(v)}" for k, texts in self.items() for v in texts)

    def fingerprint(self) -> int:
        """Equal for equal queries (param order ignored, value order kept), in a few bytes.

        What a session keeps of each recent URL write, to recognise the
        frontend's echo of it: keeping the queries themselves cost a dict of
        every param per write (32 writes of a 200-param URL: about 600 KiB
        per session). Hashes of strings differ between processes, so a
        fingerprint is only compared within one.
        """
        return hash(frozenset(zip(self.keys(), map(tuple, self.values()), strict=True)))

    def copy(self) -> Query:
        return Query((k, list(v)) for k, v in self.items())
