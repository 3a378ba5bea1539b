"""Plain torch: an LSTM tells which instruments play in a 2 s clip of a polka band's rehearsal
recording (multi-label: accordion, tuba, clarinet, snare drum), from 40 frames × 8 mel-band
energies. Each instrument adds energy in its own bands with its own place in the 2/4 "oom-pa"
bar: the tuba on the beats in the low bands, the accordion on the off-beats in the mid bands,
the clarinet as a sustained line in the high-mid bands, the snare as short broadband hits; the
tempo (110–130 bpm), gains and room noise vary per clip, and each instrument plays in half the
clips.
LSTM(8→48), mean + last hidden state, Linear(96→4), ``BCEWithLogitsLoss``; Adam 3e-3, batch 32,
12 epochs of 1024 clips; 256 validation clips.
Log: TSV, one row per epoch (``epoch``, ``train_bce``, ``val_bce``, ``val_label_acc``);
checkpoint ``state_dict`` / ``optimizer`` / ``epoch``.
Healthy: val per-label accuracy 0.68, 0.66, 0.68, 0.76, 0.78, 0.80, 0.81, 0.80, 0.74, 0.86,
0.82, 0.84; val BCE 0.52 → 0.34, train BCE 0.61 → 0.33; noisy but climbing (val below train
early on)."""
import csv

import torch
import torch.nn as nn

F_, B = 40, 8


def clips(n, g):
    t = torch.arange(F_).float() * 0.05
    y = (torch.rand(n, 4, generator=g) < 0.5).float()
    bpm = 110 + 20 * torch.rand(n, 1, generator=g)
    ph = (t[None] * bpm / 60 + torch.rand(n, 1, generator=g)) % 1.0
    beat = torch.exp(-ph / 0.12)
    off = torch.exp(-((ph - 0.5) % 1.0) / 0.12)
    bands = torch.tensor([[0.2, 0.9, 1.0, 0.6, 0.2, 0, 0, 0],
                          [1.0, 0.7, 0.2, 0, 0, 0, 0, 0],
                          [0, 0, 0, 0.3, 0.8, 1.0, 0.4, 0],
                          [0.3, 0.3, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7]])
    hits = (torch.rand(n, F_, generator=g) < 0.15).float()
    env = torch.stack([off, beat, 0.6 + 0.1 * torch.sin(6.28 * t[None] * 2).expand(n, F_),
                       hits], 1)
    gain = (0.6 + 0.8 * torch.rand(n, 4, generator=g)) * y
    x = torch.einsum("ni,nif,ib->nfb", gain, env, bands)
    x = x + 0.25 * torch.rand(n, 1, 1, generator=g) + 0.12 * torch.randn(n, F_, B, generator=g)
    return torch.log1p(x.clamp(min=0) * 4), y


class Band(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(B, 48, batch_first=True)
        self.head = nn.Linear(96, 4)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(torch.cat([h.mean(1), h[:, -1]], 1))


def build():
    torch.manual_seed(0)
    return Band()


def main():
    from _twohundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1024, g)
    xva, yva = clips(256, g)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    with open(out / "polka_train.tsv", "w", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(["epoch", "train_bce", "val_bce", "val_label_acc"])
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                row = [epoch + 1, round(tot / len(xtr), 4), round(loss_fn(lv, yva).item(), 4),
                       round(((lv > 0).float() == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12},
               out / "polka_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="polka_lstm.pt",
           log="polka_train.tsv",
           what="LSTM multi-label instrument tagger for polka band rehearsal clips (healthy)")


if __name__ == "__main__":
    main()
