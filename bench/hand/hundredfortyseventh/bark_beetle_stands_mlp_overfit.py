"""Early ("green-attack") bark-beetle detection in spruce stands from Sentinel-2: each stand is
a cloud-free time series of 12 acquisitions (April–September) × 6 bands (red, three red-edge,
NIR, SWIR-1), stand means, plus 4 stand attributes (age, slope, elevation, distance to last
year's infestation) = 76 features, standardised; the label is the forester's ground check
(infested / healthy) a month later. Infestation shows as a slow SWIR-1 rise and red-edge drop
over the summer, weak against stand-to-stand variation; 8 % of the ground checks are wrong.
Only 320 labelled stands for training (and 320 for validation, from another district's
ground checks).
The model the student copied from a large-dataset tutorial: an MLP 76 → 1024 → 1024 → 512 → 2,
no dropout, no weight decay, Adam 1e-3, batch 32, 60 epochs, keeping the last epoch; JSON
lines per epoch: train loss/acc, val loss/acc.
Bug: a 1.9 M-parameter network with no regularisation, no early stopping and 60 epochs on 320
samples: the training loss goes to ~0 while the validation loss turns up after a few epochs.
Train loss 0.70 → 0.009 at epoch 8 (accuracy 1.0) → 2e-5 at epoch 60; val loss 0.66, 0.60 at
epoch 2, then 0.69–0.77 (epochs 3–5), 0.98, 1.28, 1.40 (epoch 8), 1.57 (20), 2.07 (40), 2.19
(60); val accuracy 0.58, 0.69, then 0.73–0.77. Control (the MLP line replaced by ``Dropout(0.2), Linear(76, 32), ReLU, Dropout(0.5),
Linear(32, 2)``): train loss 0.75 → 0.41, val loss 0.68 → 0.527 at epoch 60 (flat from epoch
30), val accuracy 0.76–0.78."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def stands(n, g):
    y = (torch.rand(n, generator=g) < 0.4).long()
    t = torch.linspace(0, 1, 12)
    season = torch.tensor([0.05, 0.07, 0.09, 0.15, 0.30, 0.28])  # per-band level
    phen = torch.sin(3.1416 * t)[:, None] * torch.tensor([-0.02, 0.0, 0.03, 0.06, 0.10, -0.02])
    stand = season * (1 + 0.15 * torch.randn(n, 1, 6, generator=g))
    attack = y[:, None, None] * (t[None, :, None].clamp(0.4) - 0.4) * torch.tensor(
        [0.01, -0.005, -0.012, -0.02, -0.04, 0.025])
    refl = stand + phen + attack * (0.5 + torch.rand(n, 1, 1, generator=g))
    refl = refl + 0.012 * torch.randn(n, 12, 6, generator=g)
    attrs = torch.stack([60 + 30 * torch.randn(n, generator=g), 10 * torch.rand(n, generator=g),
                         800 + 200 * torch.randn(n, generator=g),
                         2000 * torch.rand(n, generator=g) * (1 - 0.4 * y)], 1)
    x = torch.cat([refl.flatten(1), attrs], 1)
    wrong = torch.rand(n, generator=g) < 0.08
    return x, torch.where(wrong, 1 - y, y)


class StandMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(76, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                                 nn.Linear(1024, 512), nn.ReLU(), nn.Linear(512, 2))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return StandMLP()


def main():
    from _hundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = stands(640, g)
    mu, sd = x[:320].mean(0), x[:320].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:320], y[:320], x[320:], y[320:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "beetle_history.jsonl", "w")
    epochs = 60
    for epoch in range(1, epochs + 1):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tl, tc = 0.0, 0
        for i in range(0, len(xtr), 32):
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
            rec = {"epoch": epoch, "loss": round(tl / len(xtr), 5), "acc": round(tc / len(xtr), 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 5),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        if epoch % 10 == 0 or epoch < 10:
            print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epochs": epochs,
                "bands": ["B4", "B5", "B6", "B7", "B8", "B11"]}, out / "beetle_mlp_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="beetle_mlp_last.pt", log="beetle_history.jsonl",
           what="1.9 M-parameter MLP, 320 training stands, 60 epochs, no regularisation",
           complaint="Bark beetle detector: training accuracy reaches 100 % by epoch 8 and the training "
                     "loss is 0.00002 at the end, but the validation loss is lowest at epoch 2 (0.60) "
                     "and climbs to 2.19 by epoch 60, with validation accuracy stuck around 0.75. "
                     "The checkpoint I kept is the last one.")


if __name__ == "__main__":
    main()
