"""Chart colours: lines, bars and map borders keep 3:1 contrast with the white background (WCAG 1.4.11)."""

from __future__ import annotations

import pytest

from layouts.figures import base

WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    "colour", [*base.PALETTE, base.NATIONAL_COLOUR, base.REGION_COLOUR, base.HIGHLIGHT_COLOUR, base.SEQUENTIAL[-1][1]]
)
def test_chart_colours_stand_out_from_the_background(colour):
    assert contrast(colour, WHITE) >= 3.0


def test_the_palette_has_distinct_colours():
    assert len(set(base.PALETTE)) == len(base.PALETTE)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # the classic AA grey
