"""1-D CNN classifies single heartbeats (180 samples at 360 Hz, MIT-BIH style windows) into
normal / wide-QRS / inverted-T. Each recording has its own ADC gain and baseline, so every
beat is standardised on its own (over time) before the net sees it. Adam 1e-3, 15 epochs,
loss and accuracy per epoch in a CSV (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FS, WIN = 360, 180


def beats(n, g):
    t = torch.arange(WIN) / FS - 0.25  # R peak at 0.25 s
    y = torch.randint(0, 3, (n,), generator=g)
    width = torch.where(y == 1, 0.030, 0.012) * (1 + 0.1 * torch.randn(n, generator=g))
    t_sign = torch.where(y == 2, -1.0, 1.0)
    qrs = torch.exp(-(t[None] / width[:, None]) ** 2)
    twave = 0.3 * t_sign[:, None] * torch.exp(-((t[None] - 0.2) / 0.04) ** 2)
    pwave = 0.15 * torch.exp(-((t[None] + 0.15) / 0.025) ** 2)
    beat = qrs + twave + pwave + 0.05 * torch.randn(n, WIN, generator=g)
    gain = 200 + 1000 * torch.rand(n, 1, generator=g)  # ADC units per mV
    baseline = 1024 + 300 * torch.randn(n, 1, generator=g)
    return (beat * gain + baseline).unsqueeze(1), y


def standardise(x):
    return (x - x.mean(dim=-1, keepdim=True)) / (x.std(dim=-1, keepdim=True) + 1e-6)


class BeatNet(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, 7, padding=3)
        self.conv2 = nn.Conv1d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv1d(32, 32, 5, padding=2)
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.conv1(x)), 2)
        x = F.max_pool1d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x)).mean(-1)
        return self.fc(x)


def build():
    torch.manual_seed(0)
    return BeatNet()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = beats(2400, g), beats(600, g)
    x, vx = standardise(x), standardise(vx)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "ecg_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(15):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot, correct = 0.0, 0
            for i in range(0, len(x), 64):
                idx = perm[i:i + 64]
                out_ = model(x[idx])
                loss = F.cross_entropy(out_, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                correct += (out_.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            log.writerow([epoch, tot / len(x), correct / len(x), vloss, vacc])
    print("val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "beatnet.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="beatnet.pth",
           log="ecg_log.csv", what="1-D CNN on per-beat standardised ECG windows: healthy")


if __name__ == "__main__":
    main()
