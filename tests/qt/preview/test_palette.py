"""Chart colours: heat-map mapping, and RAG colours that survive colour-vision deficiency."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from scorecard_studio.qt.preview import palette as pl

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _simulate(colour: str, matrix: list[list[float]]) -> np.ndarray:
    srgb = np.array(pl.rgb(colour)) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    out = np.clip(np.array(matrix) @ linear, 0, 1)
    back: np.ndarray = np.where(out <= 0.0031308, out * 12.92, 1.055 * out ** (1 / 2.4) - 0.055)
    return back * 255


@pytest.mark.parametrize("pal", [pl.LIGHT, pl.DARK], ids=["light", "dark"])
@pytest.mark.parametrize("kind", sorted(CVD))
def test_rag_colours_stay_apart_under_colour_vision_deficiency(pal: pl.Palette, kind: str) -> None:
    colours = [pal.status[pl.RED], pal.status[pl.AMBER], pal.status[pl.GREEN]]
    simulated = [_simulate(c, CVD[kind]) for c in colours]
    for a, b in itertools.combinations(simulated, 2):
        assert np.linalg.norm(a - b) > 60, (kind, a, b)


def test_every_status_has_its_own_shape() -> None:
    # no data, red, amber, green and insufficient data
    assert len(set(pl.STATUS_SYMBOLS.values())) == 5
    assert len(set(pl.STATUS_MARKS.values())) == 5


def test_all_customers_is_neutral_and_tiers_are_distinct() -> None:
    for pal in (pl.LIGHT, pl.DARK):
        assert len(set(pal.tiers)) == len(pal.tiers)
        assert pal.tier_colour(4, 4) == pal.all_customers
        assert pal.tier_colour(1, 4) == pal.tiers[1]
        assert pal.all_customers not in pal.tiers


def test_heat_colours_turn_at_the_scorecards_thresholds() -> None:
    pal = pl.LIGHT
    score = np.array([[0.0, 0.7, 1.0, np.nan]])
    no_data = np.isnan(score)
    rgba = pl.heat_rgba(score, no_data, pal, amber=0.7, green=1.0, cap=1.0)
    assert rgba.shape == (1, 4, 4)
    assert tuple(rgba[0, 0, :3]) == pl.rgb(pal.heat_stops[0])
    assert np.abs(rgba[0, 1, :3].astype(int) - pl.rgb(pal.heat_stops[1])).max() <= 4
    assert tuple(rgba[0, 2, :3]) == pl.rgb(pal.heat_stops[2])
    assert tuple(rgba[0, 3]) == (*pl.rgb(pal.no_data_fill), 255)


def test_a_raised_cap_extends_the_scale_past_green() -> None:
    lut = pl.heat_lut(pl.DARK, amber=0.7, green=1.0, cap=1.5)
    assert tuple(lut[-1, :3]) == pl.rgb(pl.DARK.heat_stops[3])
    at_green = lut[round(1.0 / 1.5 * 255), :3].astype(int)
    assert np.abs(at_green - pl.rgb(pl.DARK.heat_stops[2])).max() <= 4
