"""Server-rendered SVG charts: no JavaScript, no CDN, readable by screen readers.

Each chart is a stacked bar chart; the page shows the same numbers in a table next to it, which
is the chart's text alternative.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Colours chosen to be distinguishable for the common colour-vision deficiencies.
KIND_COLOURS = {"sign": "#0072b2", "email": "#e69f00", "call": "#009e73", "share": "#cc79a7"}


def _nice_ceiling(value: int) -> int:
    if value <= 4:
        return 4  # whole-number gridlines for the first few actions
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        ceiling = int(step * magnitude)
        if ceiling >= value:
            return ceiling
    return value


def stacked_bars_svg(
    *, title: str, labels: list[str], series: dict[str, list[int]], width: int = 760, height: int = 240
) -> str:
    """A stacked bar chart: one bar per label, one coloured segment per series."""
    left, right, top, bottom = 56, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    ceiling = _nice_ceiling(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    bar_w = max(slot * 0.75, 1)
    label_every = max(1, round(len(labels) / 12))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="report-chart" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for step in range(5):
        # Gridlines sit at exact quarters of the ceiling, so their labels must not be rounded
        # (a ceiling of 5 once drew "2" at the height of 2.5 and made every bar look too tall).
        value = f"{ceiling * step / 4:,.2f}".rstrip("0").rstrip(".")
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{value}</text>'
        )
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        base = top + plot_h
        for kind, values in series.items():
            value = values[i]
            if not value:
                continue
            h = plot_h * value / ceiling
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{KIND_COLOURS.get(kind, "#555")}"><title>{escape(label)} {escape(kind)}: {value:,}</title></rect>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                f'fill="#333">{escape(label)}</text>'
            )
    legend_x = left
    for kind in series:
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{KIND_COLOURS.get(kind, "#555")}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}" font-size="11" fill="#333">{escape(kind)}</text>'
        )
        legend_x += 70
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every interpolated text is escaped above
