"""Tennis stroke recognition from a wrist-worn IMU (3-axis accelerometer + 3-axis gyroscope) on
synthetic 1.2-s windows at 100 Hz (120 samples × 6 channels) centred on the ball impact: 5
strokes (forehand, backhand, serve, volley, smash), each a swing profile (a Gaussian-windowed
pronation/rotation burst with a stroke-specific axis mix, duration and back-swing lobe) with a
per-player style (N(0, 0.6) added to the axis mix), ±8 samples timing jitter, a random wrist
orientation gain and sensor noise. A 1-D CNN (6 → 32 → 64 → 64, kernel 7, batch norm, max
pooling, global average), Adam 2e-3, batch 32, 16 epochs of 1280 windows (40 batches); a
JSON-lines log per epoch (``ep``, ``loss``, ``val_loss``, ``val_acc``, ``lr``).
Bug: ``StepLR(step_size=6, gamma=0.1)`` is meant per epoch (lr ÷ 10 at epochs 6 and 12) but
``sched.step()`` sits in the batch loop next to ``opt.step()``: the lr is ÷ 10 every 6
batches, 2e-9 after the first epoch and 2e-109 at the end, so the model stops learning about
a dozen steps in and the loss stays flat at its epoch-1 level for the rest of the run: train
loss 1.24 at epoch 1, then 1.181–1.188 for 15 epochs, val loss 1.195–1.207, val accuracy
0.497–0.519 (5 classes). The control (``sched.step()`` once per epoch, after the batch loop)
reaches val accuracy 0.80 at epoch 3 and 0.78 at the end, val loss 0.586 at the end (0.553 at
best), train loss 0.061.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T, STROKES = 120, ["forehand", "backhand", "serve", "volley", "smash"]


def swings(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.arange(T).float()
    mix = torch.tensor([[1.0, 0.3, -0.5, 0.8, 0.2, -0.6], [-0.8, 0.5, 0.4, -0.7, 0.6, 0.3],
                        [0.4, -1.0, 0.8, 0.3, -0.9, 0.7], [0.6, 0.6, 0.2, 0.2, 0.3, -0.2],
                        [0.3, -0.8, 1.0, 0.5, -0.4, 0.9]])
    width = torch.tensor([9.0, 10.0, 7.0, 5.0, 6.0])[y]
    back = torch.tensor([0.6, 0.8, 1.2, 0.1, 1.0])[y]
    c = 60 + torch.randint(-8, 9, (n,), generator=g).float()
    w = 1.0 + 0.3 * torch.randn(n, 6, generator=g)
    m = mix[y] + 0.6 * torch.randn(n, 6, generator=g)  # player style
    impact = torch.exp(-((t[None] - c[:, None]) / width[:, None]) ** 2)
    lobe = torch.exp(-((t[None] - c[:, None] + 2.5 * width[:, None]) / (1.5 * width[:, None])) ** 2)
    osc = torch.sin((t[None] - c[:, None]) / width[:, None] * 3.0)
    x = (m[:, :, None] * w[:, :, None] * (impact * osc)[:, None]
         - back[:, None, None] * lobe[:, None] * m.flip(1)[:, :, None])
    x = x + 0.8 * torch.randn(n, 6, T, generator=g)
    return x, y


class StrokeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        def blk(i, o):
            return nn.Sequential(nn.Conv1d(i, o, 7, padding=3), nn.BatchNorm1d(o), nn.ReLU(),
                                 nn.MaxPool1d(2))
        self.features = nn.Sequential(blk(6, 32), blk(32, 64), blk(64, 64))
        self.classifier = nn.Linear(64, len(STROKES))

    def forward(self, x):
        return self.classifier(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return StrokeCNN()


def main():
    from _hundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = swings(1600, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.1)
    log = open(out / "stroke_log.jsonl", "w")
    for ep in range(1, 17):
        model.train()
        tot = 0.0
        for idx in torch.randperm(1280, generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            acc = (lo.argmax(1) == yva).float().mean().item()
        rec = {"ep": ep, "loss": round(tot / 1280, 4), "val_loss": round(vl, 4),
               "val_acc": round(acc, 4), "lr": sched.get_last_lr()[0]}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 16, "strokes": STROKES},
               out / "stroke_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="stroke_cnn.pt", log="stroke_log.jsonl",
           what="1-D CNN tennis stroke recognition, per-epoch StepLR stepped every batch",
           complaint="My tennis stroke classifier (1-D CNN on wrist IMU windows) stops learning "
                     "after the first epoch: train loss 1.24 then stuck at 1.18 for all 16 epochs, "
                     "val loss 1.20, val accuracy about 0.50 the whole time. More epochs change "
                     "nothing.")


if __name__ == "__main__":
    main()
