"""Plain torch: a 1-D CNN (no BatchNorm) regresses a discus thrower's release speed (m/s) from
the 64-sample IMU trace of the spin in the ring (6 channels: 3-axis gyro, 3-axis accelerometer,
wrist-worn). The release speed follows the peak angular velocity, how late in the turn it
peaks, and the final-phase acceleration; all of it is in the trace's shape, plus sensor noise.
Conv1d 6→16→32 (k=7, ReLU, pooling) → global max → Linear 32→16→1, MSE on standardised speed,
Adam 2e-3, batch 32, 25 epochs of 1024 throws, validation on 256 (MAE in m/s).
The bug: ``Net.__init__`` ends with a "deterministic start" loop,
``for m in self.modules(): if isinstance(m, (nn.Conv1d, nn.Linear)): nn.init.zeros_(m.weight);
nn.init.zeros_(m.bias)``. With every weight and bias at zero each ReLU sees 0 and passes no
gradient, so only the output bias moves and the model predicts the mean speed for every
throw: train MSE 0.9992 (the variance of the standardised target)
at epoch 1 and 25, val MSE 1.0649 → 1.0651, val MAE 2.011 m/s every epoch. Control (the ``self.apply(_zero)`` line removed, default init):
train MSE 0.949 → 0.0391, val MSE 0.9464 → 0.0427, val MAE 1.881 → 0.389
m/s (0.559 at epoch 9). Log: CSV per epoch (``epoch,mse,val_mse,val_mae_mps``); checkpoint keys
``model`` / ``optimizer`` / ``epoch`` / ``speed_mean`` / ``speed_std``."""
import csv

import torch
import torch.nn as nn

T = 64


def spins(n, g):
    t = torch.linspace(0, 1, T)
    peak = 18 + 8 * torch.rand(n, 1, generator=g)
    when = 0.55 + 0.3 * torch.rand(n, 1, generator=g)
    acc = 1 + torch.rand(n, 1, generator=g)
    gz = peak * torch.exp(-((t - when) / 0.12) ** 2)
    gx = 0.2 * peak * torch.sin(6 * t + when)
    gy = 0.1 * peak * torch.cos(4 * t)
    ax = acc * 10 * (t > when).float() * torch.exp(-(t - when).clamp(min=0) * 8)
    ay = 0.05 * gz ** 2 / 10
    az = 9.81 + 0.5 * torch.sin(10 * t).expand(n, T)
    x = torch.stack([gx, gy, gz, ax, ay, az], 1) / 10
    x = x + 0.1 * torch.randn(n, 6, T, generator=g)
    speed = 0.9 * peak[:, 0] + 4 * (when[:, 0] - 0.7) + 2.5 * acc[:, 0] + 0.2 * torch.randn(
        n, generator=g)
    return x, speed


def _zero(m):
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 7, padding=3), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
        self.apply(_zero)

    def forward(self, x):
        return self.head(self.conv(x).amax(-1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return Net()


def main():
    from _twohundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spins(1024, g)
    xva, yva = spins(256, g)
    mu, sd = ytr.mean(), ytr.std()
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, (ytr - mu) / sd),
                                         batch_size=32, shuffle=True)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "mse", "val_mse", "val_mae_mps"])
        for epoch in range(1, 26):
            model.train()
            run = 0.0
            for xb, yb in loader:
                optimizer.zero_grad()
                loss = nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                optimizer.step()
                run += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [epoch, round(run / len(ytr), 4),
                   round(nn.functional.mse_loss(p, (yva - mu) / sd).item(), 4),
                   round((p * sd + mu - yva).abs().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 25,
                "speed_mean": mu, "speed_std": sd}, out / "spin_cnn.pt")
    finish(out, __file__, (xva[:64], (yva[:64] - mu) / sd), causes=["zero_weight_init"],
           checkpoint="spin_cnn.pt", log="history.csv",
           what="discus spin IMU 1-D CNN with every conv/linear weight and bias zeroed in"
                " __init__: predicts the mean speed",
           complaint=("Release-speed regressor for our discus throwers (wrist IMU, 64 samples per"
                      " spin) is flat from the first epoch: train MSE 0.9992 every epoch for 25"
                      " epochs, val MAE 2.011 m/s every epoch, and every throw in the val set"
                      " gets the same prediction. I tried lr 2e-3 and the loss did not move at"
                      " all. Is 1024 throws too little data for a CNN?"))


if __name__ == "__main__":
    main()
