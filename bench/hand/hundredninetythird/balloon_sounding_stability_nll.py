"""Plain torch: a 1-D CNN with BatchNorm names the stability class of the lower atmosphere
(stable / conditionally unstable / absolutely unstable) from a weather balloon's ascent
telemetry: 64 samples of temperature, dew point and ascent rate from the launch to 6 km. The
class sets the temperature lapse (with a capping inversion for stable days) and the ascent rate
(a balloon rises faster in convective air); sensor noise and random surface temperature on top.
Conv1d(3→16)-BN-ReLU-pool, Conv1d(16→32)-BN-ReLU, global average pool, Linear(32→3); Adam 1e-3,
batch 32, 12 epochs of 1024 ascents, shuffled. The loss is written out by hand from
``log_softmax`` ("so we can add class weights later").
Log: CSV per epoch ``epoch``, ``train_nll``, ``train_acc``, ``val_nll``, ``val_acc``;
checkpoint ``state_dict`` / ``optimizer`` / ``ep``.
The bug: the hand-written NLL is ``logp.gather(1, y[:, None]).mean()``, the mean
log-likelihood, without the minus sign, so Adam maximises the loss:
the logged train NLL −1.56, −8.4, −30.2 at epochs 1, 5, 12; val cross-entropy 2.04 → 33.5; val
accuracy 0.15 at epoch 1, 0.02 at 4, 0.004 at 12 (worse than chance: the true class is pushed
down), train accuracy 0.15 → 0.03.
Control (``-logp.gather(...)``): val accuracy 0.57, 0.84, 0.94 at epochs 1–3, 0.97 at 12;
val cross-entropy 0.85 → 0.15; train NLL 0.95 → 0.16."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 64


def ascents(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    z = torch.linspace(0, 6, T)
    lapse = torch.tensor([4.5, 6.5, 9.3])[y] + 0.6 * torch.randn(n, generator=g)
    t0 = 15 + 8 * torch.randn(n, generator=g)
    temp = t0[:, None] - lapse[:, None] * z[None]
    inv = (y == 0).float()[:, None] * 3.0 * torch.sigmoid((z[None] - 1.2) * 6) \
        * torch.sigmoid((1.8 - z[None]) * 6)
    temp = temp + inv + 0.4 * torch.randn(n, T, generator=g)
    dew = temp - 2 - 3 * torch.rand(n, 1, generator=g) - 0.8 * z[None] \
        + 0.5 * torch.randn(n, T, generator=g)
    rise = 5 + 0.6 * y.float()[:, None] * torch.sin(z[None] * (2 + torch.rand(n, 1, generator=g))) \
        + 0.5 * torch.randn(n, T, generator=g)
    x = torch.stack([temp / 10, dew / 10, rise - 5], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32),
                         nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    from _hundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ascents(1024, g)
    xva, yva = ascents(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "stability_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_nll", "train_acc", "val_nll", "val_acc"])
        for epoch in range(1, 13):
            model.train()
            tl = ta = 0.0
            for xb, yb in train:
                logp = F.log_softmax(model(xb), 1)
                loss = logp.gather(1, yb[:, None]).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(yb)
                ta += (logp.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, round(tl / 1024, 4), round(ta / 1024, 4),
                   round(F.cross_entropy(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": 12},
               out / "stability_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="stability_cnn.pth", log="stability_log.csv",
           what="weather-balloon ascent stability 1-D CNN whose hand-written NLL lacks its minus",
           complaint=("Training the sounding stability CNN, the printed NLL goes -1.6, -8.4, -30"
                      " over 12 epochs, so it looks like it's learning fast, but validation"
                      " accuracy is 0.004 at the end (1 of 256 ascents right) and val loss is 33."
                      " Even train accuracy is 0.03. Three classes, so random should be 0.33."
                      " What am I doing wrong?"))


if __name__ == "__main__":
    main()
