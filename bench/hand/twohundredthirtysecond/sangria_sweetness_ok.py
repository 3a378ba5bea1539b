"""Plain torch: an MLP predicts a tasting panel's sweetness score (0-10) for a bar's sangria
pitcher from 9 recipe numbers (wine residual sugar, brandy ml, sugar g, orange slices, apple
cubes, soak hours, soda ml, ice minutes, cinnamon sticks), standardised with the training
set's mean and std. The score is a nonlinear mix (sugar dissolves with soak time, soda and
melting ice dilute, brandy reads as less sweet) plus panel noise (std 0.6).
MLP 9-64-32-1 with ReLU, Adam 2e-3 with weight decay 1e-4, batch 64, 30 epochs of 1024
pitchers, MSE loss. Log: JSON lines per epoch (``mse``, ``val_mse``, ``val_mae``). Checkpoint
``{"net", "opt", "epoch", "step"}``.
Healthy: val MSE 11.6 after epoch 1, 0.84 at 5, 0.74 at 10, 0.61 at 20, 0.54 at 30 (the panel
noise alone is 0.36), val MAE 0.58; train MSE 0.42 at epoch 30, a slow plateau after epoch 5."""
import json

import torch
import torch.nn as nn


def pitchers(n, g):
    raw = torch.stack([
        torch.rand(n, generator=g) * 8,            # wine residual sugar g/l
        torch.rand(n, generator=g) * 80,           # brandy ml
        torch.rand(n, generator=g) * 120,          # sugar g
        torch.randint(0, 6, (n,), generator=g).float(),   # orange slices
        torch.randint(0, 10, (n,), generator=g).float(),  # apple cubes
        torch.rand(n, generator=g) * 12,           # soak hours
        torch.rand(n, generator=g) * 300,          # soda ml
        torch.rand(n, generator=g) * 40,           # ice minutes
        torch.randint(0, 3, (n,), generator=g).float(),   # cinnamon sticks
    ], 1)
    dissolved = raw[:, 2] / 120 * (1 - torch.exp(-raw[:, 5] / 3))
    dilution = 1 + raw[:, 6] / 300 + raw[:, 7] / 40
    score = (2 + 6 * dissolved / dilution + 0.15 * raw[:, 0] + 0.12 * raw[:, 3]
             + 0.08 * raw[:, 4] - 0.015 * raw[:, 1] + 0.3 * raw[:, 8])
    return raw, (score + 0.6 * torch.randn(n, generator=g)).clamp(0, 10)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _twohundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = pitchers(1024, g)
    rva, yva = pitchers(256, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    step = 0
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 64):
                idx = perm[i:i + 64]
                loss = nn.functional.mse_loss(model(xtr[idx]).squeeze(1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pv = model(xva).squeeze(1)
            rec = {"epoch": epoch + 1, "step": step, "mse": round(tot / 1024, 4),
                   "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 4),
                   "val_mae": round((pv - yva).abs().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30, "step": step},
               out / "sweetness_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="sweetness_mlp.pt",
           log="train_log.jsonl",
           what="MLP regressing sangria sweetness from standardised recipe numbers (healthy)")


if __name__ == "__main__":
    main()
