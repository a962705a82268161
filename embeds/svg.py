"""Geometry for the agreement chart (an SVG bar chart drawn by the actor page's template)."""

from events.alignment import YearAgreement

# SVG user units: the plot is PLOT high, with room above for values and below for years.
PLOT, TOP, BOTTOM, LEFT, BAR_WIDTH, BAR_GAP = 120, 14, 18, 36, 32, 14


def agreement_chart(rows: list[YearAgreement]) -> dict:
    """One bar per year, its height the share of votes cast alike (0–100 %)."""
    bars = []
    for index, row in enumerate(rows):
        height = round(row.percent / 100 * PLOT)
        x = LEFT + index * (BAR_WIDTH + BAR_GAP)
        bars.append(
            {
                "x": x,
                "y": TOP + PLOT - height,
                "height": height,
                "label_x": x + BAR_WIDTH // 2,
                "value_y": TOP + PLOT - height - 3,
                "row": row,
            }
        )
    return {
        "bars": bars,
        "bar_width": BAR_WIDTH,
        "axis_y": TOP + PLOT,
        "top_y": TOP + 4,
        "mid_y": TOP + PLOT // 2 + 4,
        "mid_line": TOP + PLOT // 2,
        "label_y": TOP + PLOT + BOTTOM - 4,
        "width": LEFT + max(len(rows), 1) * (BAR_WIDTH + BAR_GAP),
        "height": TOP + PLOT + BOTTOM,
        "left": LEFT,
    }
