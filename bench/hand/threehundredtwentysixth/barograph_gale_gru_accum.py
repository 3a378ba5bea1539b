"""Plain torch: a GRU reads the last 24 hours of a coastal station's barograph and warns
(binary) when the pressure will fall by more than 6 hPa over the next 12 hours, the
forecaster's rule of thumb that a deepening low and a gale are on the way. Traces: a base
level of 995-1030 hPa, a passing pressure system (3-16 hPa amplitude, 40-120 h period, random
phase), a slow random-walk drift, the semidiurnal tide (0.3-0.8 hPa) and pen noise
(0.1 hPa); the label comes from the same trace 12 hours on.
Input: (24, 2) per hour: (p - 1013) / 15 and the hourly change in hPa. Model: GRU 2→32, last
hidden state, Linear 32→1; BCE with logits, SGD 0.05 momentum 0.9, batch 32, 15 epochs, 1600
traces, validation on 400.
The bug: ``opt.zero_grad()`` is called once per epoch, before the batch loop, so the
gradients of every batch of the epoch pile up in ``.grad`` and each step pushes with the sum
of all the epoch's gradients so far: the train BCE climbs from 1.52 in the first epoch to
17, 53, 134 and up to 563, val BCE 1.63 → 145 (540 at its worst), val accuracy jumps between
0.22 (warn always) and 0.805 (never warn, the calm share) and ends at 0.61 (control,
``opt.zero_grad(); loss.backward()`` in the batch loop: train BCE 0.42 → 0.156, val BCE
0.331 → 0.188, val acc 0.853 → 0.91, gale recall 0.47 → 0.85).
Log: TSV per epoch ``gru_gale.tsv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc`` /
``val_recall_gale``); checkpoint ``gale_gru.pt`` with keys ``gru_state`` / ``sgd`` /
``epoch`` / ``p_ref_hpa`` / ``p_scale_hpa`` / ``horizon_h``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PAST, AHEAD = 24, 12


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(PAST + AHEAD).float()
    base = 995 + 35 * r(n, 1)
    amp = 3 + 13 * r(n, 1)
    period = 40 + 80 * r(n, 1)
    ph = 2 * math.pi * r(n, 1)
    drift = torch.cumsum(0.15 * torch.randn(n, PAST + AHEAD, generator=g), 1)
    tide = (0.3 + 0.5 * r(n, 1)) * torch.cos(2 * math.pi * (t - 10) / 12)
    p = base + amp * torch.sin(2 * math.pi * t / period + ph) + drift + tide
    p = p + 0.1 * torch.randn(n, PAST + AHEAD, generator=g)
    past = p[:, :PAST]
    d = torch.cat([torch.zeros(n, 1), past[:, 1:] - past[:, :-1]], 1)
    x = torch.stack([(past - 1013) / 15, d], 2)
    y = ((p[:, PAST - 1] - p[:, -1]) > 6.0).float().unsqueeze(1)
    return x, y


class GaleGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return GaleGRU()


def main():
    from _threehundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1600, g)
    xva, yva = traces(400, g)
    print("gale share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with open(out / "gru_gale.tsv", "w") as log:
        log.write("epoch\ttrain_bce\tval_bce\tval_acc\tval_recall_gale\n")
        for epoch in range(15):
            model.train()
            tot, cnt = 0.0, 0
            opt.zero_grad()  # clear gradients before the epoch
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            warn = (logits > 0).float()
            row = [tot / cnt, F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (warn == yva).float().mean().item(), warn[yva == 1].mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"gru_state": model.state_dict(), "sgd": opt.state_dict(), "epoch": 15,
                "p_ref_hpa": 1013.0, "p_scale_hpa": 15.0, "horizon_h": AHEAD},
               out / "gale_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="gale_gru.pt", log="gru_gale.tsv",
           what="GRU warning of a > 6 hPa pressure fall in the next 12 h from 24 h of"
                " barograph trace; zero_grad once per epoch, gradients pile up",
           complaint="用气压计曲线训练的 GRU 大风预警模型完全不收敛。第一个 epoch 训练 BCE 是"
                     " 1.52，之后一路涨到 17、53、134，最高到 563；验证集 BCE 最后是 145。"
                     "验证准确率在 0.22 和 0.805 之间来回跳，要么全报大风要么全不报，最后停在"
                     " 0.61。数据我检查过，大风样本大约占 20%。SGD 学习率 0.05，动量 0.9，"
                     "batch 32。这是什么原因？")


if __name__ == "__main__":
    main()
