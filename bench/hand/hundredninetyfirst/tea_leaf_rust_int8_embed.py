"""Plain torch: a CNN with batch norm sorts 20×20 leaf photos from a tea plantation's scouting
app into healthy, blister blight (pale round blisters with a dark ring) and red rust (many small
orange-brown specks along the veins); grey-scale, leaf texture and vein lines are random, lighting
varies. Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, global max
pool → 32-d embedding → Linear(32→3); Adam 2e-3, batch 32, 10 epochs of 960 photos, shuffled.
CSV log per epoch (``epoch``, ``train_loss``, ``valid_loss``, ``valid_acc``); checkpoint keys
``model`` / ``optim`` / ``epoch``.
The bug: the embedding goes to the estate's scouting phones as int8, so ``forward``
fake-quantises it in training with ``emb = torch.round(emb.clamp(-4, 4) * 32) / 32``, with no
straight-through trick: ``round`` has a zero gradient everywhere, so no gradient reaches the
convolutions and only the last Linear learns, on fixed random features. Train loss
1.08 → 0.62 in 10 epochs, creeping down; valid loss 0.61, valid accuracy 0.40 → 0.84.
Control (the same line as a straight-through estimator,
``emb = emb + (torch.round(emb.clamp(-4, 4) * 32) / 32 - emb).detach()``): train loss 0.41
after epoch 1, 0.008 at epoch 10; valid loss 0.03, valid accuracy 0.97 at epoch 2, 0.99 at
epoch 10."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 20


def leaves(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    img = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=(S, S), mode="bilinear") * 0.4
    ang = torch.rand(n, generator=g) * 3.1416
    for i in range(n):
        d = (xx - S / 2) * torch.sin(ang[i]) - (yy - S / 2) * torch.cos(ang[i])
        img[i, 0] += 0.3 * torch.exp(-d ** 2 / 1.5)  # midrib
        if y[i] == 1:
            for _ in range(int(torch.randint(1, 3, (1,), generator=g))):
                cy, cx = (3 + 14 * torch.rand(2, generator=g)).tolist()
                r = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
                img[i, 0] += 0.8 * torch.exp(-r ** 2 / 4) - 0.6 * torch.exp(-(r - 3) ** 2 / 0.8)
        elif y[i] == 2:
            for _ in range(int(torch.randint(6, 12, (1,), generator=g))):
                cy, cx = (1 + 18 * torch.rand(2, generator=g)).tolist()
                img[i, 0] -= 0.7 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 0.6)
    img = img * (0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g))
    img = img + 0.1 * torch.randn(img.shape, generator=g)
    return (img - 0.3) / 0.3, y


class LeafNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        emb = self.features(x).amax((2, 3))
        emb = torch.round(emb.clamp(-4, 4) * 32) / 32  # int8 on the phones: train as deployed
        return self.head(emb)


def build():
    torch.manual_seed(0)
    return LeafNet()


def main():
    from _hundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = leaves(960, g)
    xva, yva = leaves(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(960, generator=g)
        tot = 0.0
        for i in range(0, 960, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append({"epoch": epoch, "train_loss": round(tot / 960, 4),
                     "valid_loss": round(loss_fn(lv, yva).item(), 4),
                     "valid_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "scouting_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 10},
               out / "leafnet.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="leafnet.pt", log="scouting_log.csv",
           complaint="茶园叶片病害分类（健康 / 茶饼病 / 赤锈病）训练了 10 个 epoch，训练损失从 1.08 "
                     "降得很慢，最后还有 0.62，验证准确率只有 0.84。病斑肉眼一看就分得出来，按理应该"
                     "接近 100%。是数据有问题还是模型太小？",
           what="BN-CNN tea leaf disease classifier with an int8 fake-quantised embedding (round)")


if __name__ == "__main__":
    main()
