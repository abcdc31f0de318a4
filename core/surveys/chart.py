"""An accessible inline SVG bar chart of the satisfaction share per month (no script, no CDN)."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD, TOP = 640, 220, 36, 12


def month_chart(
    months: list[dict], *, title: str, description: str, rtl: bool, target: float | None
) -> Markup:
    """``months``: ``[{"period", "share", "suppressed"}…]``; bars of 0–100 %. A suppressed or
    empty month is drawn as an outline with a dash. Right to left when ``rtl``."""
    count = max(len(months), 1)
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - TOP - PAD
    slot = plot_w / count
    bar_w = slot * 0.6
    parts = [
        f'<svg class="surveys-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg" '
        f'style="max-width:100%;height:auto">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<line x1="{PAD}" y1="{TOP + plot_h}" x2="{WIDTH - PAD}" y2="{TOP + plot_h}" stroke="#555"/>',
    ]
    for tick in (0, 50, 100):
        y = TOP + plot_h - plot_h * tick / 100
        x = WIDTH - PAD + 4 if rtl else 4
        parts.append(f'<text x="{x}" y="{y + 4:.1f}" font-size="11" fill="#333">{tick}%</text>')
    if target is not None:
        y = TOP + plot_h - plot_h * target / 100
        parts.append(
            f'<line x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" stroke="#b02a37" '
            f'stroke-dasharray="4 3"/>'
        )
    for index, month in enumerate(months):
        position = count - 1 - index if rtl else index
        x = PAD + position * slot + (slot - bar_w) / 2
        label = escape(month["period"])
        share = month.get("share")
        if month.get("suppressed") or share is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - 4:.1f}" width="{bar_w:.1f}" height="4" '
                f'fill="none" stroke="#888"/>'
            )
            value = "—"
        else:
            h = plot_h * share / 100
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="#198754">'
                f"<title>{label}: {share:.0f}%</title></rect>"
            )
            value = f"{share:.0f}%"
        cx = x + bar_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 14}" font-size="10" text-anchor="middle" fill="#333">{label}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 28}" font-size="10" text-anchor="middle" fill="#333">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
