"""The loss curves of the attached metrics logs, drawn with plotext."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from textual import work
from textual.message import Message
from textual_plotext import PlotextPlot

from ..curves import Curve, load_curves, loss_axis

__all__ = ["LossPlot"]


def _short(value: float) -> str:
    """Three significant digits as the reports write them: 7.2e10, 1230, 2.3, 4e-4."""
    magnitude = abs(value)
    if value == 0:
        return "0"
    if magnitude >= 1e5 or magnitude < 1e-3:
        mantissa, _, exponent = f"{value:.3g}".partition("e")
        return f"{mantissa}e{int(exponent)}"
    if magnitude >= 100:
        return str(int(round(value, 2 - int(math.floor(math.log10(magnitude))))))
    return f"{value:.3g}"


def _short_yticks(plt: Any, values: list[float]) -> None:
    """Label the y axis with numbers as the reports write them (7.5e10, not the 13 columns
    of 75190327978.7 that plotext prints, which squeezed a house-price run's plot)."""
    if not values:
        return
    low, high = min(values), max(values)
    if high == low:
        return
    ticks = [low + i * (high - low) / 4 for i in range(5)]
    plt.yticks(ticks, [_short(y) for y in ticks])


class LossPlot(PlotextPlot):
    """Reads the logs in a thread, then draws every loss column; hides itself if none."""

    class CurvesRead(Message):
        def __init__(self, curves: dict[str, Curve], axis: str = "step") -> None:
            super().__init__()
            self.curves = curves
            self.axis = axis

    def __init__(self, logs: list[Path], title: str, x_label: str = "step",
                 epoch_label: str = "epoch") -> None:
        super().__init__(classes="loss-plot")
        self.logs = logs
        self.plot_title = title
        self.x_label = x_label
        self.labels = {"step": x_label, "epoch": epoch_label}
        self.display = False

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="plot")
    def _read(self) -> None:
        self.post_message(self.CurvesRead(load_curves(self.logs), loss_axis(self.logs)))

    def on_loss_plot_curves_read(self, message: CurvesRead) -> None:
        self.x_label = self.labels.get(message.axis, self.x_label)
        self.draw(message.curves)

    def draw(self, curves: dict[str, Curve]) -> None:
        """Plot the curves; mark the first step where a value is not finite."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        first_bad: float | None = None
        drawn = 0
        positive = [y for _, ys in curves.values() for y in ys if math.isfinite(y) and y > 0]
        log_scale = bool(positive) and max(positive) / min(positive) > 1e3
        if log_scale:
            # A run that blows up spans many orders of magnitude: plot log10 of the loss on a
            # linear axis labelled 1eN. (plotext's own log scale re-applies the log to set
            # ticks at every repaint: the second repaint took log(0) and crashed the app.)
            low = math.floor(math.log10(min(positive)))
            high = math.ceil(math.log10(max(positive)))
            step = max(1, math.ceil((high - low) / 5))
            exponents = [float(e) for e in range(low, high + 1, step)]
            plt.yticks(exponents, [f"1e{e:g}" for e in exponents])
        else:
            _short_yticks(plt, [y for _, ys in curves.values() for y in ys if math.isfinite(y)])
        for name, (xs, ys) in curves.items():
            good = [(x, math.log10(y) if log_scale else y) for x, y in zip(xs, ys, strict=True)
                    if math.isfinite(y) and (y > 0 or not log_scale)]
            bad = [x for x, y in zip(xs, ys, strict=True) if not math.isfinite(y)]
            if bad:
                first_bad = bad[0] if first_bad is None else min(first_bad, bad[0])
            if good:
                plt.plot([x for x, _ in good], [y for _, y in good], label=name)
                drawn += 1
        if not drawn:
            self.display = False
            return
        if first_bad is not None:
            plt.vline(first_bad, "red")
        # ticks over what is drawn (finite points and the blow-up), not every logged step: a
        # run NaN from step 15 of 480 had ticks at 120, 240 … off its axis, and showed "1" only
        steps = [x for xs, ys in curves.values() for x, y in zip(xs, ys, strict=True)
                 if math.isfinite(x) and math.isfinite(y) and (y > 0 or not log_scale)]
        steps += [first_bad] if first_bad is not None and math.isfinite(first_bad) else []
        if steps:  # steps are whole numbers
            first, last = min(steps), max(steps)
            ticks = sorted({float(round(first + i * (last - first) / 4)) for i in range(5)})
            plt.xticks(ticks, [f"{x:g}" for x in ticks])
        plt.title(self.plot_title)
        plt.xlabel(self.x_label)
        self.display = True
        self.refresh()
