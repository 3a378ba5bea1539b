"""Plain torch: an MLP estimates a steer's live weight (kg) on a gaucho ranch in the pampa from
12 numbers the peons note at the chute (heart girth, body length, hip height, age in months,
pasture quality score, days on pasture, breed share, ...); the weight is a smooth nonlinear
function of girth, length and age plus 4 % noise. MLP 12-64-64-1 with SiLU, AdamW 2e-3
(weight decay 1e-4), batch 64, 40 epochs of 1024 steers, MSE on standardised weight.
Log: JSON lines, one per epoch (``epoch``, ``train_mse``, ``val_mse``, ``val_mae_kg``).
Healthy: val MAE 40.3 kg after epoch 1, 19.4 at epoch 5, 18.2 at 10, 16.7 at 40 (the 4 %
noise alone is ~15 kg); val MSE 0.40 → 0.069, below the train MSE at epoch 1 (the train MSE is
the epoch's running mean), slightly above it later (0.054)."""
import json

import torch
import torch.nn as nn


def steers(n, g):
    x = torch.randn(n, 12, generator=g)
    girth, length, age = 1.9 + 0.12 * x[:, 0], 1.5 + 0.1 * x[:, 1], 24 + 6 * x[:, 2]
    kg = 90 * girth ** 2 * length * (1 + 0.1 * torch.tanh(x[:, 3])) * (0.7 + 0.3 * torch.sigmoid(
        (age - 18) / 4)) + 15 * x[:, 4].clamp(min=0)
    kg = kg * (1 + 0.04 * torch.randn(n, generator=g))
    return x, kg


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, kgtr = steers(1024, g)
    xva, kgva = steers(256, g)
    mu, sd = kgtr.mean(), kgtr.std()
    ytr, yva = ((kgtr - mu) / sd)[:, None], ((kgva - mu) / sd)[:, None]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(1, 41):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "train_mse": round(tot / 1024, 5),
                   "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 5),
                   "val_mae_kg": round(((pv - yva).abs().mean() * sd).item(), 2)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 40, "target_mean": mu, "target_std": sd}, out / "steer_weight.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="steer_weight.pt",
           log="train_log.jsonl",
           what="MLP regressing a ranch steer's live weight from chute measurements (healthy)")


if __name__ == "__main__":
    main()
