"""Deep Sets for multiple-instance learning: each bag holds 16 instances of 6 features, and a
bag is positive when at least one instance lies near a hidden "witness" prototype (about
half the bags). phi (6-64-64, ReLU) on every instance, sum over the instances, rho (64-32-1)
on the pooled vector; BCEWithLogits, Adam lr 1e-3, batch 64, 25 epochs over 2000 bags, 500
held out. ``metrics.jsonl`` has one line per epoch (train_loss, val_loss, val_acc)."""
import json

import torch
import torch.nn as nn

N_INST, D = 16, 6


def bags(n, g):
    proto = torch.tensor([1.5, -1.0, 0.5, 1.0, -1.5, 0.0])
    x = torch.randn(n, N_INST, D, generator=g)
    pos = torch.rand(n, generator=g) < 0.5
    slot = torch.randint(0, N_INST, (n,), generator=g)
    x[pos, slot[pos]] = proto + 0.3 * torch.randn(int(pos.sum()), D, generator=g)
    near = ((x - proto).norm(dim=-1) < 1.2).any(1)
    return x, near.float()


class DeepSet(nn.Module):
    def __init__(self):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):  # x: (batch, instances, features)
        return self.rho(self.phi(x).sum(1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return DeepSet()


def main():
    from _eighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bags(2500, g)
    tx, ty, vx, vy = x[:2000], y[:2000], x[2000:], y[2000:]
    print("positive bags", round(y.mean().item(), 3))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = nn.BCEWithLogitsLoss()
    with open(out / "metrics.jsonl", "w") as f:
        for epoch in range(25):
            model.train()
            tot = 0.0
            for idx in torch.randperm(2000, generator=g).split(64):
                loss = lossf(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(vx)
                rec = {"epoch": epoch, "train_loss": round(tot / 2000, 4),
                       "val_loss": round(lossf(lo, vy).item(), 4),
                       "val_acc": round(((lo > 0).float() == vy).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "deepset.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="deepset.pt",
           log="metrics.jsonl", what="Deep Sets multiple-instance classifier, sum pooling")


if __name__ == "__main__":
    main()
