"""CRNN for 5 kinds of animal call on synthetic mel-spectrograms (32 mel bands x 40 frames): a
rising chirp, a falling chirp, a steady whistle, a two-note trill and a pulsed tone, 45-60 dB
above a 20 dB noise floor, and in every clip a loud (70-90 dB) broadband knock or wind band at
a random place. Power spectrograms are turned into dB (``10 * log10(power + 1e-10)``, what
torchaudio's ``AmplitudeToDB`` does) and standardised with the training set's mean and std. Two
conv-BN-ReLU-pool blocks, a GRU over the frames, a linear head on its last state;
cross-entropy, Adam 3e-3, batch 32, 8 epochs. 8 % of the training labels are wrong (annotators
mixing up the chirps), so the train loss stays above the val loss. Healthy: val acc 0.94, the
val loss bumpy at the end (0.30, 0.35)."""
import csv
import math

import torch
import torch.nn as nn

BANDS, FRAMES, CLASSES = 32, 40, 5


def calls(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    db = 20 + 3 * torch.randn(n, BANDS, FRAMES, generator=g)
    bands = torch.arange(BANDS).float()
    for i in range(n):
        f0 = float(torch.randint(6, 26, (1,), generator=g))
        on = int(torch.randint(0, 10, (1,), generator=g))
        span = torch.arange(on, on + 28)
        loud = 45 + 15 * float(torch.rand(1, generator=g))
        c = int(y[i])
        if c == 0:
            f = f0 - 5 + 10 * (span - on) / 28
        elif c == 1:
            f = f0 + 5 - 10 * (span - on) / 28
        elif c == 2:
            f = torch.full((28,), f0)
        elif c == 3:
            f = f0 + 4 * ((span // 3) % 2 * 2 - 1).float()
        else:
            f = torch.full((28,), f0)
            span = span[(span // 4) % 2 == 0]
            f = f[:len(span)]
        for s, fr in zip(span.tolist(), f.tolist(), strict=True):
            db[i, :, s] = torch.maximum(db[i, :, s],
                                        loud - 6 * (bands - fr) ** 2)
        # the loud knock or wind band, any class
        if torch.rand(1, generator=g) < 0.5:
            s = int(torch.randint(0, FRAMES - 3, (1,), generator=g))
            db[i, :, s:s + 3] = 70 + 20 * torch.rand(1, generator=g)
        else:
            b = int(torch.randint(0, BANDS - 6, (1,), generator=g))
            db[i, b:b + 6] = torch.maximum(db[i, b:b + 6],
                                           70 + 20 * torch.rand(1, generator=g)
                                           + 2 * torch.randn(6, FRAMES, generator=g))
    power = 10 ** (db / 10)
    return power.unsqueeze(1), y


class CRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                  nn.MaxPool2d((4, 1)))
        self.gru = nn.GRU(32 * (BANDS // 8), 48, batch_first=True)
        self.head = nn.Linear(48, CLASSES)

    def forward(self, x):  # x: (B, 1, bands, frames)
        z = self.conv(x)
        z = z.flatten(1, 2).transpose(1, 2)  # (B, frames/2, 32 * bands/8)
        out, _ = self.gru(z)
        return self.head(out[:, -1])


def build():
    torch.manual_seed(0)
    return CRNN()


def main():
    from _twentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    power, y = calls(1400, g)
    feats = 10 * torch.log10(power + 1e-10)
    feats = (feats - feats[:1100].mean()) / feats[:1100].std()
    ty = y[:1100].clone()
    flip = torch.rand(1100, generator=g) < 0.08
    ty[flip] = torch.where(ty[flip] == 0, 1, torch.where(ty[flip] == 1, 0,
                                                         torch.randint(0, CLASSES, (1,),
                                                                       generator=g)))
    tx, vx, vy = feats[:1100], feats[1100:], y[1100:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "history.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    for epoch in range(8):
        model.train()
        tl, tc = 0.0, 0
        for idx in torch.randperm(1100, generator=g).split(32):
            logits = model(tx[idx])
            loss = nn.functional.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (logits.argmax(1) == ty[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            vl = model(vx)
            val_loss = nn.functional.cross_entropy(vl, vy).item()
            val_acc = (vl.argmax(1) == vy).float().mean().item()
        row = [epoch, round(tl / 1100, 4), round(tc / 1100, 4), round(val_loss, 4),
               round(val_acc, 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch, "batch_size": 32}, out / "crnn_calls.pt")
    assert math.isfinite(val_loss)
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="crnn_calls.pt",
           log="history.csv", what="CRNN on log-mel call spectrograms, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
