"""Plain torch: a GRU follows a fireman's breathing-apparatus (SCBA) cylinder through a
12-minute entry, one row every 15 s, and gives the cylinder pressure at every row, so the
entry-control officer's board can show time-to-whistle for crews whose gauge is only read
out on the radio every 2 minutes. Rows carry the heart rate from the chest strap (bpm / 200),
the task the crew logged (a work level 0-1: standby, walking in, running hose up stairs,
search, forcible entry), the ambient temperature at the helmet (°C / 100) and, every 8th
row, the pressure read over the radio (bar / 300, rounded to 10 bar; 0 on other rows, with a
flag channel). Air use follows the work rate (about 40 L/min at rest to 110 L/min at heavy
work, scaled by a per-wearer factor 0.8-1.25 and by heat stress), drawn from a 6.8 L
cylinder charged to 270-300 bar; pressure falls by use × 15 s / 6.8 L each row.
Input: (48, 5). Target: per-row pressure, (bar - 200) / 60. Model: GRU 5→48 (1 layer),
Linear 48→1 at every row; MSE over all rows, Adam 3e-3 with OneCycleLR (max 3e-3), batch
25, 18 epochs, 500 entries, validation on 150.
Healthy; numbers in the README.
Log: JSON lines ``air_log.jsonl``: ``{"phase": "train", "it", "ep", "mse"}`` every 5 steps
and ``{"phase": "val", "ep", "mse", "mae_bar", "mae_bar_between_reads"}`` per epoch;
checkpoint ``scba_gru.tar`` with keys ``gru_state`` / ``opt_state`` / ``onecycle`` /
``ep`` / ``bar_center`` / ``bar_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ROWS = 48


def entries(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    # task per 2-minute block: a work level, held with small changes
    block = r(n, ROWS // 8)
    work = block.repeat_interleave(8, 1) + 0.05 * torch.randn(n, ROWS, generator=g)
    work = work.clamp(0, 1)
    amb = (25 + 150 * r(n, 1) * torch.linspace(0, 1, ROWS) ** 2 * (work > 0.5).float()
           + 2 * torch.randn(n, ROWS, generator=g))
    fit = 0.8 + 0.45 * r(n, 1)
    hr = 80 + 95 * work * (2.1 - fit) / 1.1 + 0.15 * (amb - 25) + 5 * torch.randn(n, ROWS, generator=g)
    lpm = (40 + 70 * work) * fit * (1 + 0.002 * (amb - 25))
    start = 270 + 30 * r(n, 1)
    bar = start - torch.cumsum(lpm * 0.25 / 6.8, 1)
    read = torch.zeros(n, ROWS)
    flag = torch.zeros(n, ROWS)
    read[:, ::8] = torch.round(bar[:, ::8] / 10) * 10 / 300
    flag[:, ::8] = 1
    x = torch.stack([hr / 200, work, amb / 100, read, flag], 2)
    return x, ((bar - 200) / 60).unsqueeze(2)


class AirGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return AirGRU()


def main():
    from _fourhundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = entries(500, g)
    xva, yva = entries(150, g)
    print("bar range", (ytr * 60 + 200).min().item(), (ytr * 60 + 200).max().item(),
          "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=25, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=18 * len(dl))
    between = xva[:, :, 4] == 0
    it = 0
    with open(out / "air_log.jsonl", "w") as log:
        for ep in range(18):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                if it % 5 == 0:
                    log.write(json.dumps({"phase": "train", "it": it, "ep": ep,
                                          "mse": round(loss.item(), 6)}) + "\n")
                it += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = (p - yva).abs()[:, :, 0] * 60
            rec = {"phase": "val", "ep": ep, "mse": round(F.mse_loss(p, yva).item(), 6),
                   "mae_bar": round(err.mean().item(), 4),
                   "mae_bar_between_reads": round(err[between].mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru_state": model.state_dict(), "opt_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 18, "bar_center": 200.0,
                "bar_scale": 60.0}, out / "scba_gru.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="scba_gru.tar", log="air_log.jsonl",
           what="GRU giving a fireman's SCBA cylinder pressure at every row of an entry from"
                " heart rate, work level, heat and the radio gauge reads (healthy)")


if __name__ == "__main__":
    main()
