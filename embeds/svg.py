"""Geometry for the agreement chart (an SVG bar chart drawn by the actor page's template)."""

from embeds.alignment import YearAgreement

CHART_HEIGHT, BAR_WIDTH, BAR_GAP, LEFT, BOTTOM = 120, 28, 12, 36, 18


def agreement_chart(rows: list[YearAgreement]) -> dict:
    """One bar per year, its height the share of votes cast alike (0–100 %)."""
    bars = []
    for index, row in enumerate(rows):
        height = round(row.percent / 100 * CHART_HEIGHT)
        x = LEFT + index * (BAR_WIDTH + BAR_GAP)
        bars.append(
            {
                "x": x,
                "y": CHART_HEIGHT - height,
                "height": height,
                "label_x": x + BAR_WIDTH // 2,
                "row": row,
            }
        )
    return {
        "bars": bars,
        "bar_width": BAR_WIDTH,
        "plot_height": CHART_HEIGHT,
        "axis_y": CHART_HEIGHT,
        "label_y": CHART_HEIGHT + BOTTOM - 4,
        "width": LEFT + max(len(rows), 1) * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT + BOTTOM,
        "left": LEFT,
        "mid_y": CHART_HEIGHT // 2,
    }
