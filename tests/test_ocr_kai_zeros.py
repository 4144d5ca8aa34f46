"""楷体's slashed zero at table size (glyphs drawn in the real face, scanned by synth.scan, cleaned by clean_page): the
stand-in face (WenQuanYi Zen Hei Mono) slashes its zeros, and a zero left slashed reads as 8, 6 or 9."""

from __future__ import annotations

import pytest

from ingest.ocr.glyphs import unslash_zeros
from tests.test_ocr_cells import WQY, _changed_glyphs, _scanned_glyphs

pytestmark = pytest.mark.skipif(not WQY.exists(), reason="CJK fonts for drawing pages")


@pytest.mark.parametrize(("seed", "least"), [(1, 20), (2, 25)])
def test_zeros_whose_counters_sit_one_over_the_other_are_unslashed_by_their_lean(
    seed: int, least: int
) -> None:
    # 楷体 13 pt t3 at 150 dpi, 1-bit (seed 705002): zeros 17–18 px tall whose counters sit almost one
    # over the other kept their slash (6 of 85 on the page) and read as 8, 9 or 6: 12 fields wrong.
    # The same glyphs drawn here (10 pt: 16–18 px): seed 1 erased 14 of 25 before, 20 now; seed 2 22, 25.
    dpi = 150
    gray = _scanned_glyphs(dpi, 10, ["0808080808", "8888888888", "0000000000", "0000000000"], "bilevel", seed)
    before = gray.copy()
    erased = unslash_zeros(gray, dpi)
    row = int(0.5 * dpi)
    assert _changed_glyphs(before, gray, 300 + row - 15, 300 + 2 * row - 15) == 0  # the row of eights
    assert erased >= least
