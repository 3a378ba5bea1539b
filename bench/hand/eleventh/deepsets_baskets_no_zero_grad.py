"""DeepSets regression: the total delivery weight class of a shopping basket from its items
(5-30 items per basket, each item a 4-number vector: unit weight, volume, is-liquid,
is-fragile; padded to 30 with a mask). phi = MLP 4-64-64 per item, masked sum-pool, rho =
MLP 64-64-1; the target is a standardised, non-linear function of the basket (heavy items,
liquids and fragile items count extra). Adam 1e-3, batch 64, 12 epochs, a CSV per epoch.
Bug: ``optimizer.zero_grad()`` was dropped when the loop was rewritten to log per batch, so
every step uses the sum of all gradients since the start: the val MSE jumps around between
0.38 and 1.36 from epoch to epoch (1.36 at epoch 5, 0.38 at the end; the target has variance
1) (with zero_grad: val MSE 0.12-0.13 in the last epochs)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_ITEMS = 30


def baskets(n, g):
    k = torch.randint(5, MAX_ITEMS + 1, (n,), generator=g)
    mask = (torch.arange(MAX_ITEMS)[None] < k[:, None]).float()
    weight = torch.rand(n, MAX_ITEMS, generator=g) ** 2 * 5
    volume = weight * (0.5 + torch.rand(n, MAX_ITEMS, generator=g))
    liquid = (torch.rand(n, MAX_ITEMS, generator=g) < 0.2).float()
    fragile = (torch.rand(n, MAX_ITEMS, generator=g) < 0.15).float()
    items = torch.stack([weight, volume, liquid, fragile], -1) * mask[..., None]
    per_item = weight + 0.5 * F.relu(weight - 3) ** 2 + 1.5 * liquid * weight + 0.8 * fragile
    y = torch.log1p((per_item * mask).sum(1))
    return items, mask, y


class DeepSets(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(4, d), nn.ReLU(), nn.Linear(d, d), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 1))

    def forward(self, items, mask):
        pooled = (self.phi(items) * mask[..., None]).sum(1) / MAX_ITEMS
        return self.rho(pooled).squeeze(-1)


def build():
    torch.manual_seed(0)
    return DeepSets()


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    items, mask, y = baskets(4000, g)
    mu, sd = y[:3200].mean(), y[:3200].std()
    y = (y - mu) / sd
    x, m, t = items[:3200], mask[:3200], y[:3200]
    vx, vm, vt = items[3200:], mask[3200:], y[3200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "batch", "train_mse", "val_mse"])
    for epoch in range(12):
        model.train()
        for b, idx in enumerate(torch.randperm(len(t), generator=g).split(64)):
            loss = F.mse_loss(model(x[idx], m[idx]), t[idx])
            loss.backward()  # BUG: no optimizer.zero_grad() anywhere in the loop
            opt.step()
            if b % 10 == 0:
                w.writerow([epoch, b, loss.item(), ""])
        model.eval()
        with torch.no_grad():
            vl = F.mse_loss(model(vx, vm), vt).item()
        w.writerow([epoch, b, "", vl])
        print(epoch, round(loss.item(), 4), round(vl, 4))
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "deepsets.ckpt")
    finish(out, __file__, {"inputs": vx[:128], "mask": vm[:128], "targets": vt[:128]},
           causes=["missing_zero_grad"], checkpoint="deepsets.ckpt", log="metrics.csv",
           what="DeepSets basket regression, optimizer.zero_grad() missing",
           complaint="basket weight model: the loss goes up and down wildly from batch to batch "
                     "and the val MSE jumps between 0.4 and 1.4 between epochs instead of settling")


if __name__ == "__main__":
    main()
