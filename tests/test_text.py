"""Echoed text (ui.text.literal): shown character for character, never as Markdown or HTML."""

from __future__ import annotations

import re

import pytest

from ui.text import WORD_JOINER, literal

HOSTILE = [
    "[Session expired, log in again](https://evil.example)",
    "![x](http://evil.example/pixel.png)",
    "<img src=x onerror=alert(1)>",
    ":red[**urgent**] :material/warning: $x^2$ ~~gone~~ `code` # Title",
    "see www.evil.example or write to admin@evil.example",
    "line one\n\n- a list\r\n> a quote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_characters_are_escaped_and_reads_the_same(text: str) -> None:
    out = literal(text)
    assert not re.search(r"(?<!\\)[\[\]()!<>:*$`~#@-]", out.replace("\\\\", ""))
    assert "\n" not in out
    assert "\r" not in out
    shown = re.sub(r"\\(.)", r"\1", out).replace(WORD_JOINER, "")
    assert shown == re.sub(r"[\r\n]+", " ", text)


def test_bare_links_are_broken_by_an_invisible_joiner() -> None:
    out = literal("https://evil.example www.evil.example a@b.example")
    assert "://" not in out.replace("\\", "")
    assert f":{WORD_JOINER}" in out
    assert f"www{WORD_JOINER}" in out
    assert f"@{WORD_JOINER}" in out


def test_plain_text_stays_readable() -> None:
    assert literal("Gao 2013") == "Gao 2013"
    assert literal(42) == "42"
