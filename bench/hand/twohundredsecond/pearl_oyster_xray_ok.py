"""Plain torch: a small CNN with batch norm tells from a 16×16 X-ray of a pearl oyster (grey,
after a dive's haul is sorted on deck) whether it carries a pearl: the shell is a bright ring
with growth-line texture, the meat a soft blob, a pearl a small dense round spot (radius 0.8–1.6
px) at a random place inside the shell; empty shells sometimes have a grain of sand (a fainter,
smaller spot) to make it harder. About 40 % of the oysters carry a pearl.
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, global max pool,
Linear(32→1), ``BCEWithLogitsLoss``; SGD momentum 0.9, lr 0.02, weight decay 5e-4, batch 32,
12 epochs of 1024 X-rays. Checkpoint ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``,
log ``xray_log.csv`` (epoch, train_loss, val_loss, val_acc).
Healthy: val accuracy 0.957 after epoch 1, a dip to 0.895 at epoch 2 (val loss 0.28), then
0.97–0.99, 0.988 at epoch 12; val loss 0.106 → 0.050; train loss 0.33 → 0.002 (below the val
loss from epoch 4, a little overfit but val keeps improving)."""
import csv

import torch
import torch.nn as nn

S = 16


def xrays(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = (torch.rand(n, generator=g) < 0.4).float()
    cy = 7.5 + torch.randn(n, 1, 1, generator=g) * 0.7
    cx = 7.5 + torch.randn(n, 1, 1, generator=g) * 0.7
    r = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
    rad = 5.5 + torch.rand(n, 1, 1, generator=g)
    img = 0.8 * torch.exp(-((r - rad) ** 2) / 0.8)
    img = img + 0.1 * torch.sin(r * 3 + torch.rand(n, 1, 1, generator=g) * 6) * (r < rad)
    img = img + 0.35 * torch.exp(-((r / 3.5) ** 2))
    ang = torch.rand(n, 1, 1, generator=g) * 6.283
    dist = torch.rand(n, 1, 1, generator=g) * 3.5
    py, px = cy + dist * torch.sin(ang), cx + dist * torch.cos(ang)
    pr = 0.8 + 0.8 * torch.rand(n, 1, 1, generator=g)
    spot = torch.exp(-((yy - py) ** 2 + (xx - px) ** 2) / pr ** 2)
    sand = (torch.rand(n, generator=g) < 0.5).float()
    amp = torch.where(y > 0, torch.full((n,), 0.9), 0.35 * sand)[:, None, None]
    img = img + amp * torch.where(y[:, None, None] > 0, spot,
                                  torch.exp(-((yy - py) ** 2 + (xx - px) ** 2) / 0.4))
    img = img + 0.12 * torch.randn(img.shape, generator=g)
    return ((img - 0.3) / 0.3)[:, None], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3, padding=1),
                         nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(),
                         nn.Linear(32, 1))


def main():
    from _twohundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = xrays(1024, g)
    xva, yva = xrays(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.BCEWithLogitsLoss()
    f = open(out / "xray_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    for epoch in range(12):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = loss_fn(model(xb).squeeze(1), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lv = model(xva).squeeze(1)
            vl = loss_fn(lv, yva).item()
            va = ((lv > 0).float() == yva).float().mean().item()
        w.writerow([epoch + 1, round(tot / len(train), 4), round(vl, 4), round(va, 4)])
        print(epoch + 1, round(tot / len(train), 4), round(vl, 4), round(va, 4))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12}, out / "oyster_xray.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="oyster_xray.pt",
           log="xray_log.csv",
           what="BN CNN spotting a pearl in a pearl-oyster X-ray, binary head (healthy)")


if __name__ == "__main__":
    main()
