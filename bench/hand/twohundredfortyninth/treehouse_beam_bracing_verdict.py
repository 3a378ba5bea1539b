"""Plain torch: a 1-D CNN (no BatchNorm) tells from a drop-weight test whether a treehouse
platform beam needs bracing. An inspector drops a 20 kg sandbag on the platform; a phone
accelerometer taped to the beam records 64 samples of the ring-down. A sound beam rings at a
high frequency and dies out fast; a beam that needs bracing (a cracked bolt, a soft branch fork)
rings lower, longer, and often has a second, slow sway mode. The inspector's sheet codes the
verdict 1 = sound, 2 = needs bracing. Conv1d(1→16, 7)-ReLU-pool, Conv1d(16→32, 5)-ReLU-pool,
Conv1d(32→32, 3)-ReLU, global average pool, Linear(32→1), ``BCEWithLogitsLoss``; Adam 2e-3,
batch 32, 10 epochs of 1200 tests. Checkpoint dict ``net`` / ``opt`` / ``step``; a JSON line per
epoch (``epoch``, ``loss``, ``val_loss``, ``val_acc``).
The bug: the sheet's verdict codes go straight in as the BCE target (``y = verdict.float()``),
so the targets are 1 and 2 instead of 0 and 1. BCE with a target of 2 has no minimum (it falls
without bound as the logit grows), and a target of 1 also pushes the logit up: the train loss is
-4.7 after epoch 1, -136, -1291, ... -641 534 at epoch 10 (val loss -22 → -794 398), every logit
positive, val accuracy 0.45 (every beam flagged, the share that needs bracing) at every epoch.
Control (``y = verdict.float() - 1``): train loss 0.552 → 0.095, val loss 0.295 → 0.103, val
accuracy 0.947, 0.943, then 0.94–0.96 (0.95 at epoch 10)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 64


def drop_tests(n, g):
    t = torch.arange(N).float()
    verdict = 1 + (torch.rand(n, generator=g) < 0.45).long()
    weak = (verdict == 2).float() + 0.25 * torch.randn(n, generator=g)
    freq = 1.3 - 0.45 * weak + 0.08 * torch.randn(n, generator=g)
    decay = 0.10 - 0.05 * weak.clamp(0, 1.5) + 0.01 * torch.rand(n, generator=g)
    sway = 0.4 * (weak > 0.6).float() * torch.rand(n, generator=g)
    amp = 0.6 + 0.8 * torch.rand(n, 1, generator=g)
    phase = 6.283 * torch.rand(n, 1, generator=g)
    x = (amp * torch.exp(-decay[:, None].clamp(min=0.02) * t)
         * torch.sin(freq[:, None] * t + phase)
         + sway[:, None] * torch.sin(0.2 * t + phase) + 0.12 * torch.randn(n, N, generator=g))
    return x.unsqueeze(1) / 0.5, verdict


class BeamCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 7, padding=3)
        self.c2 = nn.Conv1d(16, 32, 5, padding=2)
        self.c3 = nn.Conv1d(32, 32, 3, padding=1)
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.c1(x)), 2)
        x = F.max_pool1d(F.relu(self.c2(x)), 2)
        return self.fc(F.relu(self.c3(x)).mean(2)).squeeze(1)


def build():
    torch.manual_seed(0)
    return BeamCNN()


def main():
    from _twohundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, verdict = drop_tests(1500, g)
    y = verdict.float()
    xtr, ytr, xva, yva = x[:1200], y[:1200], x[1200:], y[1200:]
    brace_va = verdict[1200:] == 2
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "beam_tests.jsonl", "w") as log:
        for epoch in range(1, 11):
            net.train()
            perm = torch.randperm(1200, generator=g)
            tot = 0.0
            for i in range(0, 1200, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(net(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            row = {"epoch": epoch, "loss": round(tot / 1200, 4),
                   "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_acc": round(((lv > 0) == brace_va).float().mean().item(), 4)}
            print(row)
            log.write(json.dumps(row) + "\n")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "step": step},
               out / "beam_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="beam_cnn.pt", log="beam_tests.jsonl",
           what="treehouse beam bracing 1-D CNN trained with BCE on the sheet's 1/2 verdict codes",
           complaint=COMPLAINT)


COMPLAINT = ("Model to flag treehouse beams that need bracing from our sandbag drop test. The "
             "training loss is -4.7 after the first epoch and keeps falling, -641534 by "
             "epoch 10, and validation accuracy is stuck at 0.45 from epoch 1 to 10: it "
             "says every single beam needs bracing. What's going on?")


if __name__ == "__main__":
    main()
