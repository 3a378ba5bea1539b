"""Concentric-rings data (3 classes: inner disc, middle ring, outer ring, 2 features + 4 noise
features) and a "simple baseline first" model that never got upgraded: one ``nn.Linear(6, 3)``,
i.e. multinomial logistic regression, RMSprop 1e-2, 20 epochs, JSON-lines log. Bug:
underfitting -- a linear boundary cannot separate rings; train and val loss both sit at 1.10
(= ln 3) and accuracy ~0.33, the two curves on top of each other from epoch 1."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def rings(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    r = y.float() + 0.15 + 0.7 * torch.rand(n, generator=g)
    a = 6.2832 * torch.rand(n, generator=g)
    pts = torch.stack([r * a.cos(), r * a.sin()], 1) / 1.5
    return torch.cat([pts, torch.randn(n, 4, generator=g)], 1), y


class Baseline(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(6, 3)

    def forward(self, x):
        return self.linear(x)


def build():
    torch.manual_seed(0)
    return Baseline()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = rings(3000, g), rings(1000, g)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-2)
    with open(out / "train.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            for i in range(0, len(x), 100):
                idx = perm[i:i + 100]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            rec = {"epoch": epoch, "train_loss": tot / len(x), "train_acc": hit / len(x),
                   "val_loss": F.cross_entropy(vo, vy).item(),
                   "val_acc": (vo.argmax(1) == vy).float().mean().item()}
            log.write(json.dumps(rec) + "\n")
    print(rec)
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "baseline.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["underfitting"],
           checkpoint="baseline.pt", log="train.jsonl",
           what="a single Linear layer (logistic regression) on concentric rings",
           complaint=("train and val loss identical and stuck "
                      "at 1.10, accuracy 33%. more epochs dont help"))


if __name__ == "__main__":
    main()
