"""Construction equipment telematics: recognising what an excavator is doing (digging, swinging
loaded, dumping, idling) from a 4-s window of the cab IMU (6 axes at 16 Hz, 64 samples). The
site pilot labelled only 240 training windows by hand from dashcam video (with some slips: 10 %
of the labels are wrong) and 400 validation windows. Synthetic: each activity is a mix of
slow boom / swing motions (yaw rate, pitch) and engine-load vibration at its own rates and
levels, with random phase, duration and operator-to-operator variation, sensor bias and noise.
The model: the log-magnitude spectrum of each axis (6 × 33 bins) into a wide MLP
198 → 768 → 768 → 4 (ReLU, no dropout, no weight decay, 0.75 M parameters), Adam 1e-3, batch
32, 100 epochs, the last epoch's weights saved; JSON lines ``activity_log.jsonl`` per epoch: ``ep``, ``trn_loss``, ``trn_acc``,
``val_loss``, ``val_acc``.
Bug: a 0.75-M-parameter net on 200 windows with 20 % wrong labels, trained for a fixed 100
epochs with no regularisation and no early stopping (→ overfitting). The val loss is lowest at
epoch 14 (0.358, val accuracy 0.89; 0.90 at epoch 12), then climbs to 0.47 at epoch 30 and
0.526 at epoch 99 (val accuracy 0.84) while the train loss goes to 0.0006 and the train
accuracy to 1.0 from epoch 30 — the wrong labels are memorised. The control is early
stopping, ``EPOCHS = 15`` (the first 15 epochs of the same run: val loss 0.358, val accuracy
0.8925)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

FS, N = 16, 64
ACTIVITIES = ["digging", "swinging", "dumping", "idle"]
N_TRAIN = 200
EPOCHS = 100
WIDTH = 768


def windows(n, g, flip=0.0):
    t = torch.arange(N).float() / FS
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 6, N)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        k = int(y[i])
        op = 0.7 + 0.6 * r()
        ph = 6.283 * r()
        vib_f = [6.5, 3.0, 4.5, 2.0][k] + r()
        vib_a = [0.9, 0.5, 0.6, 0.15][k] * op
        x[i, :3] = vib_a * torch.sin(6.283 * vib_f * t + ph + torch.arange(3)[:, None])
        if k == 0:    # digging: pitch cycles of the boom and arm, bursts of load
            x[i, 4] = 0.8 * op * torch.sin(6.283 * (0.4 + 0.2 * r()) * t + ph)
            x[i, 2] += 0.6 * (torch.sin(6.283 * 0.5 * t + ph) > 0.3).float()
        elif k == 1:  # swinging: a long yaw-rate plateau
            c = 0.5 + 3 * r()
            x[i, 5] = 1.2 * op * torch.exp(-((t - c) / (0.8 + 0.6 * r())) ** 2) * (1 if r() < .5 else -1)
        elif k == 2:  # dumping: a short pitch dip and a shake
            c = 0.5 + 3 * r()
            x[i, 4] = -0.9 * op * torch.exp(-((t - c) / 0.4) ** 2)
            x[i, 0] += 0.7 * torch.exp(-((t - c - 0.4) / 0.3) ** 2) * torch.sin(6.283 * 7 * t)
        x[i, 3] = 0.1 * torch.sin(6.283 * 0.2 * t + ph)
        x[i] += 0.25 * torch.randn(6, 1, generator=g) + 0.45 * torch.randn(6, N, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


def spectra(x):
    """log-magnitude spectrum of each axis (6 × 33 bins), the usual telematics features."""
    return torch.log1p(torch.fft.rfft(x, dim=-1).abs()).flatten(1)


class ActivityMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6 * (N // 2 + 1), WIDTH), nn.ReLU(),
                                 nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Linear(WIDTH, 4))

    def forward(self, feats):
        return self.net(feats)


def build():
    torch.manual_seed(0)
    return ActivityMLP()


def main():
    from _hundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(N_TRAIN, g, flip=0.20)
    xva, yva = windows(400, g)
    xtr, xva = spectra(xtr), spectra(xva)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "activity_log.jsonl", "w")
    for ep in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
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
        row = {"ep": ep, "trn_loss": round(tot / len(xtr), 5), "trn_acc": round(hit / len(xtr), 4),
               "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
               "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(row) + "\n")
        if ep % 10 == 0 or ep == EPOCHS - 1:
            print(row)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": EPOCHS,
                "activities": ACTIVITIES, "fs_hz": FS}, out / "excavator_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="excavator_mlp.pt", log="activity_log.jsonl",
           what="excavator activity MLP (1.8 M params) on 240 noisy windows, 150 epochs, no "
                "regularisation or early stopping",
           complaint="The excavator activity model gets 100 % on its training windows (loss "
                     "0.0006 at the end of 100 epochs) but only 0.84 on the validation "
                     "windows, and the validation loss has been going up since around epoch "
                     "14, from 0.36 to 0.53. Training longer makes it worse, not better.")


if __name__ == "__main__":
    main()
