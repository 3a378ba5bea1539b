"""BranchyNet-style early-exit CNN on synthetic 32×32 RGB images, 5 classes (stripes
horizontal / vertical / diagonal, checks, dots) in random colours, scale and phase under noise;
3 % of the labels are wrong. Three conv stages (16, 32, 48 channels, BatchNorm, ReLU,
max-pool); a side exit after stage 1 and one after stage 2 (each a small conv + global
average pool + linear), the final exit after stage 3. The loss is the weighted sum
0.3 · CE(exit1) + 0.3 · CE(exit2) + 1.0 · CE(final). Adam 2e-3, batch 64, 6 epochs; the
JSON-lines log holds per epoch the weighted train loss, each exit's train CE, the weighted val
loss and each exit's val accuracy. Healthy: the final exit reaches about 0.97, the side exits
lower (exit 1 sees only local texture), the weighted loss sits above a plain CE because it
sums three terms."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 5
WEIGHTS = (0.3, 0.3, 1.0)


def images(n, g):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, CLASSES, (n,), generator=g)
    period = 3 + 4 * torch.rand(n, 1, 1, generator=g)
    phase = 6.3 * torch.rand(n, 1, 1, generator=g)
    waves = [torch.sin(yy / period * 2 + phase), torch.sin(xx / period * 2 + phase),
             torch.sin((xx + yy) / period * 1.4 + phase),
             torch.sin(xx / period * 2 + phase) * torch.sin(yy / period * 2 + phase),
             (torch.sin(xx / period * 2 + phase) * torch.sin(yy / period * 2 + phase) > 0.6)
             .float() * 2 - 1]
    pat = torch.stack(waves, 1)[torch.arange(n), y]  # (n, 32, 32)
    colour = torch.rand(n, 3, 1, 1, generator=g) * 0.8 + 0.2
    x = colour * pat[:, None] * 0.6 + 0.35 * torch.randn(n, 3, 32, 32, generator=g)
    flip = torch.rand(n, generator=g) < 0.03
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return x, y


def stage(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.MaxPool2d(2))


def side_exit(c):
    return nn.Sequential(nn.Conv2d(c, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(32, CLASSES))


class BranchyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.s1, self.s2, self.s3 = stage(3, 16), stage(16, 32), stage(32, 48)
        self.exit1, self.exit2 = side_exit(16), side_exit(32)
        self.final = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(48, CLASSES))

    def forward(self, x):
        h1 = self.s1(x)
        h2 = self.s2(h1)
        return self.exit1(h1), self.exit2(h2), self.final(self.s3(h2))


def build():
    torch.manual_seed(0)
    return BranchyNet()


def main():
    from _sixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = images(1500, g)
    ntr = 1200
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "branchy_log.jsonl", "w")
    for epoch in range(6):
        model.train()
        sums, nb = [0.0] * 4, 0
        for idx in torch.randperm(ntr, generator=g).split(64):
            ces = [F.cross_entropy(o, y[idx]) for o in model(x[idx])]
            loss = sum(w * c for w, c in zip(WEIGHTS, ces, strict=True))
            opt.zero_grad()
            loss.backward()
            opt.step()
            for k, v in enumerate([loss] + ces):
                sums[k] += v.item()
            nb += 1
        model.eval()
        with torch.no_grad():
            outs = model(x[ntr:])
            vloss = sum(w * F.cross_entropy(o, y[ntr:])
                        for w, o in zip(WEIGHTS, outs, strict=True)).item()
            accs = [(o.argmax(1) == y[ntr:]).float().mean().item() for o in outs]
        rec = {"epoch": epoch, "loss_weighted": round(sums[0] / nb, 4),
               "ce_exit1": round(sums[1] / nb, 4), "ce_exit2": round(sums[2] / nb, 4),
               "ce_final": round(sums[3] / nb, 4), "val_loss_weighted": round(vloss, 4),
               "val_acc_exit1": round(accs[0], 4), "val_acc_exit2": round(accs[1], 4),
               "val_acc_final": round(accs[2], 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 6, "exit_weights": WEIGHTS}, out / "branchynet.tar")
    finish(out, __file__, (x[ntr:ntr + 64], y[ntr:ntr + 64]), causes=[],
           checkpoint="branchynet.tar", log="branchy_log.jsonl",
           what="BranchyNet early-exit CNN, 3 exits, weighted CE sum, 3 % label noise (healthy)")


if __name__ == "__main__":
    main()
