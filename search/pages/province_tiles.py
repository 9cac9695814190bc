"""Where each province's tile goes on a country's tile map: plain data, one grid per country.

A tile map draws every province as an equal square, placed roughly where the province lies
(north up), so a small province with many reports shows as plainly as a large one. The grids are
laid out by hand from the provinces' rough positions; neighbours stay neighbours where the grid
allows. No boundary dataset is used: none with a clear licence that holds the region's
provinces installs from PyPI or Debian.

Each grid is drawn as text, one line per row of tiles from the north, west to east: a cell holds
the part of the province's ISO 3166-2 code after the country's ("18" for KH-18), "." a cell
without a province. TILES reads them into {code: (row, column)}, both counted from 0:

    TILES["KH"]["KH-12"] == (3, 2)
"""

from __future__ import annotations

GRIDS: dict[str, str] = {
    # Cambodia: the 24 provinces and Phnom Penh (KH-12).
    "KH": """
         .  1 22 13 19 16
        24  2 17  6 10 11
         . 15  4  3 25  .
         9  5 12  8 14 20
        18  7 23 21  .  .
""",
    # Thailand: 76 provinces, Bangkok (TH-10) and Pattaya (TH-S).
    "TH": """
         .  . 57  .  .  .  .  .  .
        58 50 56 55  .  .  .  .  .
         . 51 52 54  .  .  . 43 38
        63 64 53  . 42 39 41 47 48
        62 65 66 67 36 40 46 49  .
        61 60 18 16 30 44 45 35 37
        71 72 17 19 31 32 33 34  .
        70 73 15 14 26 25 27  .  .
        76 74 12 13 24  .  .  .  .
        77 75 10 11 20 22  .  .  .
        85 86  .  .  S 21 23  .  .
        82 84  .  .  .  .  .  .  .
        83 81 80  .  .  .  .  .  .
         . 92 93  .  .  .  .  .  .
         . 91 90 94  .  .  .  .  .
         .  .  . 95 96  .  .  .  .
""",
    # Vietnam: 58 provinces and 5 municipalities, as ISO 3166-2 (pycountry) lists them.
    "VN": """
        01 02 03 04  .  .
        71 06 07 53 09  .
        05 68 70 69 54 13
         . 14 HN 56 61 HP
         .  . 63 66 20  .
         . 21 18 67  .  .
         . 22  .  .  .  .
         .  . 23  .  .  .
         .  .  . 24  .  .
         .  .  . 25  .  .
         .  .  .  . 26  .
         .  .  .  . 27 DN
         .  .  .  . 28 29
         .  .  .  . 30 31
         .  .  .  . 33 32
         .  .  . 72 35 34
         . 37 58 39 40 36
        44 41 57 43  .  .
        47 45 SG 46  .  .
         . CT 49 50  .  .
         . 73 52 51  .  .
        59 55  .  .  .  .
""",
    # Laos: 17 provinces and Vientiane Capital (LA-VT).
    "LA": """
         .  . PH  .  .
        BK LM OU HO  .
        XA LP XI  .  .
         . VI XS BL  .
         . VT  . KH  .
         .  .  . SV  .
         .  .  . SL XE
         .  .  . CH AT
""",
    # Myanmar: 7 states, 7 regions and Nay Pyi Taw (MM-18).
    "MM": """
         .  . 11  .
        14 01 04 17
        16 03 18 12
         . 07 02 13
         .  . 06 15
         .  .  . 05
""",
}


def read_grid(country: str, grid: str) -> dict[str, tuple[int, int]]:
    """Return {ISO 3166-2 code: (row, column)} for a grid drawn as text."""
    tiles: dict[str, tuple[int, int]] = {}
    for row, line in enumerate(grid.strip("\n").splitlines()):
        for column, cell in enumerate(line.split()):
            if cell == ".":
                continue
            code = f"{country}-{cell}"
            if code in tiles:
                raise ValueError(f"{code} is drawn twice on {country}'s tile map; draw it once.")
            tiles[code] = (row, column)
    return tiles


TILES: dict[str, dict[str, tuple[int, int]]] = {
    country: read_grid(country, grid) for country, grid in GRIDS.items()
}
