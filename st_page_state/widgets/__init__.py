"""Widgets bound to fields: the rules and the data, below the session.

``links.py`` says which widget shows which field; ``values.py`` holds the
pure rules for value shapes and options; ``ranges.py`` what ``bind()`` adds
to a widget call and what a widget can show; ``call_site.py`` reads the
widget call ``bind()`` is spread into; ``sync.py`` keeps widgets and fields
in step, the widget side of each step. The entry points that drive the
session from a widget sit above it: ``binding.py`` (``PageState.bind``)
and ``widget_fallbacks.py`` (a value a widget cannot show).
"""
