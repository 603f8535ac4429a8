"""Widgets bound to fields.

``bind.py`` builds the kwargs of ``PageState.bind``; ``links.py`` says which
widget shows which field; ``values.py`` holds the pure rules for value
shapes and options; ``sync.py`` keeps widgets and fields in step.
"""
