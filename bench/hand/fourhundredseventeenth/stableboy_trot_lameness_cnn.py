"""Plain torch: a 1-D CNN without batch norm flags a lame horse from the poll (head) sensor
the stableboy straps on for the vet's trot-up: 2 s of vertical acceleration at 50 Hz
(100 samples). A sound horse at trot moves its head down and up twice per stride, evenly
(stride 1.25-1.6 Hz, so the second harmonic dominates); a forelimb lameness makes the head
nod more on one diagonal, adding a first-harmonic component in proportion to the
asymmetry. Flag (binary): asymmetry index above 0.3 (the vet's threshold); sound horses
carry a little natural asymmetry (0-0.35), lame ones 0.2-1.0; stride-to-stride jitter, a
surface factor (sand / grass / tarmac), sensor noise and a slow drift.
The training data comes from a stride simulator written as a ``Dataset`` that draws a fresh
horse, stride and surface from its own seeded NumPy generator in every ``__getitem__`` (384
trot-ups an epoch); validation is 400 recorded trot-ups made once in ``main``.
Input: (1, 100) acceleration in g. Model: Conv1d 1→16 (k9) + ReLU + MaxPool2, Conv1d 16→32
(k7) + ReLU + MaxPool2, Conv1d 32→32 (k5) + ReLU, global average pool, Linear 32→32 + ReLU,
Linear 32→1; BCEWithLogitsLoss, Adam 3e-3, batch 32, 4 loader workers, 24 epochs.
The bug: the dataset's generator is made once, ``self.rng = np.random.default_rng(seed)  #
seeded, so a rerun draws the same horses``, and the loader is ``DataLoader(SimulatedTrots(),
batch_size=32, num_workers=4)`` with no ``worker_init_fn``: every worker gets a copy of the
same generator state, every epoch (torch reseeds the global ``np.random`` in its workers,
not a generator the dataset holds), so the four workers hand out the same 96 trot-ups in the
same order, epoch after epoch — the net sees 96 distinct samples in all instead of 9216 and
learns them: train BCE 0.70 → 0.23 (mean of the last 6 logged steps), val BCE 0.689 → 0.454
at best (epoch 5) → 0.619, val acc 0.78 at the end (0.82 at best) (control,
``worker_init_fn=lambda w: setattr(torch.utils.data.get_worker_info().dataset, "rng",
np.random.default_rng(torch.initial_seed() % 2**32))`` on the loader line: train BCE 0.70 →
0.36, val BCE 0.692 → 0.308 (still falling at the end), val acc 0.875).
Log: CSV every 4 steps ``trotup_steps.csv`` (``step`` / ``bce``) and a separate per-epoch CSV
``trotup_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_recall_lame``, named as the
log in the truth); checkpoint ``lameness_cnn.tar`` with keys ``cnn_state`` / ``opt_state`` /
``epoch`` / ``fs_hz`` / ``asym_threshold``."""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

FS = 50.0
N = 100
THRESH = 0.3


def trot(rng_uniform, rng_normal, asym, lame_side_phase):
    t = np.arange(N) / FS
    f = rng_uniform(1.25, 1.6)
    ph = rng_uniform(0, 2 * math.pi)
    surface = [0.8, 1.0, 1.25][int(rng_uniform(0, 3))]
    jitter = 1 + 0.03 * np.cumsum(rng_normal(0, 1, N)) / np.sqrt(N)
    w = 2 * math.pi * f * t * jitter
    a = surface * (0.9 * np.sin(2 * w + ph) + 0.45 * asym * np.sin(w + ph / 2 + lame_side_phase))
    a = a + 0.2 * np.sin(4 * w + 2 * ph) * surface
    drift = rng_uniform(-0.1, 0.1) * t
    return (a + drift + rng_normal(0, 0.12, N)).astype(np.float32)


class SimulatedTrots(Dataset):
    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)  # seeded, so a rerun draws the same horses

    def __len__(self):
        return 384

    def __getitem__(self, i):
        rng = self.rng
        lame = rng.random() < 0.5
        asym = rng.uniform(0.2, 1.0) if lame else rng.uniform(0.0, 0.35)
        x = trot(rng.uniform, rng.normal, asym, rng.uniform(0, math.pi))
        return torch.from_numpy(x).unsqueeze(0), torch.tensor([float(asym > THRESH)])


def recorded(n, seed):
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(n):
        lame = rng.random() < 0.5
        asym = rng.uniform(0.2, 1.0) if lame else rng.uniform(0.0, 0.35)
        xs.append(trot(rng.uniform, rng.normal, asym, rng.uniform(0, math.pi)))
        ys.append(float(asym > THRESH))
    return torch.from_numpy(np.stack(xs)).unsqueeze(1), torch.tensor(ys).unsqueeze(1)


class LamenessCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(),
                                      nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return LamenessCNN()


def main():
    from _fourhundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    xva, yva = recorded(400, seed=1)
    print("val lame share", yva.mean().item())
    dl = DataLoader(SimulatedTrots(), batch_size=32, num_workers=4)  # 4 workers to keep the simulator off the training thread
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "trotup_steps.csv", "w") as slog, open(out / "trotup_val.csv", "w") as vlog:
        slog.write("step,bce\n")
        vlog.write("epoch,val_bce,val_acc,val_recall_lame\n")
        for epoch in range(24):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 4 == 0:
                    slog.write(f"{step},{loss.item():.6f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = [F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (pred == yva).float().mean().item(), pred[yva == 1].mean().item()]
            vlog.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, loss.item(), row)
    torch.save({"cnn_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 24,
                "fs_hz": FS, "asym_threshold": THRESH}, out / "lameness_cnn.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loader_worker_seed"],
           checkpoint="lameness_cnn.tar", log="trotup_val.csv",
           what="1-D CNN without batch norm flagging a lame horse from a poll accelerometer"
                " trot-up; simulator Dataset draws with np.random in 4 unseeded workers, so"
                " every worker and every epoch repeats the same 128 samples",
           complaint="Training a lameness classifier on simulated trot-ups: the training loss"
                     " keeps dropping (0.70 to about 0.23) but the validation loss on the"
                     " real recorded trot-ups is best at epoch 5 (0.45) and then climbs to"
                     " 0.62, accuracy stuck near 0.78. The simulator makes a new horse for"
                     " every sample, so I don't see how it can overfit.")


if __name__ == "__main__":
    main()
