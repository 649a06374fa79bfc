"""The shared visible-text rule behind every title (catalog_app.titles)."""
from __future__ import annotations

import pytest

from catalog_app.titles import has_visible_text, visible_text


@pytest.mark.parametrize("value", ["", None, "   ", "\t\n", "\u3000", "\u00a0", "\u200b", "\u200c\u200d",
                                   "\ufeff", "\u2060", "\u200e\u200f", "\u202a\u202c", "\u2028\u2029", "\x00\x07"])
def test_blank_and_invisible_values_have_no_visible_text(value):
    assert not has_visible_text(value)


@pytest.mark.parametrize("value, visible", [("视觉检测", "视觉检测"), ("\u200b视觉\u200b", "视觉"),
                                            (" A B ", "AB"), ("·", "·"), ("0", "0")])
def test_visible_characters_count(value, visible):
    assert has_visible_text(value) and visible_text(value) == visible
