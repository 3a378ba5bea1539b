"""Plain torch loop: an MLP predicts the walking hours of a Nepal trek stage (Annapurna, Langtang,
Everest base-camp routes) from distance (km), ascent and descent (m), start altitude (m), trail
surface (one-hot: path, moraine, snow) and the group size; hours follow a Naismith-style rule
(distance/4 + ascent/500 + descent/1500), slowed above 3500 m by thinning air and on moraine and
snow, plus porter-and-tea-house noise. Inputs are standardised with the training mean/std.
MLP 8→48→48→1 (ReLU), AdamW 3e-3, weight decay 1e-4, batch 64, 25 epochs of 1024 stages,
MSE on hours. Checkpoint ``{"model_state_dict", "optimizer_state_dict", "epoch",
"val_mae"}``; log: JSON lines, one per epoch (``epoch``, ``train_mse``, ``val_mse``,
``val_mae_h``).
Healthy: val MSE 29.6, 5.73, 1.68, 1.00, 0.69 over the first five epochs, then a slow
decline to 0.358 (val MAE 0.45 h) at epoch 25, train MSE 36.2 → 0.318; the val MSE sits a hair
above the train MSE and still inches down (noise floor about 0.2)."""
import json

import torch
import torch.nn as nn


def stages(n, g):
    dist = 4 + 14 * torch.rand(n, generator=g)
    up = 1200 * torch.rand(n, generator=g)
    down = 900 * torch.rand(n, generator=g)
    alt = 1500 + 3800 * torch.rand(n, generator=g)
    surf = torch.randint(0, 3, (n,), generator=g)
    group = torch.randint(1, 13, (n,), generator=g).float()
    hours = dist / 4 + up / 500 + down / 1500
    hours = hours * (1 + 0.25 * ((alt - 3500).clamp(min=0) / 1000))
    hours = hours * torch.tensor([1.0, 1.3, 1.5])[surf] + 0.04 * group
    hours = hours + 0.08 * hours * torch.randn(n, generator=g)
    x = torch.stack([dist, up, down, alt, group], 1)
    x = torch.cat([x, nn.functional.one_hot(surf, 3).float()], 1)
    return x, hours[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                         nn.Linear(48, 1))


def main():
    from _twohundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stages(1024, g)
    xva, yva = stages(256, g)
    mu, sd = xtr[:, :5].mean(0), xtr[:, :5].std(0)
    xtr[:, :5] = (xtr[:, :5] - mu) / sd
    xva[:, :5] = (xva[:, :5] - mu) / sd
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    rows = []
    for epoch in range(25):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 64):
            idx = perm[i:i + 64]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
            vmse = nn.functional.mse_loss(pv, yva).item()
            vmae = (pv - yva).abs().mean().item()
        rows.append({"epoch": epoch + 1, "train_mse": round(tot / 1024, 4),
                     "val_mse": round(vmse, 4), "val_mae_h": round(vmae, 4)})
        print(rows[-1])
    (out / "trek_hours.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 25, "val_mae": vmae}, out / "trek_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="trek_mlp.pth",
           log="trek_hours.jsonl",
           what="MLP regression of Nepal trek stage walking hours (healthy)")


if __name__ == "__main__":
    main()
