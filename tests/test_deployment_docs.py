"""README's Deployment section shows the nginx configuration the browser test runs, unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from tests.nginx_server import SITE, site_config

README = Path(__file__).resolve().parents[1] / "README.md"


def deployment_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Deployment\n(.*?)^## ", text, flags=re.M | re.S)
    assert match, "README has no ## Deployment section"
    return match.group(1)


def test_readme_shows_the_tested_nginx_configuration() -> None:
    blocks = re.findall(r"^```nginx\n(.*?)^```$", deployment_section(), flags=re.M | re.S)
    assert blocks == [SITE.read_text(encoding="utf-8")]


def test_the_test_changes_only_the_addresses() -> None:
    original = SITE.read_text(encoding="utf-8").splitlines()
    tested = site_config("127.0.0.2", 4000, [4001, 4002]).splitlines()
    changed = [(a.strip(), b.strip()) for a, b in zip(original, tested, strict=True) if a != b]
    assert changed == [
        ("server 127.0.0.1:8501;", "server 127.0.0.1:4001;"),
        ("server 127.0.0.1:8502;", "server 127.0.0.1:4002;"),
        ("listen 80;", "listen 127.0.0.2:4000;"),
    ]
