"""Plain torch: a GRU gives the battery energy a cargo bike will use on a delivery round, from
the round's 40 route segments (length, grade, planned speed, a stop at the end or not) and the
box load, so the hub knows which rounds need a fresh pack. Physics per segment: rolling
resistance (Crr 0.012) and climbing on bike + rider + load (140 kg + 0-100 kg), air drag (CdA
0.9 m², 1.2 kg/m³) at the planned speed, and 0.5·m·v² to get going again after a stop; the motor
gives 60 % of the work at 80 % efficiency and nothing back downhill. 4 % scatter on the metered
Wh.
Inputs per segment: length / 300 m, grade / 6 %, speed / 20 km/h, stop flag, load / 100 kg;
target Wh / 100. GRU(5→48) over the segments, last state → linear 48→24-ReLU-24→1; MSE, Adam 3e-3
with cosine annealing over 20 epochs, batch 64, 2000 rounds, validation on 400.
Log: JSON lines per epoch ``battery_fit.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_wh`` / ``lr``); checkpoint ``battery_gru.pt`` with keys ``gru_state`` /
``adam_state`` / ``sched_state`` / ``epoch`` / ``wh_scale``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SEG = 40


def rounds(n, g):
    length = 60 + 480 * torch.rand(n, SEG, generator=g)
    grade = 4 * torch.randn(n, SEG, generator=g).clamp(-2, 2)
    speed = 8 + 17 * torch.rand(n, SEG, generator=g)
    stop = (torch.rand(n, SEG, generator=g) < 0.3).float()
    load = 100 * torch.rand(n, 1, generator=g)
    m = 140 + load
    v = speed / 3.6
    work = (m * 9.81 * (0.012 + grade / 100) + 0.5 * 1.2 * 0.9 * v ** 2) * length
    work = work.clamp(min=0) + stop * 0.5 * m * v ** 2
    wh = (0.6 * work / 0.8).sum(1) / 3600
    wh = wh * (1 + 0.04 * torch.randn(n, generator=g))
    x = torch.stack([length / 300, grade / 6, speed / 20, stop, load.expand(n, SEG) / 100], 2)
    return x, (wh / 100).unsqueeze(1)


class BatteryGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 24), nn.ReLU(), nn.Linear(24, 1))

    def forward(self, x):
        return self.head(self.gru(x)[1][-1])


def build():
    torch.manual_seed(0)
    return BatteryGRU()


def main():
    from _twohundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rounds(2000, g)
    xva, yva = rounds(400, g)
    print("wh/100", ytr.min().item(), ytr.mean().item(), ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    with open(out / "battery_fit.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vm = F.mse_loss(p, yva).item()
                mae = ((p - yva).abs().mean() * 100).item()
            rec = {"epoch": epoch, "train_mse": round(tot / len(xtr), 6), "val_mse": round(vm, 6),
                   "val_mae_wh": round(mae, 3), "lr": round(lr, 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru_state": model.state_dict(), "adam_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 20, "wh_scale": 100.0},
               out / "battery_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="battery_gru.pt", log="battery_fit.jsonl",
           what="GRU giving a cargo bike round's battery energy from its route segments"
                " (healthy)")


if __name__ == "__main__":
    main()
