"""Plain torch: an MLP tells a kelp burner on the islands whether a kiln-load of kelp (the
fused ash of burnt seaweed) will make the iodine works' grade, at least 8 lb of iodine per
ton, so the poor loads can go to the glassworks for their alkali instead. 7 inputs from the
shore book: share of tangle (Laminaria stems, 0-1; the rest wrack), month cut (as sin / cos:
winter drift tangle is richest), days drying on the stone dykes (2-20), rain on the drying
weed (mm, 0-60: leaches iodine and potash out), kiln temperature (°C, 550-950: over 750 the
ash vitrifies and iodine goes up the flue), sand and stones raked in with it (%, 0-15).
Iodine (lb/ton): 4 + 10 × tangle share, × (1 + 0.35 cos(2π (month - 1) / 12)), × exp(-rain
/ 40), × (1 - 0.45 × clamp((temp - 750) / 200, 0, 1)), × (1 - sand / 100), × (0.9 + 0.2 ×
clamp(days / 8, 0, 1)) for half-dried weed, × log-normal assay noise (4 %); graded by the
8 lb/ton line, about 18 % of loads pass.
Input: (7,) standardised with the train mean / std. Model: 7→64→ReLU→64→ReLU→1 (logit);
BCEWithLogitsLoss, Adam, batch 32, 25 epochs, 2400 loads, validation on 600.
The bug: the optimizer is ``torch.optim.Adam(model.parameters(), lr=0.1)``, a learning rate a
hundred times what this net takes, so the steps throw the weights about and kill units:
train loss 0.236 → 0.055 at epoch 14, then up to 0.31 at epoch 17 and 0.247 at the end;
val accuracy 0.935 → 0.977 at epoch 6, then 0.75-0.93 from epoch 17 and 0.795 at the end
(every load called a pass: pass recall 1.0), val loss 0.140 → 0.280 (best 0.072) (control,
``lr=1e-3``: train loss 0.371 → 0.022, val loss 0.202 → 0.050, val accuracy 0.913 → 0.983).
Log: JSON lines per epoch ``kiln_grade.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_pass_recall``); checkpoint ``iodine_grade.pt`` with keys
``model_state`` / ``opt_state`` / ``epoch`` / ``scaler_mean`` / ``scaler_std`` /
``grade_lb_per_ton``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

GRADE = 8.0


def loads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    tangle = r(n)
    month = torch.randint(1, 13, (n,), generator=g).float()
    days = 2 + 18 * r(n)
    rain = 60 * r(n) ** 2
    temp = 550 + 400 * r(n)
    sand = 15 * r(n)
    iod = (4 + 10 * tangle) * (1 + 0.35 * torch.cos(2 * math.pi * (month - 1) / 12))
    iod = iod * torch.exp(-rain / 40) * (1 - 0.45 * ((temp - 750) / 200).clamp(0, 1))
    iod = iod * (1 - sand / 100) * (0.9 + 0.2 * (days / 8).clamp(0, 1))
    iod = iod * torch.exp(0.04 * torch.randn(n, generator=g))
    ang = 2 * math.pi * (month - 1) / 12
    x = torch.stack([tangle, torch.sin(ang), torch.cos(ang), days, rain, temp, sand], 1)
    return x, (iod >= GRADE).float()


class GradeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return GradeNet()


def main():
    from _fourhundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = loads(2400, g)
    rva, yva = loads(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = ytr.unsqueeze(1), yva.unsqueeze(1)
    print("pass share", ytr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.1)  # a short run, so big steps
    crit = nn.BCEWithLogitsLoss()
    with open(out / "kiln_grade.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            rec = {"epoch": epoch, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(crit(logit, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_pass_recall": round(pred[yva == 1].mean().item(), 6)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 25,
                "scaler_mean": mean, "scaler_std": std, "grade_lb_per_ton": GRADE},
               out / "iodine_grade.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="iodine_grade.pt", log="kiln_grade.jsonl",
           what="MLP grading kiln-loads of kelp for the iodine works; Adam at lr 0.1",
           complaint="Kelp grade classifier (pass / fail the 8 lb iodine line): it was at 97-98 %"
                     " on the held-out loads after a few epochs, then the training loss jumped"
                     " from 0.05 to 0.3 around epoch 17 and never came back; it finishes at"
                     " 79.5 % and now calls every single load a pass. Loss goes up and down"
                     " by 2-3x from one epoch to the next.")


if __name__ == "__main__":
    main()
