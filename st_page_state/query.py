"""A query string as an ordered mapping of param -> texts (repeated keys kept)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode


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
        """The query string without ``?``, encoded the way Streamlit encodes it."""
        return urlencode([(k, v) for k, texts in self.items() for v in texts])

    def copy(self) -> Query:
        return Query((k, list(v)) for k, v in self.items())
