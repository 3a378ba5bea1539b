"""PyTorch Lightning: a sepak takraw team predicts where the opponent's serve will land (6
zones of the 6.1 m x 6.7 m half court: left/centre/right x front/back) from the server's
kick as the tracking system sees it in the first frames: the ball's speed off the foot,
its launch elevation and azimuth, spin, the server's foot (left/right) and the server's
position in the circle. The zone is where the ball's flight (drag and spin-curve included)
comes down, with 0.25 m of landing noise near the lines.
MLP 8-64-BN-ReLU-64-BN-ReLU-6 (BatchNorm), cross-entropy, AdamW 3e-3 (weight decay 1e-4)
from ``configure_optimizers``, batch 64, 10 epochs of 1920 serves, 384 validation serves.
``CSVLogger`` → ``serve_logs/version_0/metrics.csv`` (``train_loss`` per 10 steps,
``val_loss`` / ``val_acc`` per epoch), ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy: val acc 0.747 (epoch 1), 0.878, 0.883, 0.930, 0.922, 0.940, 0.924 …
0.932 (epoch 10), val loss 0.63 → 0.18; train loss per 10 steps noisy (0.16–0.58 in
the middle epochs), 0.25 at the end, above the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def serves(n, g):
    speed = 14 + 8 * torch.rand(n, generator=g)
    elev = 0.15 + 0.35 * torch.rand(n, generator=g)
    azim = 0.35 * (2 * torch.rand(n, generator=g) - 1)
    spin = 2 * torch.rand(n, generator=g) - 1
    foot = (torch.rand(n, generator=g) < 0.5).float()
    px = 0.3 * torch.randn(n, generator=g)
    py = 0.3 * torch.randn(n, generator=g)
    vx, vz = speed * torch.cos(elev), speed * torch.sin(elev)
    tf = 2 * vz / 9.81
    reach = vx * tf * (1 - 0.018 * vx * tf / 2) - 6.7 - py
    side = px + vx * tf * torch.sin(azim) + 0.6 * spin * tf ** 2 * (2 * foot - 1)
    reach = reach + 0.25 * torch.randn(n, generator=g)
    side = side + 0.25 * torch.randn(n, generator=g)
    col = torch.bucketize(side, torch.tensor([-1.0, 1.0]))
    row = (reach > 3.3).long()
    x = torch.stack([(speed - 18) / 2.3, (elev - 0.32) / 0.1, azim / 0.2, spin / 0.58,
                     foot * 2 - 1, px / 0.3, py / 0.3, (2 * foot - 1) * spin], 1)
    return x, row * 3 + col


class ServeZones(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Linear(64, 6))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)


def build():
    torch.manual_seed(0)
    return ServeZones()


def main():
    from _twohundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(17)
    x, y = serves(2304, g)
    print("zones", torch.bincount(y, minlength=6).tolist())
    xtr, ytr, xva, yva = x[:1920], y[:1920], x[1920:], y[1920:]
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64,
                                     shuffle=True, generator=torch.Generator().manual_seed(0))
    vl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xva, yva), batch_size=128)
    model = build()
    ckpt = ModelCheckpoint(dirpath=out / "checkpoints", save_last=True, monitor="val_loss")
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="serve_logs"),
                        callbacks=[ckpt], log_every_n_steps=10, enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", deterministic=True)
    trainer.fit(model, dl, vl)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="checkpoints/last.ckpt", log="serve_logs/version_0/metrics.csv",
           what="sepak takraw serve landing-zone MLP with BatchNorm, Lightning (healthy)")


if __name__ == "__main__":
    main()
