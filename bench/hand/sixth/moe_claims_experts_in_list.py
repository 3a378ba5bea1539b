"""A mixture-of-experts MLP for insurance claim severity classes (3 classes, 10 standardised
features, three customer segments that each follow their own rule): a softmax gate over 4
expert MLPs. The experts are kept in a plain Python list, ``self.experts = [...]`` (bug: not an
``nn.ModuleList``, so ``model.parameters()`` never yields them -- RMSprop trains only the gate,
the state_dict has no expert weights, and the "MoE" is a gate mixing 4 random nets; the loss
stays at 1.08 (ln 3 = 1.10), val accuracy 0.42)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def claims(n, g):
    x = torch.randn(n, 10, generator=g)
    seg = (x[:, 0] > 0.5).long() + (x[:, 0] > -0.5).long()
    rules = torch.stack([x[:, 1] + x[:, 2] * x[:, 3], 1.5 * x[:, 4] - x[:, 5] ** 2 + 1,
                         (x[:, 6] * x[:, 7]).sign() * 1.2 + 0.5 * x[:, 8]], 1)
    score = rules[torch.arange(n), seg] + 0.3 * torch.randn(n, generator=g)
    y = (score > -0.4).long() + (score > 0.8).long()
    return x, y


class MoE(nn.Module):
    def __init__(self, d=10, h=32, k=4, classes=3):
        super().__init__()
        self.gate = nn.Linear(d, k)
        self.experts = [nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, classes))
                        for _ in range(k)]  # BUG: should be nn.ModuleList([...])

    def forward(self, x):
        w = F.softmax(self.gate(x), dim=-1)  # (B, k)
        outs = torch.stack([e(x) for e in self.experts], 1)  # (B, k, classes)
        return (w[..., None] * outs).sum(1)


def build():
    torch.manual_seed(0)
    return MoE()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = claims(4000, g), claims(1000, g)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    print("trainable params:", sum(p.numel() for p in model.parameters()))
    log = open(out / "log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    for epoch in range(15):
        model.train()
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vo = model(vx)
        w.writerow([epoch, tot / len(x), F.cross_entropy(vo, vy).item(),
                    (vo.argmax(1) == vy).float().mean().item()])
    log.close()
    print(epoch, tot / len(x), (vo.argmax(1) == vy).float().mean().item())
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()},
               out / "moe.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["params_not_in_optimizer"],
           checkpoint="moe.pt", log="log.csv",
           what="MoE experts kept in a Python list: never registered, never trained",
           complaint=("my mixture of experts barely learns anything, "
                      "loss 1.08 after 15 epochs, acc 42%"))


if __name__ == "__main__":
    main()
