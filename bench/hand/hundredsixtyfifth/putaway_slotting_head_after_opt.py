"""Plain torch: putaway slotting. An MLP over 24 SKU features (weekly picks, cube, weight, order
co-occurrence scores, …, standardised) was first trained on the old 3-zone scheme (slow / fast
/ bulk, 8 epochs); the warehouse moved to 5 zones (golden zone, fast, medium, slow, bulk), so the
person freezes the backbone for a linear probe, creates the optimizer, and then swaps in the new
5-way head ``model.head = nn.Linear(64, 5)`` — after ``torch.optim.Adam(model.parameters())``,
so the new head's weights are not in the optimizer. Adam 3e-3, batch 128, 15 epochs of 2048
SKUs on the 5-zone labels. Checkpoint ``{"weights", "optimizer", "zones", "epoch"}``; JSON-lines
log (``epoch``, ``step``, ``train_loss``, ``val_loss``, ``val_top1``).
Broken: the new head never trains. Run: train loss 1.8994, val loss 1.7866, val top-1 0.2461 in
all 15 epochs (identical). Control (head swapped before the optimizer): train loss 1.41 → 0.53,
val loss 0.66, val top-1 0.71 (the velocity bins are noisy)."""
import json

import torch
from torch import nn

F_IN = 24


class Slotter(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(F_IN, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.head = nn.Linear(64, k)

    def forward(self, x):
        return self.head(self.backbone(x))


def skus(n, g):
    w = torch.randn(F_IN, generator=torch.Generator().manual_seed(3))
    x = torch.randn(n, F_IN, generator=g)
    velocity = x @ w / w.norm() + 0.3 * torch.randn(n, generator=g)
    bulky = x[:, 1] + x[:, 2] > 1.2
    y3 = torch.where(bulky, 2, (velocity > 0).long())  # old scheme: slow / fast / bulk
    y5 = torch.bucketize(velocity, torch.tensor([-0.6, 0.2, 1.0]))  # slow, medium, fast, golden
    y5 = torch.where(bulky, torch.full_like(y5, 4), y5)
    return x, y3, y5


def build():
    torch.manual_seed(0)
    return Slotter(5)


def main():
    from _hundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y3, y5 = skus(2560, g)
    xtr, xva = x[:2048], x[2048:]
    lossf = nn.CrossEntropyLoss()
    torch.manual_seed(0)
    model = Slotter(3)  # stage 1: old 3-zone scheme
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(8):
        perm = torch.randperm(2048, generator=g)
        for i in range(0, 2048, 128):
            idx = perm[i:i + 128]
            loss = lossf(model(xtr[idx]), y3[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    # stage 2: new 5-zone scheme, linear probe on the learned features
    for p in model.backbone.parameters():
        p.requires_grad = False
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.head = nn.Linear(64, 5)
    ytr, yva = y5[:2048], y5[2048:]
    step = 0
    with open(out / "probe.jsonl", "w") as f:
        for ep in range(15):
            model.train()
            perm = torch.randperm(2048, generator=g)
            tot = 0.0
            for i in range(0, 2048, 128):
                idx = perm[i:i + 128]
                loss = lossf(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": ep, "step": step, "train_loss": round(tot / 2048, 4),
                   "val_loss": round(lossf(lv, yva).item(), 4),
                   "val_top1": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "optimizer": opt.state_dict(),
                "zones": ["slow", "medium", "fast", "golden", "bulk"], "epoch": 15},
               out / "slotter.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["params_not_in_optimizer"],
           checkpoint="slotter.pt", log="probe.jsonl",
           what="putaway slotting MLP, new 5-zone head created after the optimizer",
           complaint=("新的5个分区的线性探测训练了15个epoch，train loss 一直是 1.8994，val loss 1.7866，val top1 0.2461，每个epoch数字完全一样，一点都没变。backbone 是冻结的没错，但是 head 应该在学啊？"))


if __name__ == "__main__":
    main()
