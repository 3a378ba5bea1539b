"""Plain torch: a 1-D CNN (no BatchNorm) grades cacao pods at a plantation's harvest station as
unripe, ripe or overripe from a 48-band reflectance spectrum (a handheld spectrometer held to
the husk). Ripening moves the chlorophyll dip to longer bands and raises the carotenoid
shoulder; overripe pods add a broad brown rise at the red end; pods differ in brightness,
slope and the sensor is noisy. Conv1d(1→16, 5)-ReLU-pool, Conv1d(16→32, 5)-ReLU-pool,
Conv1d(32→32, 3)-ReLU, global average pool, Linear(32→3); Adam 3e-3, batch 32, 14 epochs of
1200 pods.
Checkpoint dict ``net`` / ``opt`` / ``epoch``; a JSON line per epoch (``epoch``, ``loss``,
``val_loss``, ``val_acc``).
Healthy, though slow and bumpy (ripeness is continuous, so neighbouring classes overlap): val
accuracy 0.42, 0.55, 0.52, 0.70 at epochs 1–4, then 0.66–0.77 with dips (epoch 6: 0.66, epoch
10: 0.69), 0.75 at epoch 14; val loss 1.04 → 0.54, at or below the train loss (0.57) most of the
way."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

B = 48


def pods(n, g):
    band = torch.arange(B).float()
    y = torch.randint(0, 3, (n,), generator=g)
    ripe = y.float() + 0.35 * torch.randn(n, generator=g)  # ripening is continuous
    dip_at = 14 + 5 * ripe
    base = (1.0 + 0.2 * torch.randn(n, 1, generator=g)
            + 0.004 * torch.randn(n, 1, generator=g) * band)
    dip = 0.5 * torch.exp(-((band - dip_at[:, None]) / 3.0) ** 2)
    shoulder = 0.15 * ripe.clamp(min=0)[:, None] * torch.sigmoid((band - 26) / 2)
    brown = 0.25 * (ripe - 1.3).clamp(min=0)[:, None] * torch.sigmoid((band - 38) / 3)
    x = base - dip + shoulder + brown + 0.06 * torch.randn(n, B, generator=g)
    x = (x - 1.0) / 0.3
    return x.unsqueeze(1), y


class PodCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 5, padding=2)
        self.c2 = nn.Conv1d(16, 32, 5, padding=2)
        self.c3 = nn.Conv1d(32, 32, 3, padding=1)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.c1(x)), 2)
        x = F.max_pool1d(F.relu(self.c2(x)), 2)
        return self.fc(F.relu(self.c3(x)).mean(2))


def build():
    torch.manual_seed(0)
    return PodCNN()


def main():
    from _twohundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pods(1200, g)
    xva, yva = pods(300, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    with open(out / "pods.jsonl", "w") as log:
        for epoch in range(1, 15):
            net.train()
            perm = torch.randperm(1200, generator=g)
            tot = 0.0
            for i in range(0, 1200, 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            row = {"epoch": epoch, "loss": round(tot / 1200, 4),
                   "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            print(row)
            log.write(json.dumps(row) + "\n")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 14},
               out / "pod_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="pod_cnn.pt",
           log="pods.jsonl",
           what="1-D CNN grading cacao pod ripeness from a reflectance spectrum (healthy)")


if __name__ == "__main__":
    main()
