"""The loss plot of a run that blew up: drawn on a log axis, and drawn again on a repaint
(plotext's own log scale took the log of its ticks twice and crashed the chat)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App, ComposeResult

from dldoctor.tui.widgets.loss_plot import LossPlot
from tests.support import write_csv_log


class _PlotApp(App[None]):
    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log_path = log

    def compose(self) -> ComposeResult:
        yield LossPlot([self.log_path], "loss")


async def test_a_blown_up_run_is_plotted_and_repainted(tmp_path: Path) -> None:
    loss = [1.1 * 30.0**i for i in range(20)] + [float("inf")] + [float("nan")] * 5
    log = write_csv_log(tmp_path / "run.csv", {"step": [float(i) for i in range(26)],
                                               "loss": loss})
    app = _PlotApp(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plot = app.query_one(LossPlot)
        assert plot.display  # drawn: finite points on a log axis, the blow-up marked
        for size in ((100, 30), (60, 20), (80, 24)):  # each size repaints the plot
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running and plot.display
        svg = app.export_screenshot()
        shown = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)).replace("&#160;", " ")
    assert "1e0┤" in shown and "1e6┤" in shown  # the axis is labelled in powers of ten
    assert " 10 " in shown and ".5" not in shown and ".0 " not in shown  # whole steps
