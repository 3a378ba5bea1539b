"""Plain torch: a 1-D CNN with BatchNorm stages the ovary of a farmed sturgeon from the
ultrasound A-line the hatchery takes through the flank before deciding which females go to
caviar harvest and which are left another year (128 echo samples along the beam, 0-64 mm deep;
two channels: echo amplitude and its depth-gain-corrected log). Stages: 0 = immature / fat
(smooth, low echo gonad band with a fatty layer), 1 = early vitellogenesis (fine speckle, eggs
under 2 mm), 2 = mid vitellogenesis (granular echo band, egg diameter 2-2.6 mm shows as a speckle
period of 5-6 samples), 3 = ripe for harvest (coarse speckle with a 7-8 sample period and a
bright capsule line). Skin and muscle layers, their depth, the fish's girth (gonad band depth
14-30 mm) and probe pressure vary; 10 % speckle noise.
Conv1d(2,24,7)-BN-ReLU-MaxPool, Conv1d(24,48,5)-BN-ReLU-MaxPool, Conv1d(48,48,3)-BN-ReLU,
global max + average pool, Linear(96,4); cross-entropy with label smoothing 0.05, AdamW 2e-3
(weight decay 1e-3) with a linear warmup of 1 epoch then cosine over 14 epochs, batch 96, 2400
scans, validation on 600.
Log: CSV per epoch ``staging_log.csv`` (``epoch`` / ``train_loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_ripe`` / ``lr``); checkpoint ``ovary_cnn.tar`` with keys ``model`` /
``optimizer`` / ``scheduler`` / ``epoch`` / ``stages``.
Healthy; numbers in the README."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 128
STAGES = ["immature", "early_vitello", "mid_vitello", "ripe"]


def scans(n, g):
    z = torch.arange(N).float()
    stage = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 2, N)
    for i in range(n):
        s = stage[i].item()
        skin = 4 + 3 * torch.rand(1, generator=g).item()
        top = 28 + 32 * torch.rand(1, generator=g).item()
        width = 40 + 30 * torch.rand(1, generator=g).item()
        amp = 0.4 * torch.exp(-((z - skin) / 2) ** 2) + 0.15 * ((z > skin) & (z < top)).float()
        band = ((z >= top) & (z < top + width)).float()
        if s == 0:
            tex = 0.2 + 0.05 * torch.randn(N, generator=g)
            amp = amp + 0.3 * ((z >= top - 8) & (z < top)).float()
        else:
            period = [3.0, 5.5, 7.5][s - 1] * (1 + 0.08 * torch.randn(1, generator=g).item())
            ph = 2 * math.pi * torch.rand(1, generator=g).item()
            level = [0.3, 0.45, 0.55][s - 1]
            tex = level + 0.25 * torch.sin(2 * math.pi * z / period + ph) + 0.08 * torch.randn(N, generator=g)
            if s == 3:
                amp = amp + 0.5 * torch.exp(-((z - top) / 1.5) ** 2)
        amp = amp + band * tex
        amp = amp * (1 + 0.1 * torch.randn(N, generator=g)) * (0.8 + 0.4 * torch.rand(1, generator=g).item())
        amp = amp.abs() * torch.exp(-z / 90)
        x[i, 0] = amp
        x[i, 1] = torch.log(amp + 1e-2) + z / 90
    return x, stage


class OvaryCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv1d(2, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 5, padding=2), nn.BatchNorm1d(48), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(48, 48, 3, padding=1), nn.BatchNorm1d(48), nn.ReLU())
        self.head = nn.Linear(96, 4)

    def forward(self, x):
        h = self.f(x)
        return self.head(torch.cat([h.amax(-1), h.mean(-1)], 1))


def build():
    torch.manual_seed(0)
    return OvaryCNN()


def main():
    from _twohundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(2400, g)
    xva, yva = scans(600, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    steps = 14 * len(loader)
    warm = len(loader)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (steps - warm))))
    with open(out / "staging_log.csv", "w") as f:
        f.write("epoch,train_loss,val_loss,val_acc,val_acc_ripe,lr\n")
        for epoch in range(1, 15):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
                n += len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl = F.cross_entropy(lv, yva, label_smoothing=0.05).item()
                p = lv.argmax(1)
                va = (p == yva).float().mean().item()
                vr = (p[yva == 3] == 3).float().mean().item()
            row = f"{epoch},{tot / n:.5f},{vl:.5f},{va:.4f},{vr:.4f},{sched.get_last_lr()[0]:.6f}"
            print(row)
            f.write(row + "\n")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 14, "stages": STAGES},
               out / "ovary_cnn.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="ovary_cnn.tar",
           log="staging_log.csv",
           what="1-D BatchNorm CNN staging sturgeon ovaries from ultrasound A-lines (healthy)")


if __name__ == "__main__":
    main()
