"""A complaint the attached files contradict is said so in the chat at once, as the report
says it ("the files measured otherwise"), in English and in Chinese."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.i18n import t
from dldoctor.tui.widgets.message import DoctorMessage
from tests.test_newuser10_tui import _settle


def _finite_run(folder: Path) -> Inputs:
    """A run whose loss falls and stays a number: a checkpoint and a CSV log."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    net(torch.randn(8, 6)).sum().backward()
    opt.step()
    torch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, folder / "ckpt.pt")
    with open(folder / "metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "loss"])
        for step in range(1, 41):
            w.writerow([step, 1.1 * 0.95 ** step])
    return Inputs(checkpoint=folder / "ckpt.pt", logs=(folder / "metrics.csv",), device="cpu")


@pytest.mark.parametrize(("lang", "complaint"), [("en", "the loss is nan"),
                                                 ("zh", "loss 变成 nan 了")])
async def test_a_complaint_the_files_contradict_is_said_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, complaint: str) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _finite_run(tmp_path), max_questions=3, lang=lang)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press(*complaint, "enter")
        await _settle(app, pilot)
        said = " ".join(m.source for m in app.chat.query(DoctorMessage))
        head = t(lang, "overruled", what="X").split("X")[0].replace("**", "")
        assert head.strip() in said.replace("**", ""), said
        assert session.conflicts  # the measurement stands
