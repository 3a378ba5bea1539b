"""Plain torch: a small CNN without batch norm looks at a 16 × 16 patch of a bobbin-lace
pricking scan (thread density per cell) and names the ground the lacemaker worked, so old
prickings can be catalogued: torchon ground (0, a diagonal square grid), rose ground (1,
the same grid with blocks of 4 pin holes), kat stitch / point de Paris (2, a hexagon-like
grid of alternating diagonals), honeycomb (3, wide holes on a lattice of 4). Each patch has
its own offset, thread thickness and scanner noise. Input: (1, 16, 16) density, about 0..1.
Model: conv 1→16 (k 3) + ReLU + max-pool 2, conv 16→32 (k 3) + ReLU + max-pool 2, flatten →
linear 512→64 + ReLU → linear 4; cross entropy, Adam 2e-3, batch 64, 8 epochs over 1600
patches, validation on 400.
The bug: an init loop ``nn.init.zeros_(m.weight)`` / ``zeros_(m.bias)`` over every conv and
linear layer ("start from a neutral net"), so every hidden unit gets no gradient and only
the last bias learns: val CE 1.386 flat, val acc 0.2525 (one class for every patch) every
epoch (control, the init loop sed'ed away: val CE 0.42 → 0.0003, val acc 0.9925 → 1.0).
Log: TSV per epoch ``ground_log.tsv`` (``ep`` / ``train_ce`` / ``val_ce`` / ``val_acc``);
checkpoint ``ground_cnn.pt`` with keys ``state_dict`` / ``optimizer`` / ``epoch`` /
``grounds``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

GROUNDS = ["torchon", "rose", "kat", "honeycomb"]


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    i = torch.arange(16).float()
    yy, xx = torch.meshgrid(i, i, indexing="ij")
    ox, oy = torch.randint(0, 8, (n, 1, 1), generator=g), torch.randint(0, 8, (n, 1, 1), generator=g)
    a, b = (xx + ox) % 4, (yy + oy) % 4
    d1, d2 = ((xx + yy + ox + oy) % 4 == 0).float(), ((xx - yy + ox - oy) % 4 == 0).float()
    torchon = torch.maximum(d1, d2)
    rose = torchon * (((xx + ox) % 8 < 4) == ((yy + oy) % 8 < 4)).float() + 0.5 * ((a == 2) & (b == 2)).float()
    kat = torch.maximum(d1, ((xx - yy + ox - oy) % 8 == 0).float()) * ((yy + oy) % 2 == 0).float() + d2 * 0.6
    honey = ((a == 0) | (b == 0)).float() * 0.8
    x = torch.stack([torchon, rose, kat, honey], 1)[torch.arange(n), y]
    x = x * (0.6 + 0.4 * r(n, 1, 1)) + 0.15 * torch.randn(n, 16, 16, generator=g)
    return x.unsqueeze(1), y


class GroundCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return GroundCNN()


def main():
    from _threehundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1600, g)
    xva, yva = patches(400, g)
    torch.manual_seed(0)
    model = build()
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.zeros_(m.weight); nn.init.zeros_(m.bias)  # noqa: E702  start from a neutral net
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "ground_log.tsv", "w") as f:
        f.write("ep\ttrain_ce\tval_ce\tval_acc\n")
        for ep in range(8):
            model.train()
            perm, tot = torch.randperm(len(xtr)), 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            row = [tot / len(xtr), F.cross_entropy(lo, yva).item(), (lo.argmax(1) == yva).float().mean().item()]
            f.write(f"{ep}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(ep, row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 8,
                "grounds": GROUNDS}, out / "ground_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="ground_cnn.pt", log="ground_log.tsv",
           what="CNN without batch norm naming the bobbin-lace ground of a pricking scan patch",
           complaint="The lace ground classifier doesn't learn at all: the validation loss sits"
                     " at 1.386 from the first epoch to the last and it answers the same ground"
                     " for every patch. The four grounds are easy to tell apart by eye on the"
                     " scans, and the same data loader works fine in my other project.")


if __name__ == "__main__":
    main()
