"""Anti-cheat for a shooter: a 1-D CNN classifies engagements from the crosshair's offset to the
target over the 48 ticks (64 Hz) before the shot as human, snap aimbot (the crosshair jumps onto
the target within 1–2 ticks, then locks with sub-pixel jitter) or smoothed aimbot (a constant
angular velocity straight onto the target, no overshoot, no correction). Humans: a reaction
delay of 8–16 ticks, a bell-shaped (minimum-jerk) approach with 5–25 % overshoot, one or two
small corrections and hand tremor. Offsets in degrees, divided by 10. The engagement traces and
the review team's verdicts come as two exports, joined by row order: traces.pt and
verdicts.csv (header ``engagement,verdict``). Conv1d(2→32, k5) → Conv1d(32→32, k5, stride 2)
→ Conv1d(32→64, k3, stride 2) (ReLU), global average + max pool, linear head over 3. Adam
2e-3, batch 64, 8 epochs of 2400 engagements (600 held out); JSON-lines log per epoch.
Bug: the verdict reader skips the header twice (``next(f)`` and then ``[1:]``), so verdict
*i + 1* is paired with trace *i* (``traces[:len(verdicts)]`` keeps the lengths equal), and the
verdicts no longer belong to the traces. Train loss 0.95 from epoch 1 on (the entropy of the
60/20/20 mix is 0.95), train accuracy 0.604, val accuracy 0.600 (every engagement called
human), val loss 0.95, cheat recall 0. The control (no ``[1:]``) reaches val accuracy 0.995,
cheat recall 1.0, val loss 0.024, train loss 0.022."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

TICKS = 48
CLASSES = ["human", "snap_aimbot", "smooth_aimbot"]


def engagement(kind, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    ang = 6.283 * r()
    start = (4 + 8 * r()) * torch.tensor([torch.cos(torch.tensor(ang)), torch.sin(torch.tensor(ang))])
    t = torch.arange(TICKS).float()
    if kind == 0:
        t0 = 8 + int(8 * r())
        dur = 14 + 12 * r()
        s = ((t - t0) / dur).clamp(0, 1)
        prog = 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5
        over = 0.05 + 0.2 * r()
        prog = prog * (1 + over * torch.exp(-((t - t0 - dur) / 4) ** 2) * 2)
        path = start[None] * (1 - prog[:, None])
        for _ in range(1 + int(2 * r())):
            c = t0 + dur + 8 * r()
            path = path + 0.3 * torch.randn(2, generator=g) * torch.exp(-((t - c) / 2) ** 2)[:, None]
        path = path + 0.05 * torch.cumsum(torch.randn(TICKS, 2, generator=g), 0) / 4
    elif kind == 1:
        t0 = 10 + int(20 * r())
        path = start[None].repeat(TICKS, 1) + 0.08 * torch.cumsum(torch.randn(TICKS, 2, generator=g), 0) / 4
        path[t0:] = 0.02 * torch.randn(TICKS - t0, 2, generator=g)
        path[t0 - 1] = path[t0 - 1] * 0.5 * r()
    else:
        t0 = 4 + int(10 * r())
        dur = 10 + 16 * r()
        prog = ((t - t0) / dur).clamp(0, 1)
        path = start[None] * (1 - prog[:, None]) + 0.02 * torch.randn(TICKS, 2, generator=g)
    return (path / 10).T


def export(n, g, folder):
    y = torch.multinomial(torch.tensor([0.6, 0.2, 0.2]), n, replacement=True, generator=g)
    x = torch.stack([engagement(int(k), g) for k in y])
    torch.save(x, folder / "traces.pt")
    with open(folder / "verdicts.csv", "w") as f:
        f.write("engagement,verdict\n")
        for i, k in enumerate(y.tolist()):
            f.write(f"{i},{CLASSES[k]}\n")


def load(folder):
    traces = torch.load(folder / "traces.pt")
    with open(folder / "verdicts.csv") as f:
        next(f)  # header
        rows = [line.strip().split(",") for line in f][1:]
    verdicts = torch.tensor([CLASSES.index(v) for _, v in rows])
    return traces[:len(verdicts)], verdicts


class AimCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.Sequential(nn.Conv1d(2, 32, 5, padding=2), nn.ReLU(),
                                   nn.Conv1d(32, 32, 5, 2, 2), nn.ReLU(),
                                   nn.Conv1d(32, 64, 3, 2, 1), nn.ReLU())
        self.head = nn.Linear(128, 3)

    def forward(self, x):
        h = self.convs(x)
        return self.head(torch.cat([h.mean(-1), h.amax(-1)], 1))


def build():
    torch.manual_seed(0)
    return AimCNN()


def main():
    from _hundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    export(3001, g, out)
    x, y = load(out)
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "anticheat_log.jsonl", "w")
    for ep in range(8):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = lo.argmax(1)
            rec = {"ep": ep, "loss": round(tot / len(xtr), 4), "acc": round(hit / len(xtr), 4),
                   "val/loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val/acc": round((pred == yva).float().mean().item(), 4),
                   "val/cheat_recall": round(((pred > 0) & (yva > 0)).sum().item()
                                             / max((yva > 0).sum().item(), 1), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, torch.bincount(pred, minlength=3).tolist())
    log.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epochs_done": 8,
                "classes": CLASSES, "ticks": TICKS}, out / "aimcnn.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["labels_wrong"],
           checkpoint="aimcnn.ckpt", log="anticheat_log.jsonl",
           what="aimbot-detection CNN, verdicts joined to traces one row off (header skipped "
                "twice)",
           complaint="Our aimbot detector flags nobody. After 8 epochs the train loss is stuck at "
                     "0.946 and the val loss at 0.95, val accuracy is 0.60, which is just the "
                     "share of human engagements, and cheat recall is 0: it calls every "
                     "engagement human, even the snap aimbots you can see by eye in the traces.")


if __name__ == "__main__":
    main()
