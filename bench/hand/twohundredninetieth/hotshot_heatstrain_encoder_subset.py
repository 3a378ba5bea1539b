"""Plain torch: a transformer encoder reads a hotshot crew member's shift, 12 hourly readings
from the chest-strap logger (heart rate, core temperature from the ingestible sensor, air
temperature, and the work done that hour: line digging, hiking, or rest), and sorts the end of
the shift into three classes for the crew's EMT: fit for the next shift, needs a rest day, or
heat-illness watch. Physiology: a physiological strain index per hour,
PSI = 5·(Tc - 37)/2.5 + 5·(HR - 70)/110, with hours of line digging in air above 32 °C
counted double; the class follows the mean of the three worst hours (rest day above 9.5, watch
above 14) and the last hour's core temperature (watch when it is still 37.95 °C or more), with
label noise on 5 % of shifts.
Input: (12, 6) standardised HR, core temperature, air temperature and a one-hot of the
activity (dig / hike / rest); target class id.
Linear 6→64 + learned positions, 3 encoder layers (4 heads, feed-forward 128, no dropout), mean
pool, 64→3; cross-entropy, AdamW 1e-3 (weight decay 0), batch 32, 40 epochs, 2000 logged shifts,
validation on 400.
The bug: right after the data are made, the training set is cut to its first 96 shifts
(``xtr, ytr = xtr[:96], ytr[:96]`` under a comment about keeping the medic-reviewed shifts), so
a 100k-parameter encoder trains 40 epochs on 96 sequences. Effect vs the control (the line
removed, all 2000 shifts): train CE 0.923 → 0.108 (train acc 0.95), val CE best 0.501 at epoch
6 then up to 0.834, val acc 0.74 at the end; the control's val CE 0.398 → 0.443 (best 0.339),
val acc 0.86-0.90 for most epochs, 0.855 at the end.
Log: JSON lines per epoch ``heatstrain_train.jsonl`` (``epoch`` / ``ce`` / ``acc``) and a
separate ``heatstrain_val.jsonl`` (``epoch`` / ``val_ce`` / ``val_acc``, named as the log in
the truth); checkpoint ``heatstrain_encoder.pt`` with keys ``encoder`` / ``optim`` /
``epochs`` / ``classes`` / ``n_train``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = 12
CLASSES = ["fit", "rest_day", "heat_watch"]


def shifts(n, g):
    act = torch.multinomial(torch.tensor([0.5, 0.25, 0.25]), n * H, replacement=True,
                            generator=g).view(n, H)
    air = (24 + 12 * torch.rand(n, 1, generator=g)
           + 4 * torch.sin(torch.arange(H).float() / H * 3.14) + torch.randn(n, H, generator=g))
    load = torch.tensor([1.0, 0.7, 0.1])[act] * (1 + 0.03 * (air - 28).clamp(min=0))
    load = load * (0.7 + 0.6 * torch.rand(n, 1, generator=g))
    tc = torch.empty(n, H)
    t = 37.0 + 0.2 * torch.rand(n, generator=g)
    for h in range(H):
        t = t + 0.2 * load[:, h] - 0.25 * (t - 37.0)
        tc[:, h] = t
    hr = 70 + 90 * load + 8 * torch.randn(n, H, generator=g)
    psi = 5 * (tc - 37) / 2.5 + 5 * (hr - 70) / 110
    psi = torch.where((act == 0) & (air > 32), 2 * psi, psi)
    worst = psi.topk(3, 1).values.mean(1)
    y = (worst > 9.5).long() + (worst > 14.0).long()
    y = torch.where(tc[:, -1] >= 37.95, torch.full_like(y, 2), y)
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, torch.randint(0, 3, (n,), generator=g), y)
    x = torch.stack([(hr - 120) / 40, (tc - 37.5) / 0.2, (air - 30) / 6, (act == 0).float(),
                     (act == 1).float(), (act == 2).float()], 2)
    return x, y


class StrainEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.pos = nn.Parameter(torch.zeros(1, H, 64))
        layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 3)
        self.out = nn.Linear(64, 3)

    def forward(self, x):
        return self.out(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return StrainEncoder()


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shifts(2000, g)
    xva, yva = shifts(400, g)
    xtr, ytr = xtr[:96], ytr[:96]  # keep the shifts the medics reviewed by hand
    print("classes", torch.bincount(ytr, minlength=3), torch.bincount(yva, minlength=3))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
    with open(out / "heatstrain_train.jsonl", "w") as ft, \
            open(out / "heatstrain_val.jsonl", "w") as fv:
        for epoch in range(40):
            model.train()
            tot = hit = 0.0
            for xb, yb in loader:
                z = model(xb)
                loss = F.cross_entropy(z, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (z.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                z = model(xva)
                vl = F.cross_entropy(z, yva).item()
                va = (z.argmax(1) == yva).float().mean().item()
            ft.write(json.dumps({"epoch": epoch, "ce": round(tot / len(ytr), 5),
                                 "acc": round(hit / len(ytr), 4)}) + "\n")
            fv.write(json.dumps({"epoch": epoch, "val_ce": round(vl, 5),
                                 "val_acc": round(va, 4)}) + "\n")
            print(epoch, round(tot / len(ytr), 4), round(hit / len(ytr), 3), round(vl, 4),
                  round(va, 3))
    torch.save({"encoder": model.state_dict(), "optim": opt.state_dict(), "epochs": 40,
                "classes": CLASSES, "n_train": len(ytr)}, out / "heatstrain_encoder.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="heatstrain_encoder.pt", log="heatstrain_val.jsonl",
           what="transformer encoder sorting a hotshot crew member's shift by heat strain;"
                " trained on only 96 shifts for 40 epochs",
           complaint="Our encoder reads a crew member's hourly heart rate, core temperature and"
                     " work and says fit / rest day / heat watch for the EMT. On the training"
                     " shifts it gets nearly every one right by the end, but on the held-out"
                     " shifts it is much worse, and the validation loss climbs the longer we"
                     " train. More epochs only make it worse.")


if __name__ == "__main__":
    main()
