"""geo.grid.cell_centres_wgs84: the vectorised cell centres equal the one-by-one ones."""

import numpy as np
import pytest

from geo.grid import cell_centre_wgs84, cell_centres_wgs84


@pytest.mark.parametrize("size", [100, 200, 1600])
def test_cell_centres_equal_cell_centre_for_every_cell(size):
    ixs = np.array([930, 931, 935, 58])
    iys = np.array([4630, 4631, 4640, 290])
    lats, lons = cell_centres_wgs84(ixs, iys, size_m=size)
    expected = [
        cell_centre_wgs84(int(x), int(y), size_m=size) for x, y in zip(ixs, iys, strict=True)
    ]
    assert list(zip(lats.tolist(), lons.tolist(), strict=True)) == expected


def test_cell_centres_of_no_cells_are_empty():
    lats, lons = cell_centres_wgs84(np.array([], dtype=int), np.array([], dtype=int))
    assert (lats.size, lons.size) == (0, 0)
