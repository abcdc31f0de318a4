"""Accessible inline SVG bar charts drawn on the server (no script, no CDN): planned against
actual per month or per department, right to left in Arabic."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..i18n import gettext as _
from ..i18n import text_direction
from .services.budget import by_department, by_month

WIDTH, HEIGHT, PAD, TOP, BOTTOM = 640, 240, 40, 14, 44
PLANNED, ACTUAL = "#9ec5fe", "#198754"


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 1_000:
        return f"{value / 1_000:.0f}K"
    return f"{value:.0f}"


def bars(
    groups: list[tuple[str, float, float]], *, chart_id: str, title: str, description: str, legend: tuple[str, str],
    rtl: bool,
) -> Markup:  # fmt: skip
    """``groups``: ``[(label, planned, actual)]``; two bars per group, the first planned."""
    count = max(len(groups), 1)
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - TOP - BOTTOM
    top = max([max(p, a) for _l, p, a in groups] + [1])
    slot = plot_w / count
    bar_w = slot * 0.35
    parts = [
        f'<svg id="{chart_id}" class="planning-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'style="max-width:100%;height:auto">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{PAD}" y1="{TOP + plot_h}" x2="{WIDTH - PAD}" y2="{TOP + plot_h}" stroke="#555"/>',
        f'<text x="{WIDTH - PAD if rtl else PAD}" y="{TOP - 2}" font-size="10" fill="#333" '
        f'text-anchor="{"end" if rtl else "start"}">{_short(top)}</text>',
    ]
    for index, (label, planned, actual) in enumerate(groups):
        position = count - 1 - index if rtl else index
        x0 = PAD + position * slot + (slot - 2 * bar_w) / 2
        first, second = (x0 + bar_w, x0) if rtl else (x0, x0 + bar_w)
        for x, value, colour in ((first, planned, PLANNED), (second, actual, ACTUAL)):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(label)}: {_short(value)}</title></rect>"
            )
        cx = x0 + bar_w
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 14}" font-size="10" text-anchor="middle" fill="#333">'
            f"{escape(label[:14])}</text>"
        )
    lx = WIDTH - PAD - 10 if rtl else PAD
    for offset, (name, colour) in enumerate(zip(legend, (PLANNED, ACTUAL), strict=True)):
        y = HEIGHT - 14
        x = lx - offset * 90 if rtl else lx + offset * 90
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        # Right to left, a text's start is its right end: the words go left of their swatch.
        tx = x - 4 if rtl else x + 14
        parts.append(f'<text x="{tx}" y="{y}" font-size="11" fill="#333">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def plan_charts(figures) -> dict:
    """The page's two charts (budget per month and per department) and their tables' rows."""
    rtl = text_direction() == "rtl"
    legend = (_("Planned"), _("Spent"))
    months = by_month(figures)
    departments = by_department(figures)[:8]
    return {
        "month": bars([(str(r["month"]), r["planned"] / 100, r["spent"] / 100) for r in months], chart_id="chart-month",
                      title=_("Budget planned and spent per month (SAR)"),
                      description=_("Two bars per month: the planned cost and the amount spent."), legend=legend, rtl=rtl),
        "department": bars([(r["department"] or _("No department"), r["planned"] / 100, r["spent"] / 100)
                            for r in departments], chart_id="chart-department",
                           title=_("Budget planned and spent per department (SAR)"),
                           description=_("Two bars per department: the planned cost and the amount spent."),
                           legend=legend, rtl=rtl),
        "months": months,
        "departments": by_department(figures),
    }  # fmt: skip
