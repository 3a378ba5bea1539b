"""Plain torch: a 1-D CNN with batch norm reads 4 s of a gas street lamp's light from a
photodiode the lamplighter hangs on the lantern (100 Hz, 2 channels: light level and the
pressure at the lamp's governor) and flags what the lamp needs, several at once
(multi-label): a torn mantle (the light flickers at 6-10 Hz and sits low), low gas
pressure (the governor pressure sags and the light follows it with a lag), a draught
through a cracked pane (slow random gusts that dip the light), soot on the glass (the light
is a steady 15-30 % low). Each fault is present in about a third of the lamps,
independently; lamp-to-lamp gain, ± noise.
Input: (2, 400) light / nominal and (pressure - 1) / 0.2. Target: (4,) 0/1.
Model: conv 2→16 k7 stride 2 → BN → ReLU → conv 16→32 k5 stride 2 → BN → ReLU → conv
32→32 k5 → BN → ReLU → global average + max pool → linear 64→4; BCE with logits, SGD 0.05
momentum 0.9 nesterov with cosine decay over 10 epochs, batch 40, 1000 lamps, validation
on 250.
Healthy; numbers in the README.
Log: JSON lines ``lantern_log.jsonl``: ``{"step", "bce"}`` every 5 steps and ``{"epoch",
"val_bce", "val_exact", "val_f1_mantle", "val_f1_pressure", "val_f1_draught",
"val_f1_soot"}`` per epoch; checkpoint ``lantern_cnn.pt`` with keys ``weights`` /
``sgd`` / ``cosine`` / ``epoch`` / ``faults`` / ``sample_hz``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 400
HZ = 100.0
FAULTS = ["mantle", "pressure", "draught", "soot"]


def lamps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() / HZ
    y = (r(n, 4) < 0.33).float()
    gain = 0.9 + 0.2 * r(n, 1)
    press = torch.ones(n, N)
    sag = 0.25 + 0.2 * r(n, 1)
    dip_at = 0.5 + 2.5 * r(n, 1)
    press = press - y[:, 1:2] * sag * torch.sigmoid((t - dip_at) * 6)
    light = press.clone()
    light = torch.cat([light[:, :1].expand(n, 20), light[:, :-20]], 1)  # the mantle lags
    f = 6 + 4 * r(n, 1)
    light = light * (1 - y[:, 0:1] * (0.2 + 0.12 * torch.sin(2 * math.pi * f * t
                                                            + 6.28 * r(n, 1))))
    gust = torch.cumsum(torch.randn(n, N, generator=g), 1) / 12
    gust = gust - gust.mean(1, keepdim=True)
    light = light - y[:, 2:3] * 0.25 * gust.abs()
    light = light * (1 - y[:, 3:4] * (0.15 + 0.15 * r(n, 1)))
    light = gain * light + 0.03 * torch.randn(n, N, generator=g)
    press = press + 0.01 * torch.randn(n, N, generator=g)
    return torch.stack([light, (press - 1) / 0.2], 1), y


class LanternCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(2, 16, 7, stride=2, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        h = self.body(x)
        return self.head(torch.cat([h.mean(-1), h.amax(-1)], 1))


def build():
    torch.manual_seed(0)
    return LanternCNN()


def f1(p, y):
    tp = (p * y).sum()
    return (2 * tp / (p.sum() + y.sum()).clamp(min=1)).item()


def main():
    from _threehundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lamps(1000, g)
    xva, yva = lamps(250, g)
    print("fault rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    step = 0
    with open(out / "lantern_log.jsonl", "w") as f:
        for epoch in range(10):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 5 == 0:
                    f.write(json.dumps({"step": step, "bce": round(loss.item(), 6)}) + "\n")
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p = (lv > 0).float()
            rec = {"epoch": epoch,
                   "val_bce": round(F.binary_cross_entropy_with_logits(lv, yva).item(), 6),
                   "val_exact": round((p == yva).all(1).float().mean().item(), 6)}
            for k, name in enumerate(FAULTS):
                rec[f"val_f1_{name}"] = round(f1(p[:, k], yva[:, k]), 6)
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 10, "faults": FAULTS, "sample_hz": HZ},
               out / "lantern_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="lantern_cnn.pt",
           log="lantern_log.jsonl",
           what="1-D CNN with batch norm flagging a gas street lamp's faults (multi-label)"
                " from its light and governor pressure, 4 s at 100 Hz (healthy)")


if __name__ == "__main__":
    main()
