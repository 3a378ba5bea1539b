"""Precipitation nowcasting with a ConvGRU (Shi et al.'s convolutional recurrence, GRU gates as
3×3 convolutions over [frame, state], 12 channels) on synthetic 16×16 radar sequences: 1–3
Gaussian rain cells (rain rate up to ~40 mm/h) drifting with a sequence-wide wind and slowly
growing or decaying; 6 frames in, the next frame out (a 1×1 conv on the last state, with a skip
from the last input frame). About 1 % of the sequences are dry (the radar window saw no rain:
all zeros), as real archives have. Adam 2e-3, batch 16, 6 epochs of 480 sequences; per epoch
a JSON line with the train / val MSE, the persistence baseline's val MSE and a CSI at 0.25.

The bug: each sequence is scaled to [0, 1] by its own peak, ``seq / seq.amax(dim=(1, 2, 3),
keepdim=True)`` (no epsilon): a dry sequence is 0 / 0 = NaN in every pixel, input and target.
The first batch that holds one gives a NaN loss; Adam writes the NaN gradient into every weight,
and from then on every loss (train and val) is NaN. Control (``+ 1e-6`` in the denominator:
dry sequences stay 0): val MSE 0.00169 against persistence 0.00365, CSI 0.916 after 6 epochs.
Bug run: every logged value NaN from epoch 1 (the persistence MSE of the validation split too:
it holds a dry sequence), CSI 0."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, T_IN = 16, 6


def radar(n, g, dry=0.01):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    seqs = torch.zeros(n, T_IN + 1, 1, SIZE, SIZE)
    for i in range(n):
        if float(torch.rand(1, generator=g)) < dry:
            continue
        vel = torch.randn(2, generator=g) * 0.8
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            p0 = torch.rand(2, generator=g) * SIZE
            s0 = 1.5 + 2.0 * float(torch.rand(1, generator=g))
            growth = 1 + 0.1 * float(torch.randn(1, generator=g))
            peak = 5 + 35 * float(torch.rand(1, generator=g))
            for t in range(T_IN + 1):
                p = p0 + vel * t
                s = s0 * growth ** t
                seqs[i, t, 0] += peak * torch.exp(-((yy - p[0]) ** 2 + (xx - p[1]) ** 2)
                                                  / (2 * s * s))
    return seqs


def scale(seqs):
    return seqs / seqs.amax(dim=(1, 2, 3, 4), keepdim=True)  # each sequence to [0, 1]


class ConvGRUCell(nn.Module):
    def __init__(self, cin, ch):
        super().__init__()
        self.gates = nn.Conv2d(cin + ch, 2 * ch, 3, padding=1)
        self.cand = nn.Conv2d(cin + ch, ch, 3, padding=1)

    def forward(self, x, h):
        z, r = torch.sigmoid(self.gates(torch.cat([x, h], 1))).chunk(2, 1)
        n = torch.tanh(self.cand(torch.cat([x, r * h], 1)))
        return (1 - z) * h + z * n


class Nowcaster(nn.Module):
    def __init__(self, ch=12):
        super().__init__()
        self.ch = ch
        self.cell = ConvGRUCell(1, ch)
        self.head = nn.Conv2d(ch, 1, 1)

    def forward(self, frames):  # (B, T, 1, H, W) → (B, 1, H, W)
        h = frames.new_zeros(frames.shape[0], self.ch, SIZE, SIZE)
        for t in range(frames.shape[1]):
            h = self.cell(frames[:, t], h)
        return frames[:, -1] + self.head(h)


def build():
    torch.manual_seed(0)
    return Nowcaster()


def csi(pred, target, thr=0.25):
    hit = ((pred >= thr) & (target >= thr)).sum()
    return (hit / (((pred >= thr) | (target >= thr)).sum()).clamp(min=1)).item()


def main():
    from _seventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = scale(radar(600, g))
    xtr, ytr = data[:480, :T_IN], data[:480, T_IN]
    xva, yva = data[480:, :T_IN], data[480:, T_IN]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "nowcast_history.jsonl", "w")
    for epoch in range(6):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(16):
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            row = {"epoch": epoch + 1, "mse_train": round(tot / len(xtr), 6),
                   "mse_val": round(F.mse_loss(p, yva).item(), 6),
                   "mse_val_persistence": round(F.mse_loss(xva[:, -1], yva).item(), 6),
                   "csi_025_val": round(csi(p, yva), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"nowcaster": model.state_dict(), "adam": opt.state_dict(),
                "epochs_done": 6, "t_in": T_IN}, out / "convgru_nowcast.pt")
    finish(out, __file__, (xtr[:16], ytr[:16]), causes=["numerical_log_or_div_zero"],
           checkpoint="convgru_nowcast.pt", log="nowcast_history.jsonl",
           what="ConvGRU radar nowcaster whose per-sequence peak scaling divides dry sequences "
                "by zero",
           complaint="The ConvGRU nowcaster's loss is nan from the first epoch on, train and "
                     "validation both. I already lowered the learning rate and it didn't "
                     "change anything.")


if __name__ == "__main__":
    main()
