"""Every template works under the Content-Security-Policy: no inline code or styles."""

from __future__ import annotations

import re
from pathlib import Path

import liaison

TEMPLATES = sorted(Path(liaison.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
HTMX_EVAL = re.compile(r"\shx-on[:-]|\bjs:|\bjavascript:", re.I)


def offences() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for name, pattern in [
            ("inline script", INLINE_SCRIPT),
            ("event handler attribute", EVENT_HANDLER),
            ("inline style", STYLE),
            ("htmx code in an attribute", HTMX_EVAL),
        ]:
            if pattern.search(text):
                found.setdefault(str(path.relative_to(Path(liaison.__file__).parent)), []).append(
                    name
                )
    return found


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 5


def test_no_template_has_inline_scripts_styles_or_event_handlers() -> None:
    # The policy would block them in the browser: move the code to a static file.
    assert offences() == {}
