"""Veterinary clinic: will a horse admitted with colic survive? An MLP on 18 admission findings
from the practice's records (rectal temperature, pulse, respiratory rate, capillary refill
time, mucous membrane colour, peripheral pulse, pain score, peristalsis, abdominal distension,
nasogastric reflux volume and pH, packed cell volume, total protein, peritoneal lactate,
abdominocentesis appearance, age, surgical lesion yes/no, days since onset) — 420 cases in all,
300 for training and 120 held out. Synthetic cases: a latent severity drives pulse, PCV,
lactate, pain and reflux (with clinical noise), survival is a logistic function of severity
and surgery (a real clinic's outcome data is noisy: the Bayes accuracy is about 0.8).
Standardised features; a "big enough" MLP 18→512→512→256→2 (0.4M parameters) with ReLU, no
dropout, no weight decay, Adam 1e-3, batch 32, 60 epochs (the author wanted to "give it time"); a JSON-lines log
per epoch (``epoch``, ``train/loss``, ``train/acc``, ``valid/loss``, ``valid/acc``).
Bug (design): a 0.4M-parameter network with no regularisation, trained for 60 epochs on 300
noisy records; it memorises them. Valid loss 0.427 after epoch 1 (valid acc 0.83), then 0.455,
0.450, 0.479, 0.534, 0.592, 0.79 (epoch 10), 1.14 (15), 1.49 (30), 1.90 at epoch 60; train
accuracy 1.0 from epoch 15, train loss 3.6e-5 at the end; valid acc 0.72. The control (``WIDTH =
16``: 18→16→16→8→2, same 60 epochs): a slow start (train acc 0.36 for 3 epochs), valid loss 0.43
at epoch 35 and 0.46 at the end, train loss 0.36, valid acc 0.77–0.83."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

FINDINGS = ["temp_c", "pulse_bpm", "resp_rate", "crt_s", "membrane_colour", "peripheral_pulse",
            "pain", "peristalsis", "distension", "ng_reflux_l", "ng_reflux_ph", "pcv_pct",
            "total_protein", "peritoneal_lactate", "abdomcentesis", "age_y", "surgical_lesion",
            "days_onset"]
WIDTH = 512
EPOCHS = 60


def cases(n, g):
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    sev = r(n)
    surg = (torch.rand(n, generator=g) < 0.4).float()
    cols = [37.8 + 0.4 * r(n) + 0.2 * sev, 55 + 15 * sev + 8 * r(n), 24 + 6 * sev + 6 * r(n),
            2 + 0.8 * sev + 0.5 * r(n), (1.5 + sev + r(n)).round().clamp(0, 4),
            (1 + 0.8 * sev + 0.7 * r(n)).round().clamp(0, 3), (2 + sev + r(n)).round().clamp(1, 5),
            (2 - 0.7 * sev + r(n)).round().clamp(0, 3), (1 + sev + r(n)).round().clamp(0, 3),
            (1.5 * sev + 1.5 * r(n)).clamp(min=0), 6.5 - 0.5 * sev + 0.6 * r(n),
            45 + 7 * sev + 5 * r(n), 6.8 + 0.5 * r(n) + 0.2 * sev, (2 + 2.5 * sev + 1.5 * r(n)).clamp(min=0.5),
            (1 + sev + r(n)).round().clamp(0, 3), 10 + 5 * r(n).abs(), surg,
            (1 + 0.5 * sev + r(n)).clamp(min=0)]
    x = torch.stack(cols, 1)
    logit = 0.9 - 1.6 * sev + 0.5 * surg * (sev > 0.5).float() - 0.3 * r(n)
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).long()  # 1 = survived
    return x, y


class ColicMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.zeros(18))
        self.register_buffer("std", torch.ones(18))
        self.net = nn.Sequential(nn.Linear(18, WIDTH), nn.ReLU(), nn.Linear(WIDTH, WIDTH), nn.ReLU(),
                                 nn.Linear(WIDTH, WIDTH // 2), nn.ReLU(), nn.Linear(WIDTH // 2, 2))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)


def build():
    torch.manual_seed(0)
    return ColicMLP()


def main():
    from _hundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = cases(420, g)
    xtr, ytr, xva, yva = x[:300], y[:300], x[300:], y[300:]
    model = build()
    model.mean.copy_(xtr.mean(0))
    model.std.copy_(xtr.std(0))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "colic_metrics.jsonl", "w") as f:
        for epoch in range(1, EPOCHS + 1):
            model.train()
            perm = torch.randperm(300, generator=g)
            tl, tc = 0.0, 0
            for i in range(0, 300, 32):
                idx = perm[i:i + 32]
                logits = model(xtr[idx])
                loss = F.cross_entropy(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(idx)
                tc += (logits.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                rec = {"epoch": epoch, "train/loss": float(f"{tl / 300:.4g}"), "train/acc": round(tc / 300, 4),
                       "valid/loss": float(f"{F.cross_entropy(lo, yva).item():.4g}"),
                       "valid/acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            if epoch % 5 == 0 or epoch <= 6:
                print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": EPOCHS,
                "findings": FINDINGS}, out / "colic_mlp_final.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="colic_mlp_final.pth", log="colic_metrics.jsonl",
           what="equine colic outcome, 1.6M-parameter unregularised MLP, 120 epochs on 300 cases",
           complaint="Our colic survival model gets 100 % on the training cases but only 72 % on the "
                     "held-out horses. The validation loss was best after the first epoch (0.43) "
                     "and climbed to 1.90 by epoch 60 while the training loss went to 0.00004. "
                     "We only have 300 cases from the clinic.")


if __name__ == "__main__":
    main()
