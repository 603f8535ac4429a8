"""Reproducible measurements of st-page-state against hand-written code and native binding (see README.md)."""
