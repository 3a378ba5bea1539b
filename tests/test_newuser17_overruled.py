"""What the seventeenth new user met: a description the measurements contradicted ("val
accuracy is stuck around 40%" read as chance level, while the log's accuracy rose) left no
"Read from your description" line — only a note at the very end. It is said up front now,
in text, Markdown and JSON. A tiny real classifier whose validation accuracy rises."""

from __future__ import annotations

import json
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.render import render_markdown, render_text
from dldoctor.session import Session
from tests.support.writers import write_csv_log


def _learning_run(folder: Path) -> Path:
    torch.manual_seed(0)
    x = torch.randn(600, 8)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    net = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    rows: dict[str, list[float | None]] = {"epoch": [], "train_loss": [], "val_loss": [],
                                           "val_acc": []}
    for epoch in range(6):
        for i in range(0, 500, 50):
            loss = F.cross_entropy(net(x[i:i + 50]), y[i:i + 50])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = net(x[500:])
            val, acc = F.cross_entropy(out, y[500:]), (out.argmax(1) == y[500:]).float().mean()
        for key, value in zip(rows, (epoch, float(loss.detach()), float(val), float(acc)),
                              strict=True):
            rows[key].append(value)
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "log.csv", rows)


def test_a_description_the_log_contradicts_is_said_up_front(tmp_path: Path) -> None:
    session = Session(load_knowledge(), Inputs(logs=(_learning_run(tmp_path),)))
    session.complain("validation accuracy is stuck at chance level")
    session.run_probes()
    report = session.report()
    assert report.overruled, [c.to_json() for c in session.conflicts]
    text = render_text(report)
    assert "the files measured otherwise" in text.split("Notes:")[0], text
    assert report.overruled[0] in render_markdown(report)
    assert json.loads(json.dumps(report.to_json()))["overruled"] == report.overruled
