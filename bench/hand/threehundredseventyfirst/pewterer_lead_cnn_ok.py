"""Plain torch: a 1-D CNN with batch norm reads how much lead is in a piece of old pewter from
the cooling curve of a scraping, the thermal analysis a pewterer runs before old "lay" metal
goes back into the pot for tableware (which must stay nearly lead-free). The scraping is
melted to 280-320 °C and left to cool in a small crucible with a thermocouple, one reading
every 2 s for 256 readings. Cooling follows Newton's law (rate set by the crucible's draught,
ambient 15-30 °C); tin-lead metal freezes by the phase diagram: primary tin from the liquidus
(232 °C for pure tin, falling about 1.3 °C per % lead, antimony and copper lowering it a
little more) with the latent heat released as it cools, then the tin-lead eutectic holding at
183 °C while the rest freezes, for a share of the metal that grows with the lead (lever rule,
Pb / 38 %); lead 0-30 %, thermocouple noise 0.3 °C.
Input: (1, 256) as (T - 200) / 50. Model: Conv1d 1→16 (k7, stride 2) + BN + ReLU, Conv1d
16→32 (k5, stride 2) + BN + ReLU, Conv1d 32→32 (k5, stride 2) + BN + ReLU, global average
pool, Linear 32→1; MSE on Pb % / 10, SGD 0.003 (momentum 0.9) with cosine annealing, batch 32,
24 epochs, 1200 scrapings, validation on 300.
Healthy; numbers in the README.
Log: one JSON line per epoch ``assay_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_pb_pct``); checkpoint ``lead_assay.pt`` with keys ``cnn`` /
``sgd`` / ``cosine`` / ``epoch`` / ``t_center`` / ``t_scale`` / ``pb_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 256
DT = 2.0
T_EUT = 183.0
LATENT = 60.0  # latent heat in °C of sensible heat


def cooling_curves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pb = 30 * r(n) ** 1.3
    sb, cu = 6 * r(n), 2 * r(n)
    liq = 232 - 1.3 * pb - 0.6 * sb - 1.5 * cu
    eut = (pb / 38).clamp(max=1)
    k = 0.003 + 0.004 * r(n)
    amb = 15 + 15 * r(n)
    temp = 280 + 40 * r(n)
    bucket = LATENT * eut  # eutectic heat still to give off
    out = []
    for _ in range(N):
        loss = k * (temp - amb) * DT
        primary = (temp <= liq) & (temp > T_EUT)
        c_eff = 1 + torch.where(primary, LATENT * (1 - eut) / (liq - T_EUT).clamp(min=1), 0.0)
        at_eut = (temp <= T_EUT + 1e-4) & (bucket > 0)
        bucket = torch.where(at_eut, bucket - loss, bucket)
        new = torch.where(at_eut, torch.full_like(temp, T_EUT), temp - loss / c_eff)
        temp = torch.where((new < T_EUT) & (bucket > 0) & (temp > T_EUT), torch.full_like(temp, T_EUT), new)
        out.append(temp)
    x = torch.stack(out, 1) + 0.3 * torch.randn(n, N, generator=g)
    return ((x - 200) / 50).unsqueeze(1), (pb / 10).unsqueeze(1)


class LeadCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, stride=2, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.features(x))


def build():
    torch.manual_seed(0)
    return LeadCNN()


def main():
    from _threehundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cooling_curves(1200, g)
    xva, yva = cooling_curves(300, g)
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    epochs = 24
    opt = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    with open(out / "assay_fit.jsonl", "w") as log:
        for epoch in range(epochs):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "lr": round(lr, 6), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(pv, yva).item(), 6),
                   "val_mae_pb_pct": round(10 * (pv - yva).abs().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"cnn": model.state_dict(), "sgd": opt.state_dict(), "cosine": sched.state_dict(),
                "epoch": epochs, "t_center": 200.0, "t_scale": 50.0, "pb_scale": 10.0},
               out / "lead_assay.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="lead_assay.pt",
           log="assay_fit.jsonl",
           what="1-D CNN with batch norm reading the lead content of old pewter from a"
                " scraping's cooling curve (healthy)")


if __name__ == "__main__":
    main()
