"""Charts drawn on the server as SVG: no script, no CDN, readable with JavaScript off and in a print.

One chart kind: stacked bars per year. A series the report does not state (null) draws no bar and the
year's label says "—" instead of zero, so a gap is never shown as a count of 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ("#1e88e5", "#43a047", "#e53935", "#fb8c00", "#8e24aa", "#6d4c41", "#00897b", "#546e7a")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 520, 230, 44, 28, 26


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: dict[int, float | None]  # year → value (None: not stated)


def stacked_bars(chart_id: str, title: str, years: list[int], series: list[Series]) -> Markup:
    """Bars per year, one segment per series, with a legend and the year's total above its bar."""
    totals = {y: sum(v for s in series if (v := s.values.get(y)) is not None) for y in years}
    known = {y: any(s.values.get(y) is not None for s in series) for y in years}
    top = max([*totals.values(), 1])
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) / max(len(years), 1)
    legend_h = 14 * -(-len(series) // 3) + 6
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT + legend_h}" '
        f'width="{WIDTH}" height="{HEIGHT + legend_h}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{WIDTH / 2}" y="11" font-size="12" font-weight="bold" text-anchor="middle">{escape(title)}</text>',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 4}" y2="{HEIGHT - BOTTOM}" stroke="#999"/>',
        f'<text x="4" y="{TOP + 8}" font-size="11" fill="#666">{_fmt(top)}</text>',
    ]
    for i, year in enumerate(years):
        x = LEFT + i * slot + slot * 0.2
        bar_w = slot * 0.6
        y = HEIGHT - BOTTOM
        for k, s in enumerate(series):
            value = s.values.get(year)
            if not value:
                continue
            h = int(plot_h * value / top)
            y -= h
            parts.append(
                f'<rect class="bar" data-year="{year}" data-series="{escape(s.label)}" data-value="{_fmt(value)}" '
                f'x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                f"<title>{year} {escape(s.label)}: {_fmt(value)}</title></rect>"
            )
        label = _fmt(totals[year]) if known[year] else "—"
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">{label}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 15}" font-size="11" '
            f'text-anchor="middle">{year}</text>'
        )
    for k, s in enumerate(series):
        lx = 8 + (k % 3) * 170
        ly = HEIGHT + 4 + (k // 3) * 14
        parts.append(
            f'<rect x="{lx}" y="{ly - 8}" width="9" height="9" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{lx + 12}" y="{ly}" font-size="11">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
