"""Transfer learning on vibration windows: a 1-D GroupNorm CNN is first trained on pump A's four
states (in this script, 2 epochs), then its body is frozen (``requires_grad=False``) and only a
new 2-way head ("needs maintenance?" -- any fault vs normal) is trained on the few labelled
windows of pump B, which runs a little faster. Adam 3e-3 on the head's parameters only, CSV log
per 10 steps. Healthy: 99 % of the parameters never change on purpose, the head converges in
a few dozen steps to val accuracy ~0.99, and the loss then flattens."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 256


def vibrations(n, g, base=5.0):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float() / T
    f0 = base + 2 * torch.rand(n, 1, generator=g)
    x = torch.sin(2 * math.pi * f0 * t)
    x = x + (y == 1).float()[:, None] * 0.8 * torch.sin(2 * math.pi * 2 * f0 * t)
    x = x + (y == 2).float()[:, None] * 0.8 * torch.sign(torch.sin(2 * math.pi * 3 * f0 * t))
    spikes = (torch.rand(n, T, generator=g) < 0.03).float() * 3
    x = x + (y == 3).float()[:, None] * spikes
    x = x + 0.3 * torch.randn(n, T, generator=g)
    return x[:, None], y


def block(cin, cout):
    return nn.Sequential(nn.Conv1d(cin, cout, 5, padding=2), nn.GroupNorm(4, cout), nn.ReLU(),
                         nn.MaxPool1d(2))


class VibNet(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.body = nn.Sequential(block(1, 16), block(16, 32), block(32, 32))
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        return self.head(self.body(x).mean(-1))


def build():
    torch.manual_seed(0)
    model = VibNet(classes=2)
    for p in model.body.parameters():  # the pump-A feature extractor stays frozen
        p.requires_grad = False
    return model


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    # 1) pump A: train the whole net on the four states
    xa, ya = vibrations(800, g)
    base = VibNet(classes=4)
    opt_a = torch.optim.Adam(base.parameters(), lr=2e-3)
    for _ in range(2):
        perm = torch.randperm(len(xa), generator=g)
        for i in range(0, len(xa), 32):
            loss = F.cross_entropy(base(xa[perm[i:i + 32]]), ya[perm[i:i + 32]])
            opt_a.zero_grad()
            loss.backward()
            opt_a.step()
    # 2) pump B: frozen body, new head, binary "needs maintenance"
    (xb, yb), (vx, vy) = vibrations(160, g, base=6.0), vibrations(400, g, base=6.0)
    yb, vy = (yb > 0).long(), (vy > 0).long()
    model = build()
    model.body.load_state_dict(base.body.state_dict())
    model.body.eval()
    opt = torch.optim.Adam(model.head.parameters(), lr=3e-3)
    rows, step = [], 0
    for epoch in range(15):
        perm = torch.randperm(len(xb), generator=g)
        for i in range(0, len(xb), 16):
            idx = perm[i:i + 16]
            model.head.train()
            loss = F.cross_entropy(model(xb[idx]), yb[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                with torch.no_grad():
                    vo = model(vx)
                rows.append({"step": step, "epoch": epoch, "loss": loss.item(),
                             "val_loss": F.cross_entropy(vo, vy).item(),
                             "val_acc": (vo.argmax(1) == vy).float().mean().item()})
    with open(out / "finetune.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(rows[-1])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "pumpB_head.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="pumpB_head.pt",
           log="finetune.csv",
           what="frozen pump-A CNN body + new binary head for pump B (healthy)")


if __name__ == "__main__":
    main()
