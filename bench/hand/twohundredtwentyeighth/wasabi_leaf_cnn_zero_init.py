"""Plain torch: a wasabi farm photographs leaves from its beds (20 x 20 grey crops) and tags
three problems, any combination of them: dark leaf spot (Phoma, round dark blotches), yellowing
(the whole blade pale, worst at the rim) and soft rot (a wet dark stripe up the stalk at the
leaf's base). Leaves are drawn as a heart-shaped blade with veins, random size, position and
brightness, with the problems painted in, plus noise; each label is present in 30-45 % of
leaves. CNN without normalisation (conv 1→16 k3, ReLU, pool, conv 16→32 k3, ReLU, pool,
Linear 512→64, ReLU, Linear 64→3), BCE-with-logits, Adam 2e-3, batch 64, 10 epochs of 1536
leaves, 256 validation leaves. Per-epoch TSV ``leaf_log.tsv`` (``epoch`` / ``bce`` /
``val_bce`` / ``val_f1`` / ``val_exact``); checkpoint keys ``net`` / ``opt`` / ``epoch``.

Bug: the hand-written ``init_weights`` applied to every conv and linear layer does
``nn.init.zeros_(m.weight)`` (the line under it zeroes the bias, as intended): every activation
is 0, no gradient reaches any weight, only the last bias learns the label frequencies.
Label rates 0.39 / 0.36 / 0.30. Run: train BCE 0.690 (epoch 1) → 0.656 (10), val BCE
0.686 → 0.651, val F1 0.0 and exact match 0.277 (the healthy leaves) in all 10 epochs. Control
(``nn.init.kaiming_normal_(m.weight, nonlinearity="relu")``): train BCE 0.579 → 0.025, val
BCE 0.442 → 0.046 (epoch 9) / 0.052 (10), val F1 0.736 → 0.975, exact 0.586 → 0.949."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def leaves(n, g):
    yy, xx = torch.meshgrid(torch.arange(20.0), torch.arange(20.0), indexing="ij")
    imgs = torch.zeros(n, 1, 20, 20)
    lab = (torch.rand(n, 3, generator=g) < torch.tensor([0.4, 0.35, 0.3])).float()
    for i in range(n):
        cx, cy = 10 + 2 * float(torch.rand(1, generator=g)) - 1, 9 + 2 * float(torch.rand(1, generator=g))
        r = 6 + 2.5 * float(torch.rand(1, generator=g))
        d = ((xx - cx) ** 2 + (yy - cy) ** 2).sqrt()
        blade = (d < r).float()
        b = 0.6 + 0.3 * float(torch.rand(1, generator=g))
        vein = ((xx - cx).abs() < 0.6).float() * blade * 0.2
        im = b * blade - vein
        if lab[i, 1] > 0:
            im = im + 0.35 * blade * (d / r) ** 2
        if lab[i, 0] > 0:
            for _ in range(2 + int(torch.randint(0, 3, (1,), generator=g))):
                sx, sy = cx + r * 0.7 * (2 * float(torch.rand(1, generator=g)) - 1), cy + r * 0.7 * (2 * float(torch.rand(1, generator=g)) - 1)
                im = im - 0.5 * blade * (((xx - sx) ** 2 + (yy - sy) ** 2) < 2.2).float()
        if lab[i, 2] > 0:
            im = im - 0.45 * (((xx - cx).abs() < 1.5) & (yy > cy + r * 0.4)).float()
        imgs[i, 0] = im + 0.08 * torch.randn(20, 20, generator=g)
    return imgs, lab


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(32 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 3))
    net.apply(init_weights)
    return net


def main():
    from _twohundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = leaves(1792, g)
    print("label rates", y.mean(0).tolist())
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "leaf_log.tsv", "w")
    log.write("epoch\tbce\tval_bce\tval_f1\tval_exact\n")
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        pred = (lo > 0).float()
        tp = (pred * yva).sum()
        f1 = (2 * tp / (pred.sum() + yva.sum()).clamp(min=1)).item()
        exact = (pred == yva).all(1).float().mean().item()
        row = [tot / 24, F.binary_cross_entropy_with_logits(lo, yva).item(), f1, exact]
        log.write(f"{epoch}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
        print(epoch, [round(v, 4) for v in row])
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 10},
               out / "leaf_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="leaf_cnn.pt", log="leaf_log.tsv",
           what="CNN (no norm) tagging wasabi leaf spot, yellowing and soft rot (multi-label,"
                " BCE); weights initialised by a hand-written init_weights",
           complaint="My wasabi leaf-disease tagger never predicts any disease: val F1 is 0.0 in all"
                     " 10 epochs, exact match stays at 0.277 (the all-healthy leaves) and the BCE"
                     " only creeps from 0.690 to 0.656. The spots, yellowing and rot are obvious by"
                     " eye and each is on 30-40 % of leaves. What's wrong?")


if __name__ == "__main__":
    main()
