"""Plain torch: a small 1-D CNN labels 2-s windows (50 samples at 25 Hz) of Adélie penguin
bio-logger data (surge / heave / sway acceleration + depth) as swimming, diving, porpoising or
resting, for a colony foraging study. Each window is standardised on its own, channel by
channel (``(x - mean) / std`` over time), so that loggers glued at slightly different angles
look alike. Resting birds on the ice give windows where the logger's 8-bit channels do not
change at all, and the depth channel is a constant 0 m at the surface for every non-diving
window; the standardisation has no epsilon. The depth channel is 0/0 = NaN in 75 % of the
windows, and the flat acceleration channels of resting birds (26 %) divide a rounding residue
by a std of ~1e-8 (inf). Adam 1e-3, batch 32, 6 epochs. Train and val NLL NaN from epoch 1,
every weight tensor NaN in the checkpoint, val accuracy 0.2425 (the argmax of NaN logits).
Control (``/ (x.std(-1, keepdim=True) + 1e-6)``): val NLL 1.10 → 0.010, val accuracy 0.99 →
1.0, train NLL 0.0135."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

W = 50


def windows(n, g):
    y = torch.randint(0, 4, (n,), generator=g)          # 0 swim 1 dive 2 porpoise 3 rest
    t = torch.arange(W).float()[None]
    f = torch.tensor([2.0, 1.5, 1.2, 0.0])[y][:, None] * (1 + 0.1 * torch.randn(n, 1, generator=g))
    ph = 6.28 * torch.rand(n, 1, generator=g)
    amp = torch.tensor([1.0, 1.4, 0.8, 0.0])[y][:, None]
    surge = amp * torch.sin(6.28 * f * t / 25 + ph)
    heave = amp * 0.5 * torch.sin(6.28 * f * t / 25 + ph + 1.0)
    heave = heave + torch.where((y == 2)[:, None], 1.5 * torch.sin(6.28 * t / 50), 0.0)
    sway = 0.3 * amp * torch.randn(n, W, generator=g)
    depth = torch.where((y == 1)[:, None], 2 + 0.3 * t, 0.0)
    x = torch.stack([surge, heave, sway, depth], 1)
    noise = 0.05 * torch.randn(n, 4, W, generator=g)
    noise[:, 3] = 0.0                                    # pressure sensor: 0.1 m resolution
    x = x + torch.where((y == 3)[:, None, None], 0.0, noise)
    x = torch.round(x * 20) / 20                           # 8-bit logger
    x[:, :3] += torch.tensor([0.1, -0.98, 0.05])[None, :, None]   # gravity, mounting angle
    return x, y


def standardise(x):
    return (x - x.mean(-1, keepdim=True)) / x.std(-1, keepdim=True)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(4, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _hundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1600, g)
    xva, yva = windows(400, g)
    xtr, xva = standardise(xtr), standardise(xva)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "behaviour_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "train_nll", "val_nll", "val_accuracy"])
    step = 0
    for epoch in range(6):
        model.train()
        tl = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tl += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
        row = [epoch + 1, step, round(tl / len(xtr), 4), round(vl, 4), round(va, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "step": step, "classes": ["swim", "dive", "porpoise", "rest"], "hz": 25},
               out / "penguin_cnn_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="penguin_cnn_last.pt", log="behaviour_log.csv",
           what="penguin bio-logger behaviour CNN, per-window (x - mean) / std without epsilon; "
                "flat channels (resting birds, surface depth) give 0/0 = NaN",
           complaint="Penguin behaviour CNN: the loss is nan right from the first epoch, both "
                     "train_nll and val_nll, for all 6 epochs, and val accuracy is stuck at 0.2425. "
                     "I checked the raw logger files and there are no NaNs in them.")


if __name__ == "__main__":
    main()
