"""Characters a text layer names in place of the ones printed: radicals for the ideographs they share a
glyph with. Used by every reader of text that may come from a PDF (the PDF reader, and text or Markdown a
crawler or pdftotext made from one)."""

from __future__ import annotations

import re
import unicodedata

# Radicals a font's glyph is mapped to instead of the character it prints. CJK fonts draw 长 and the
# radical ⻓ (U+2ED3) with one glyph, and a PDF's ToUnicode map may name either: Chromium printing Noto
# Sans CJK gave 株洲市⻓安区 for 株洲市长安区, read as an agency and marked ok. Kangxi radicals
# (U+2F00–U+2FD5) and compatibility ideographs (U+F900–U+FAFF) fold by NFKC; the radicals supplement has
# no decomposition, hence this table (each radical's Unicode name names its ideograph).
_RADICALS = str.maketrans(
    dict(
        zip(
            "⺁⺇⺌⺍⺕⺗⺜⺝⺟⺠⺡⺣⺤⺦⺧⺨⺩⺪⺬⺭⺯⺰⺲⺷⺹⺺⺻⺼⺾⻁⻂⻃⻄⻅⻆⻈⻉⻋⻌⻍⻎⻏⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
            "厂几小小彐心日月母民氵灬爫丬牛犭王疋示礻糹纟罒羊耂肀聿月艹虎衤覀西见角讠贝车辶辶辶阝長镸长门阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟",
            strict=True,
        )
    )
)
_FOLDED_BY_NFKC = re.compile("[\u2f00-\u2fd5\uf900-\ufaff]")


def fold_radicals(text: str) -> str:
    """A radical or compatibility ideograph in a text layer as the ideograph it prints."""
    text = text.translate(_RADICALS)
    return _FOLDED_BY_NFKC.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
