"""Plain torch: a haggis kitchen tells the stage of a haggis simmering in its pot from 64
half-minute samples of three sensors: water temperature, steam over the lid and a probe in
the haggis. Underdone: the probe levels off below 72 C; done: it climbs past 72 C and levels
off; casing burst: it climbs, then for two minutes at a random moment the probe jumps 12 C
(oatmeal spills onto it) and the steam spikes. Training clips are jittered by ``augment``
(gain ×0.8-1.2, sensor noise 0.3, a shift of up to 6 samples, and a 16-sample span masked
to zero). 1-D CNN conv(3→32, k5)-ReLU-conv(32→32, k5)-ReLU, mean and max pool, linear → 3
(no normalisation layers), cross-entropy, Adam 2e-3, batch 64, 12 epochs of 1536 pots, 512
validation pots. Per-epoch CSV ``pot_epochs.csv`` (``epoch`` / ``train_loss`` /
``train_acc`` / ``val_loss`` / ``val_acc``); checkpoint keys ``state_dict`` / ``optimizer``
/ ``epoch``. The saved batch is the first validation batch as the loader gives it.

Bug: ``val = Loader(xva, yva, 128, True, g)``: the validation loader is built with the
training flag, so every evaluation draws new noise, gain, shift and a masked span (which
can hide the burst) and shuffles (harmless). Numbers: val accuracy 0.836 (epoch 1), 0.947,
0.928, 0.857, 0.840, 0.898, 0.891, 0.893, 0.877, 0.828, 0.881, 0.910 (epoch 12); val loss
0.600, 0.227, 0.231, 0.336, 0.378, 0.253, 0.270, 0.280, 0.316, 0.401, 0.267, 0.222; train
accuracy 0.66 → 0.90. Control (``Loader(xva, yva, 128, False, g)``, one sed): val accuracy
0.992, 0.977, 0.994, 0.994, 0.994, 0.998, 1.000, 0.994, 0.996, 1.000, 0.998, 0.998; val loss
0.393 → 0.047 (the training columns differ slightly after epoch 1 because the augmented
evaluation also draws from the shared generator)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = ["underdone", "done", "casing_burst"]


def pots(n, g):
    """64 half-minute samples of a haggis kitchen's simmering pot: water temperature,
    steam (humidity over the lid) and the probe inside the haggis. Underdone: the probe
    never reaches 72 C; done: it climbs past 72 C and levels off; casing burst: it climbs,
    then at one moment the probe jumps (oatmeal spills onto it) and steam spikes."""
    t = torch.arange(64.0)
    y = torch.randint(0, 3, (n,), generator=g)
    water = 90 + 4 * torch.randn(n, 1, generator=g) + torch.randn(n, 64, generator=g)
    rate = 0.05 + 0.03 * torch.rand(n, 1, generator=g)
    top = torch.where(y == 0, 55 + 12 * torch.rand(n, generator=g),
                      76 + 8 * torch.rand(n, generator=g)).unsqueeze(1)
    probe = 10 + (top - 10) * (1 - torch.exp(-rate * t))
    steam = 60 + 5 * torch.randn(n, 64, generator=g)
    at = torch.randint(20, 60, (n, 1), generator=g)
    burst = ((y == 2).unsqueeze(1) & (t >= at) & (t < at + 4)).float()
    probe = probe + 12 * burst + 1.5 * torch.randn(n, 64, generator=g)
    steam = steam + 25 * burst
    x = torch.stack([(water - 90) / 4, (steam - 62) / 8, (probe - 50) / 20], 1)
    return x, y


def augment(x, g):
    """Training-time jitter: gain, sensor noise, a shift, and one masked 16-sample span."""
    x = x * (0.8 + 0.4 * torch.rand(x.size(0), 1, 1, generator=g))
    x = x + 0.3 * torch.randn(x.shape, generator=g)
    x = torch.roll(x, int(torch.randint(-6, 7, (1,), generator=g)), 2)
    s = int(torch.randint(0, 48, (1,), generator=g))
    x[:, :, s:s + 16] = 0
    return x


class Loader:
    def __init__(self, x, y, bs, train, g):
        self.x, self.y, self.bs, self.train, self.g = x, y, bs, train, g

    def __iter__(self):
        n = len(self.x)
        order = torch.randperm(n, generator=self.g) if self.train else torch.arange(n)
        for i in range(0, n, self.bs):
            idx = order[i:i + self.bs]
            xb = self.x[idx].clone()
            if self.train:
                xb = augment(xb, self.g)
            yield xb, self.y[idx]


class StageCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(3, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(64, 3)

    def forward(self, x):
        h = self.conv(x)
        return self.fc(torch.cat([h.mean(2), h.amax(2)], 1))


def build():
    torch.manual_seed(0)
    return StageCNN()


def main():
    from _twohundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = pots(1536 + 512, g)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    train = Loader(xtr, ytr, 64, True, g)
    val = Loader(xva, yva, 128, True, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "pot_epochs.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(1, 13):
        model.train()
        tl = ta = 0.0
        for xb, yb in train:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(yb)
            ta += (logits.argmax(1) == yb).sum().item()
        model.eval()
        vl = va = 0.0
        with torch.no_grad():
            for xb, yb in val:
                lv = model(xb)
                vl += F.cross_entropy(lv, yb, reduction="sum").item()
                va += (lv.argmax(1) == yb).sum().item()
        row = [epoch, f"{tl / 1536:.4f}", f"{ta / 1536:.4f}", f"{vl / 512:.4f}",
               f"{va / 512:.4f}"]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 12}, out / "pot_cnn.pt")
    xb, yb = next(iter(val))
    finish(out, __file__, (xb[:64], yb[:64]), causes=["eval_data_augmented"],
           checkpoint="pot_cnn.pt", log="pot_epochs.csv",
           what="1-D CNN telling a simmering haggis's stage from pot sensor traces; validation"
                " loader built with train=True",
           complaint="The haggis stage model won't settle: validation accuracy goes 0.84, 0.95, 0.93, 0.86, 0.84, 0.90 ... 0.83 at epoch 10 and 0.91 at the end, and val loss jumps between 0.22 and 0.40 from one epoch to the next with no trend after epoch 2. Train accuracy is a steady 0.89-0.91. When the chef reads the same traces he is basically never wrong, so I expected better than ~88 % and at least a stable curve. Is the model too small?")


if __name__ == "__main__":
    main()
