"""Plain torch: a small CNN with batch norm tells three farmed seaweeds apart from a 16×16
grey close-up of a frond taken on a seaweed farm's sorting table: sugar kelp (long parallel
ridges along the blade, low frequency), dulse (fine irregular blotches) and sea lettuce
(smooth thin sheet with small holes). Texture orientation, ridge spacing, blotch size and
lighting vary; sensor noise on top.
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, global average pool,
Linear(32→3); SGD momentum 0.9, lr 0.03, batch 32, 15 epochs of 1024 patches,
``ExponentialLR(gamma=0.85)`` meant as "lr × 0.85 every epoch".
The bug: ``scheduler.step()`` is called right after ``opt.step()`` inside the batch loop, so
the lr is multiplied by 0.85 at each of the 32 batches of an epoch: 0.03 → 1.6e-4 by the end
of epoch 1 and ~1e-35 at the end. Train loss 0.70 → 0.57 in epoch 2 and flat (0.566–0.576)
for the rest, val loss 0.549–0.570, val accuracy 0.875–0.902 (0.879 at epoch 15).
Control (``scheduler.step()`` once per epoch, after the validation): val accuracy 0.945
after epoch 1, 1.00 from epoch 5 (0.996–1.00), val loss 0.144 → 0.0066, train loss 0.014.
Checkpoint ``state_dict`` / ``optimizer`` / ``scheduler`` / ``epoch``; log ``history.tsv`` per
epoch (epoch, lr, train_loss, val_loss, val_acc)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    th = 3.1416 * torch.rand(n, 1, 1, generator=g)
    u = xx[None] * torch.cos(th) + yy[None] * torch.sin(th)
    period = 3.5 + 2 * torch.rand(n, 1, 1, generator=g)
    kelp = torch.sin(6.283 * u / period)
    fine = F.interpolate(torch.randn(n, 1, 6, 6, generator=g), size=(S, S), mode="bilinear",
                         align_corners=False)[:, 0]
    dulse = 1.6 * fine * (0.7 + 0.6 * torch.rand(n, 1, 1, generator=g))
    smooth = F.interpolate(torch.randn(n, 1, 2, 2, generator=g), size=(S, S), mode="bilinear",
                           align_corners=False)[:, 0] * 0.3
    cy, cx = (S * torch.rand(n, 2, 1, 1, generator=g)).unbind(1)
    holes = -1.5 * torch.exp(-((yy[None] - cy) ** 2 + (xx[None] - cx) ** 2) / 2.5)
    lettuce = smooth + holes
    img = torch.where((y == 0)[:, None, None], kelp, torch.where((y == 1)[:, None, None], dulse,
                                                                   lettuce))
    img = img * (0.6 + 0.8 * torch.rand(n, 1, 1, generator=g)) + 0.4 * torch.rand(n, 1, 1,
                                                                                     generator=g)
    return (img + 0.35 * torch.randn(img.shape, generator=g))[:, None], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3, padding=1),
                         nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(32, 3))


def main():
    from _twohundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1024, g)
    xva, yva = patches(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
    hist = open(out / "history.tsv", "w")
    hist.write("epoch\tlr\ttrain_loss\tval_loss\tval_acc\n")
    for epoch in range(15):
        model.train()
        tot = 0.0
        lr = opt.param_groups[0]["lr"]
        for xb, yb in train:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            scheduler.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = F.cross_entropy(lv, yva).item()
            acc = (lv.argmax(1) == yva).float().mean().item()
        hist.write(f"{epoch}\t{lr:.3g}\t{tot / len(xtr):.4f}\t{vl:.4f}\t{acc:.4f}\n")
        print(epoch, f"{lr:.3g}", round(tot / len(xtr), 4), round(vl, 4), round(acc, 4))
    hist.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": 15}, out / "frond_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="frond_cnn.pt", log="history.tsv",
           what="BN CNN seaweed frond species classifier: per-epoch ExponentialLR(0.85) stepped"
                " every batch, lr ~0 after epoch 1",
           complaint=("My seaweed sorter CNN (kelp / dulse / sea lettuce from 16x16 frond "
                      "close-ups) stops improving after the first epoch. Train loss goes 0.70 -> 0.57 and "
                      "then sits at 0.57 for 14 more epochs, val loss is 0.55-0.57 the whole time and "
                      "val accuracy wobbles between 0.875 and 0.90. SGD lr 0.03, momentum 0.9, "
                      "exponential decay 0.85 per epoch. Do I need a deeper network?"))


if __name__ == "__main__":
    main()
