"""Plain torch: a 1-D CNN (no BatchNorm) tags what happened on a 10-minute stretch of a
dog-sledding race from the team's GPS and the sled's load cell, as 4 independent yes/no
labels (multi-label): a rest stop (speed to 0 for 30-90 s), a tangle (speed drops to a crawl
for 10-20 s while the line tension spikes and jerks), a climb (elevation rises 20-60 m, speed
sags with it) and soft trail (fresh snow: speed 20-35 % lower for 2-4 minutes, tension up).
One sample every 5 s (120 per stretch), 3 series: speed (km/h, cruising 14-20), elevation
change (m, from the stretch start) and line tension (in team-pull units, about 1 when
cruising); each label present with probability 0.35, independently; GPS and load-cell noise.
Model: Conv1d 3→24 k7-GELU, Conv1d 24→32 k5 stride 2-GELU, Conv1d 32→32 k5 stride 2-GELU,
max and mean pool over time, Linear 64→4; BCE with logits; NAdam 2e-3, exponential decay 0.9
per epoch, batch 40, 10 epochs of 1600 stretches, validation on 400 (loss, exact-match rate,
per-label accuracy).
Log: CSV per epoch ``stretches.csv`` (``epoch,bce,val_bce,val_exact,acc_rest,acc_tangle,
acc_climb,acc_soft``); checkpoint ``trail_cnn.pt`` with keys ``model_state_dict`` /
``optimizer_state_dict`` / ``labels`` / ``scale``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = 120
LABELS = ["rest", "tangle", "climb", "soft_trail"]
SCALE = torch.tensor([20.0, 50.0, 2.0])


def stretches(n, g):
    y = (torch.rand(n, 4, generator=g) < 0.35).float()
    t = torch.arange(STEPS).float()
    x = torch.zeros(n, 3, STEPS)
    for i in range(n):
        cruise = 14 + 6 * torch.rand(1, generator=g).item()
        speed = torch.full((STEPS,), cruise)
        elev = torch.zeros(STEPS)
        tension = torch.ones(STEPS)

        def window(lo, hi):
            length = torch.randint(lo, hi + 1, (1,), generator=g).item()
            start = torch.randint(0, STEPS - length, (1,), generator=g).item()
            return (t >= start) & (t < start + length)

        if y[i, 2]:
            w = window(20, 50)
            gain = 20 + 40 * torch.rand(1, generator=g).item()
            idx = w.nonzero().squeeze(1)
            ramp = torch.zeros(STEPS)
            ramp[idx] = torch.linspace(0, 1, len(idx))
            ramp[idx[-1] + 1:] = 1
            elev = gain * ramp
            speed = speed * torch.where(w, torch.tensor(0.7), torch.tensor(1.0))
            tension = tension + 0.3 * w.float()
        if y[i, 3]:
            w = window(24, 48)
            speed = speed * torch.where(w, torch.tensor(0.72), torch.tensor(1.0))
            tension = tension + 0.4 * w.float()
        if y[i, 1]:
            w = window(2, 4)
            speed = torch.where(w, torch.tensor(2.0), speed)
            tension = tension + w.float() * (1.5 + torch.rand(STEPS, generator=g))
        if y[i, 0]:
            w = window(6, 18)
            speed = torch.where(w, torch.tensor(0.0), speed)
            tension = torch.where(w, torch.tensor(0.05), tension)
        speed = (speed + 0.8 * torch.randn(STEPS, generator=g)).clamp(min=0)
        elev = elev + 1.5 * torch.randn(STEPS, generator=g)
        tension = tension + 0.1 * torch.randn(STEPS, generator=g)
        x[i] = torch.stack([speed, elev, tension]) / SCALE[:, None]
    return x, y


class TrailCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(3, 24, 7, padding=3), nn.GELU(),
                                  nn.Conv1d(24, 32, 5, stride=2, padding=2), nn.GELU(),
                                  nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.GELU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(2), h.mean(2)], 1))


def build():
    torch.manual_seed(0)
    return TrailCNN()


def main():
    from _twohundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stretches(1600, g)
    xva, yva = stretches(400, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "stretches.csv", "w") as f:
        f.write("epoch,bce,val_bce,val_exact," + ",".join(f"acc_{k.split('_')[0]}" for k in LABELS) + "\n")
        for epoch in range(1, 11):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                hit = ((lv > 0).float() == yva).float()
                row = [epoch, tot / n, F.binary_cross_entropy_with_logits(lv, yva).item(),
                       hit.all(1).float().mean().item()] + hit.mean(0).tolist()
            line = ",".join([str(epoch)] + [f"{v:.6f}" for v in row[1:]])
            print(line)
            f.write(line + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "labels": LABELS, "scale": SCALE}, out / "trail_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="trail_cnn.pt",
           log="stretches.csv",
           what="1-D CNN tagging rest stops, tangles, climbs and soft trail on dog-sledding race"
                " stretches, multi-label (healthy)")


if __name__ == "__main__":
    main()
