"""Plain torch: a residual MLP predicts the peak horizontal force (kN) a rugby union pack
puts through the scrum machine on the hit, from the session sheet a strength and
conditioning coach fills in, so the coach can see which eight to pick and whether fatigue
is costing push. 16 inputs: the 8 forwards' body mass (kg, props and locks heavier), the
front row's and locks' leg-press 1RM (kg), the average hip height at engagement (cm), the
binding grip score (1-5), bind angle of the locks (degrees), the pitch's wetness (0-1),
reps already done this session and the minutes since the warm-up.
Physics of the rule: momentum of the pack on the engagement (mass × a hit speed that falls
with fatigue) plus a leg-drive term from the 1RMs, lost when the hips are too high or
too low (a parabola around 85 cm), transmitted through the binds (cos of the bind angle,
times the grip), minus slip on a wet pitch; 5 % noise.
Input: (16,) standardised with the train mean / std; target: (kN - 16) / 3.
Model: linear 16→96, 3 residual blocks (LayerNorm → linear 96→96 → GELU → linear 96→96,
added back), LayerNorm, linear 96→1; Huber loss (delta 1), SGD 0.03 momentum 0.9 nesterov
with cosine annealing over 30 epochs, batch 96, 2400 sessions, validation on 600.
Healthy; numbers in the README.
Log: CSV per epoch ``scrum_train.csv`` (``epoch`` / ``lr`` / ``huber``) and a separate
CSV per epoch ``scrum_val.csv`` (``epoch`` / ``val_huber`` / ``val_rmse_kn`` /
``val_r2``); checkpoint ``scrum_resmlp.pt`` with keys ``params`` / ``optim`` /
``cosine`` / ``epoch`` / ``input_mean`` / ``input_std`` / ``kn_shift_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def sessions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    base = torch.tensor([118, 108, 120, 116, 114, 108, 110, 104]).float()
    mass = base + 8 * torch.randn(n, 8, generator=g)
    press_front = 260 + 80 * r(n)
    press_locks = 240 + 80 * r(n)
    hip = 70 + 30 * r(n)
    grip = 1 + 4 * r(n)
    angle = 5 + 35 * r(n)
    wet = r(n)
    reps = torch.randint(0, 20, (n,), generator=g).float()
    minutes = 5 + 70 * r(n)
    speed = 1.6 * (1 - 0.015 * reps) * (1 - 0.002 * minutes)
    hit = mass.sum(1) * speed / 60  # kN-ish from momentum over the engagement
    legs = 0.012 * (press_front * 3 + press_locks * 2) * (1 - ((hip - 85) / 20) ** 2).clamp(min=0.2)
    trans = torch.cos(torch.deg2rad(angle)) * (0.7 + 0.075 * grip)
    kn = (hit + legs * trans) * (1 - 0.25 * wet)
    kn = kn * (1 + 0.05 * torch.randn(n, generator=g))
    x = torch.cat([mass, torch.stack([press_front, press_locks, hip, grip, angle, wet, reps,
                                      minutes], 1)], 1)
    return x, kn.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class ScrumNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(16, 96)
        self.blocks = nn.Sequential(*[Block(96) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(96), nn.Linear(96, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return ScrumNet()


def main():
    from _threehundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ktr = sessions(2400, g)
    rva, kva = sessions(600, g)
    print("kN", ktr.mean().item(), ktr.std().item(), ktr.min().item(), ktr.max().item())
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = (ktr - 16) / 3, (kva - 16) / 3
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    with open(out / "scrum_train.csv", "w", newline="") as ft, \
            open(out / "scrum_val.csv", "w", newline="") as fv:
        tl, vl = csv.writer(ft), csv.writer(fv)
        tl.writerow(["epoch", "lr", "huber"])
        vl.writerow(["epoch", "val_huber", "val_rmse_kn", "val_r2"])
        for epoch in range(30):
            model.train()
            tot, lr = 0.0, opt.param_groups[0]["lr"]
            for xb, yb in dl:
                loss = F.huber_loss(model(xb), yb, delta=1.0)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            cosine.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                vh = F.huber_loss(pv, yva, delta=1.0).item()
                rmse = 3 * ((pv - yva) ** 2).mean().sqrt().item()
                r2 = 1 - ((pv - yva) ** 2).sum().item() / ((yva - yva.mean()) ** 2).sum().item()
            tl.writerow([epoch, f"{lr:.6g}", f"{tot / len(xtr):.6g}"])
            vl.writerow([epoch, f"{vh:.6g}", f"{rmse:.6g}", f"{r2:.6g}"])
            print(epoch, round(tot / len(xtr), 5), round(vh, 5), round(rmse, 4), round(r2, 4))
    torch.save({"params": model.state_dict(), "optim": opt.state_dict(),
                "cosine": cosine.state_dict(), "epoch": 30, "input_mean": mean,
                "input_std": std, "kn_shift_scale": (16.0, 3.0)}, out / "scrum_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="scrum_resmlp.pt", log="scrum_val.csv",
           what="residual MLP predicting a rugby pack's peak scrum-machine force from the"
                " session sheet (healthy)")


if __name__ == "__main__":
    main()
