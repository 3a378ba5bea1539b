"""Plain torch: a 1-D CNN (no BatchNorm) flags a dim sum kitchen's dumpling-pleating machine's
defects from one dumpling's 2-channel trace (crimp-head force and wrapper-edge optical sensor,
96 samples): torn wrapper (a sharp force drop), underfilled (low force plateau), unsealed edge
(a gap in the optical trace) and extra pleat (an extra force bump); several can occur together
(multi-label, 4 sigmoid outputs). Conv1d(2→16,k7)-ReLU-pool, Conv1d(16→32,k5)-ReLU-pool,
global max, linear 32 → 4; RMSprop 3e-3, batch 32, 12 epochs of 1024 dumplings. Checkpoint
``{"model_state_dict", "optimizer_state_dict", "epoch", "global_step"}``, JSON lines per epoch
(epoch, train_bce, val_bce, val_exact). Healthy: val BCE 0.276 → 0.157 → 0.085 (epoch 4) →
0.026, val exact-match 0.64 → 0.89 → 0.95 → 0.98 at epoch 12 (a little noisy: 0.99 at 8,
0.98 at 11)."""
import json
import sys

import torch
import torch.nn as nn


def dumplings(n, g):
    t = torch.linspace(0, 1, 96)
    y = (torch.rand(n, 4, generator=g) < 0.25).float()
    force = 1.0 + 0.3 * torch.sin(2 * torch.pi * 6 * t) + 0.15 * torch.randn(n, 96, generator=g)
    optic = torch.ones(n, 96) + 0.15 * torch.randn(n, 96, generator=g)
    pos = torch.randint(15, 80, (n,), generator=g)
    idx = torch.arange(96)
    near = (idx[None] - pos[:, None]).abs()
    force = force - y[:, 0:1] * 1.2 * (near < 3).float()
    force = force * (1 - 0.4 * y[:, 1:2])
    optic = optic - y[:, 2:3] * (near < 6).float()
    force = force + y[:, 3:4] * 0.9 * torch.exp(-((idx[None] - (95 - pos[:, None])) ** 2) / 8.0)
    return torch.stack([force, optic], 1), y


class PleatCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x).amax(-1))


def build():
    torch.manual_seed(0)
    return PleatCNN()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dumplings(1024, g)
    xva, yva = dumplings(256, g)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    log, step = [], 0
    for epoch in range(12):
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = nn.functional.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() / 32
        with torch.no_grad():
            z = model(xva)
            vb = nn.functional.binary_cross_entropy_with_logits(z, yva).item()
            ve = ((z > 0).float() == yva).all(1).float().mean().item()
        log.append({"epoch": epoch + 1, "train_bce": round(tot, 4), "val_bce": round(vb, 4),
                    "val_exact": round(ve, 4)})
        print(log[-1])
    (out / "pleat_log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in log))
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "global_step": step}, out / "pleat_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="pleat_cnn.pt",
           log="pleat_log.jsonl",
           what="1-D CNN flagging dumpling-pleating defects (multi-label) from force/optic traces (healthy)")


if __name__ == "__main__":
    main()
