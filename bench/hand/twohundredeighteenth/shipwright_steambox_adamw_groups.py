"""Plain torch: a boatyard's shipwrights log how long each oak plank had to stay in the steam
box before it took its bend without cracking, and an MLP learns to predict it (minutes) from
10 numbers: thickness (mm), width, length, moisture content, wood density, grain run-out,
bend radius, twist, air temperature and whether the plank is from a butt log. The old rule is
"an hour per inch"; thicker, drier, denser, tighter bends need longer, with an interaction
(dry and thick) and noise (3 min). Targets are the minutes themselves (mean 97, std 30),
inputs standardised. MLP 10-64-64-1 with LayerNorm, AdamW 1e-2 with two parameter groups
("decay" for weights, "no_decay" for biases and LayerNorm), batch 32, 30 epochs of 768 planks.
A CSV row per epoch (``epoch``, ``train_mse``, ``val_mse``, ``val_mae_min``); checkpoint
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``.
The bug: the ``no_decay`` group was copied from the ``decay`` one and keeps
``"weight_decay": WD`` (0.3) instead of 0.0, so the biases and LayerNorm gains are decayed too.
Val MSE 8315 → 370 at epoch 10 → 193–232 from epoch 15 on (195 at 30), val MAE 7.9 min,
train MSE stuck at 137–156 from epoch 20 (the noise alone is 9).
Control (``{"params": no_decay, "weight_decay": 0.0}``): val MSE 164 at epoch 10, 69 at 20,
51 at 30, val MAE 4.6 min, train MSE 34."""
import csv
import sys

import torch
import torch.nn as nn

WD = 0.3


def planks(n, g):
    z = torch.randn(n, 10, generator=g)
    thick = 38 + 12 * z[:, 0]
    minutes = (thick / 25.4 * 60 + 8 * torch.relu(-z[:, 3]) * (1 + 0.5 * z[:, 0].clamp(min=0))
               + 6 * z[:, 4] - 7 * z[:, 6] + 4 * z[:, 5].abs() + 3 * (z[:, 9] > 0.5).float()
               + 3 * torch.randn(n, generator=g))
    return z, minutes.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.LayerNorm(64), nn.ReLU(),
                         nn.Linear(64, 64), nn.LayerNorm(64), nn.ReLU(), nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = planks(768, g)
    xva, yva = planks(256, g)
    model = build()
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD},
                             {"params": no_decay, "weight_decay": WD}], lr=1e-2)
    rows = []
    for epoch in range(30):
        model.train()
        perm = torch.randperm(768, generator=g)
        tot = 0.0
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
        rows.append({"epoch": epoch + 1, "train_mse": round(tot / 768, 3),
                     "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 3),
                     "val_mae_min": round((pv - yva).abs().mean().item(), 3)})
        print(rows[-1])
    with open(out / "steambox.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30}, out / "steambox_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="steambox_mlp.pt", log="steambox.csv",
           what="shipwright steam-box time MLP regressor, AdamW no_decay group with weight decay",
           complaint=("We log how long each oak plank needs in the steam box and trained a "
                      "small network to predict it in minutes. It levels off at about 8 minutes "
                      "mean absolute error (val MSE around 195) and the training MSE sits "
                      "at 140-150 for the last ten epochs; the steaming times in our book are "
                      "only a few minutes off the rule when you account for moisture and bend. "
                      "More epochs? A bigger net?"))


if __name__ == "__main__":
    main()
