"""Plain torch: a 1-D CNN with BatchNorm names the track a zorb took down a grass hill —
straight run, zig-zag (slalom) track or the bumpy "mogul" track — from 64 samples of the
harness accelerometer (forward, lateral, vertical; 8 Hz). Straight: a smooth speed-up with
small wobble; zig-zag: a slow lateral sway that reverses every few seconds; bumpy: sharp
vertical bumps at random moments. Random slope, speed, phase and noise; 6 % of the track
labels in the training ride log are wrong (riders tick the wrong box).
Conv1d(3→16,5)-BN-ReLU-pool, Conv1d(16→32,5)-BN-ReLU, global average pool, Linear(32→3);
AdamW 2e-3, weight decay 1e-2, batch 32, 12 epochs of 896 rides, shuffled.
Healthy: val accuracy 0.97 after epoch 1, then 0.98–1.00; val loss 0.56 → 0.12–0.14; the
per-step train loss stays noisy and above it (0.21–0.46 late on: the 6 % wrong labels)."""
import json

import torch
import torch.nn as nn

T = 64


def rides(n, g, flip=0.0):
    t = torch.arange(T).float()[None] / 8
    y = torch.randint(0, 3, (n,), generator=g)
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    slope = 0.3 + 0.4 * r(n, 1)
    fwd = slope * torch.tanh(t / (2 + 2 * r(n, 1))) + 0.1 * torch.sin(3 * t + 6 * r(n, 1))
    sway = (y == 1).float()[:, None] * (0.6 + 0.4 * r(n, 1)) * torch.sin(
        2 * torch.pi * (0.15 + 0.1 * r(n, 1)) * t + 6 * r(n, 1))
    bumps = (y == 2).float()[:, None] * (r(n, T) < 0.08).float() * (1 + r(n, T))
    lat = sway + 0.1 * torch.randn(n, T, generator=g)
    vert = bumps + 0.1 * torch.randn(n, T, generator=g)
    x = torch.stack([fwd, lat, vert], 1)
    x = x + 0.1 * torch.randn(x.shape, generator=g)
    wrong = r(n) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class TrackCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                  nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.body(x).mean(2))


def build():
    torch.manual_seed(0)
    return TrackCNN()


def main():
    from _twohundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rides(896, g, flip=0.06)
    xva, yva = rides(256, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            perm = torch.randperm(896, generator=g)
            for i in range(0, 896, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                rec = {"step": step, "epoch": epoch, "loss": round(loss.item(), 4)}
                if i + 32 >= 896:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                    rec["val_loss"] = round(loss_fn(lv, yva).item(), 4)
                    rec["val_acc"] = round((lv.argmax(1) == yva).float().mean().item(), 4)
                    print(rec)
                f.write(json.dumps(rec) + "\n")
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 12, "global_step": step}, out / "zorb_track.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="zorb_track.ckpt",
           log="log.jsonl",
           what="1-D CNN+BN naming a zorb's hill track from harness accelerometer, 6 % noisy"
                " labels (healthy)")


if __name__ == "__main__":
    main()
