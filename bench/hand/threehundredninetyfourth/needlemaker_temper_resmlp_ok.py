"""Plain torch: a residual MLP predicts the Rockwell C hardness of a batch of sewing needles
after hardening and tempering, from the wire and the furnace settings, so the needlemaker can
set the temper for a new wire before the first batch: carbon (0.70-1.00 %), quench
temperature (770-840 °C), wire diameter (0.4-1.2 mm), temper temperature (150-350 °C) and
temper time (10-90 min). As-quenched hardness rises with carbon (60 + 10 × (C - 0.7) HRC),
falls when the quench was too cool to dissolve the carbides (below 800 - 40 × (C - 0.7) °C,
0.25 HRC per °C short) and a little for thick wire (3 HRC per mm above 0.8 mm); tempering
takes it down along the Hollomon-Jaffe parameter P = (T + 273)(20 + log10 hours):
-0.0028 × (P - 8000) HRC; Rockwell reading noise ± 0.5 HRC.
Input: (5,) standardised with the train mean / std. Target: (HRC - 58) / 4. Model: Linear
5→64, three residual blocks x + W2 ReLU(W1 x) (64→128→64), ReLU, Linear 64→1; MSE, SGD
0.05 (momentum 0.9, Nesterov, weight decay 1e-5) with OneCycleLR (max 0.05, stepped per
batch), batch 32, 25 epochs, 2000 batches of needles, validation on 500.
Healthy; numbers in the README.
Log: JSON lines per epoch ``temper_log.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_hrc``); checkpoint ``temper_resmlp.tar`` with keys ``params`` /
``sgd`` / ``onecycle`` / ``epoch`` / ``norm`` / ``hrc_center_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def batches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c, tq, d = 0.70 + 0.30 * r(n), 770 + 70 * r(n), 0.4 + 0.8 * r(n)
    tt, mins = 150 + 200 * r(n), 10 + 80 * r(n)
    h0 = 60 + 10 * (c - 0.7)
    h0 = h0 - 0.25 * (800 - 40 * (c - 0.7) - tq).clamp_min(0) - 3 * (d - 0.8).clamp_min(0)
    p = (tt + 273) * (20 + torch.log10(mins / 60))
    hrc = h0 - 0.0028 * (p - 8000) + 0.5 * torch.randn(n, generator=g)
    return torch.stack([c, tq, d, tt, mins], 1), hrc


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(w, 2 * w), nn.Linear(2 * w, w)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))


class TemperNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(5, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return TemperNet()


def main():
    from _threehundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, htr = batches(2000, g)
    rva, hva = batches(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = ((htr - 58) / 4).unsqueeze(1), ((hva - 58) / 4).unsqueeze(1)
    print("HRC", htr.min().item(), htr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=1e-5)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=25,
                                                steps_per_epoch=math.ceil(2000 / 32))
    with open(out / "temper_log.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"epoch": epoch, "lr": round(opt.param_groups[0]["lr"], 6),
                   "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_hrc": round(4 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"params": model.state_dict(), "sgd": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 25,
                "norm": {"mean": mean, "std": std}, "hrc_center_scale": (58.0, 4.0)},
               out / "temper_resmlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="temper_resmlp.tar", log="temper_log.jsonl",
           what="residual MLP predicting needle hardness (HRC) after hardening and tempering"
                " from wire and furnace settings (healthy)")


if __name__ == "__main__":
    main()
