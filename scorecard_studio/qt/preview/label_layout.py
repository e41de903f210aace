"""End-of-line labels that never overlap: spread apart vertically, as little as needed.

Tiers whose values are close end their lines at almost the same height, so their names
written there would print over each other. :func:`spread` moves the labels apart to at
least one label height, keeping their order and keeping each group of crowded labels
centred on where its lines end; the trend chart then draws a short leader from each
line's end to its moved label. Pure arithmetic on numbers, so it is tested without Qt.
"""

from __future__ import annotations

from collections.abc import Sequence


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions for labels that want to sit at ``wanted``, each at least ``gap`` from the
    next, inside [``low``, ``high``] when they fit there (else centred where they want to be).

    Returned in the order of ``wanted``. Labels that do not crowd stay where they want to
    be; a crowded group is laid out evenly around the mean of its wishes.
    """
    if not wanted:
        return []
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    # Clusters of consecutive labels (by height): [first index in order, size, bottom].
    clusters: list[list[float]] = []
    for rank, i in enumerate(order):
        clusters.append([rank, 1, wanted[i]])
        while len(clusters) > 1:
            below, above = clusters[-2], clusters[-1]
            if below[2] + below[1] * gap <= above[2] + 1e-12:
                break
            size = below[1] + above[1]
            ranks = range(int(below[0]), int(below[0] + size))
            mean = sum(wanted[order[r]] for r in ranks) / size
            clusters[-2:] = [[below[0], size, mean - (size - 1) * gap / 2]]
    positions = [0.0] * len(wanted)
    for first, size, bottom in clusters:
        for k in range(int(size)):
            positions[order[int(first) + k]] = bottom + k * gap
    if (len(wanted) - 1) * gap <= high - low:
        positions = _clamp_stack(positions, order, gap, low, high)
    return positions


def _clamp_stack(
    positions: list[float], order: list[int], gap: float, low: float, high: float
) -> list[float]:
    """Push labels below ``high`` and above ``low`` while keeping the gap between them."""
    out = list(positions)
    for k in range(len(order) - 1, -1, -1):  # from the top down
        limit = high if k == len(order) - 1 else out[order[k + 1]] - gap
        out[order[k]] = min(out[order[k]], limit)
    for k in range(len(order)):  # then from the bottom up
        limit = low if k == 0 else out[order[k - 1]] + gap
        out[order[k]] = max(out[order[k]], limit)
    return out
