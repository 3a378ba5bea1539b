"""What a fifth new user met in the chat: a house-price run's loss plot labelled with
13-column numbers (80072294400.0) that squeezed the curves."""

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


def _shown(app: App[None]) -> str:
    svg = app.export_screenshot()
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)).replace("&#160;", " ")


async def test_large_losses_are_labelled_as_the_reports_write_numbers(tmp_path: Path) -> None:
    loss = [7.2e10 - 1.0e8 * i for i in range(60)]  # MSE on prices in dollars
    log = write_csv_log(tmp_path / "run.csv", {"step": [10.0 * i for i in range(60)],
                                               "loss": loss})
    app = _PlotApp(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(LossPlot).display
        shown = _shown(app)
    assert "7.2e10┤" in shown and "6.61e10┤" in shown, shown
    assert not re.search(r"\d{8}", shown), shown  # no long runs of digits


async def test_small_losses_keep_their_plain_labels(tmp_path: Path) -> None:
    loss = [2.3 - 0.02 * i for i in range(50)]
    log = write_csv_log(tmp_path / "run.csv", {"step": [float(i) for i in range(50)],
                                               "loss": loss})
    app = _PlotApp(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _shown(app)
    assert "2.3┤" in shown and "1.32┤" in shown, shown
