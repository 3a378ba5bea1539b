"""A 1-D CNN with BatchNorm classifies permafrost sites from a 48-point ground temperature profile
(0–24 m depth, one reading every 0.5 m, late-summer read-out of a thermistor string): stable
permafrost (the profile stays below 0 °C under a thin active layer), degrading permafrost (a
deeper active layer and a warm-side curve bending towards 0 °C) or a talik (an unfrozen layer
above 0 °C sandwiched between frozen ground). Each profile also has a random surface
temperature, a random geothermal gradient and sensor noise (σ 0.6 °C). Conv1d(1→16, 5)-ReLU-pool
2, Conv1d(16→16, 5)-ReLU-pool 4, flatten, Linear(96→64)-BatchNorm1d-ReLU, Linear(64→32)-
BatchNorm1d-ReLU, Linear(32→3); Adam 1e-3, 4 epochs of 800 profiles (200 for validation).
Log: ``thermistor_log.csv`` (epoch, train_loss, train_acc, val_loss,
val_acc, the validation in eval mode); checkpoint ``model_state_dict`` /
``optimizer_state_dict`` / ``epoch``.
Bug: ``BATCH_SIZE = 2`` ("the field laptop ran out of memory"): each BatchNorm normalises two
profiles at a time, so the train-mode activations are almost sign-only and the running
statistics used in eval are averages of two-sample estimates. Numbers: the train
loss goes 0.99, 0.90, 0.85, 0.89 and the train accuracy 0.50, 0.54, 0.59, 0.55 over the 4 epochs;
the eval-mode validation accuracy is 0.70, 0.705, 0.78, 0.665 (val loss 0.73, 0.74, 0.61, 0.69).
Control (``BATCH_SIZE = 32``): train accuracy 0.78 → 0.995,
validation accuracy 0.715, 0.985, 0.99, 1.00, val loss 0.91 → 0.098."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

D, BATCH_SIZE = 48, 2


def profiles(n, g):
    z = torch.linspace(0, 24, D)
    y = torch.randint(0, 3, (n,), generator=g)
    surf = 2 + 6 * torch.rand(n, 1, generator=g)
    grad = 0.02 + 0.03 * torch.rand(n, 1, generator=g)
    base = -4 + 2.5 * torch.rand(n, 1, generator=g)
    al = torch.where(y[:, None] == 0, 0.8 + 0.7 * torch.rand(n, 1, generator=g),
                     2.0 + 2.0 * torch.rand(n, 1, generator=g))
    t = base + grad * z + (surf - base) * torch.exp(-z / al)
    warm = (y[:, None] == 1).float() * 2.5 * torch.exp(-((z - 8) / 6) ** 2)
    t = t + warm * (0.5 + torch.rand(n, 1, generator=g))
    c = 5 + 6 * torch.rand(n, 1, generator=g)
    talik = (y[:, None] == 2).float() * (-base + 0.8) * torch.exp(-((z - c) / 1.5) ** 2)
    t = t + talik + 0.6 * torch.randn(n, D, generator=g)
    return (t.unsqueeze(1) + 1.0) / 2.5, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(4),
                         nn.Flatten(), nn.Linear(96, 64), nn.BatchNorm1d(64), nn.ReLU(),
                         nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))


COMPLAINT = ('my ground-temperature site classifier is stuck: train accuracy never gets past '
             'about 55 % and the loss sits near 0.9 for all 4 epochs, validation '
             'accuracy wobbles 0.70, 0.71, 0.78, 0.67 - and the three profile types '
             'look completely different when I plot them')


def main():
    from _hundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = profiles(1000, g)
    xt, yt, xv, yv = x[:800], y[:800], x[800:], y[800:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "thermistor_log.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(4):
            model.train()
            tl, ta = 0.0, 0
            for idx in torch.randperm(800, generator=g).split(BATCH_SIZE):
                logits = model(xt[idx])
                loss = F.cross_entropy(logits, yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(idx)
                ta += (logits.argmax(1) == yt[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xv)
                vl = F.cross_entropy(lv, yv).item()
                va = (lv.argmax(1) == yv).float().mean().item()
            w.writerow([epoch, round(tl / 800, 5), round(ta / 800, 4), round(vl, 5),
                        round(va, 4)])
            print(epoch, round(tl / 800, 4), round(ta / 800, 4), round(vl, 4), round(va, 4))
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": 4},
               out / "ground_temp_cnn.pt")
    finish(out, __file__, (xv[:64], yv[:64]), causes=["bn_small_batch"],
           checkpoint="ground_temp_cnn.pt", log="thermistor_log.csv",
           what="1-D CNN with BatchNorm classifying permafrost ground temperature profiles"
                " (thermistor strings)",
           complaint=COMPLAINT)


if __name__ == "__main__":
    main()
