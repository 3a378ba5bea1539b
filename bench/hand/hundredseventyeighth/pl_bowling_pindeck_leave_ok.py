"""PyTorch Lightning: a small CNN with batch norm reads which of the 10 pins are still standing
after a bowler's first ball from a 20×20 grey frame of the pinsetter's overhead camera
(multi-label, one output per pin). A standing pin is a bright round spot at its place in the
triangle (±0.4 px jitter); knocked-down pins lie as dimmer elongated blobs anywhere on the
deck (some cover a pin spot); the deck's boards are faint vertical stripes, the lighting has a
random gradient and there is sensor noise. The leaves follow real patterns: 30 % strikes,
single pins (10-pin, 7-pin), splits and washouts, random leaves for the rest.
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, flatten (5×5×32),
dropout 0.2, Linear(800→10); ``BCEWithLogitsLoss``; Adam 1e-3 from ``configure_optimizers``,
batch 32, 8 epochs of 1024 frames, shuffled. ``CSVLogger`` → ``metrics.csv`` (train loss every
8 steps, val loss / per-pin accuracy / whole-leave exact match per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val per-pin accuracy 0.925 after epoch 1 (val loss 0.266, exact match 0.59), then
0.973, 0.981, 0.986, 0.989, 0.992, 0.993 and 0.989 at epoch 8; exact match 0.93 at epoch 7,
0.90 at epoch 8 (val loss 0.028 → 0.035, a small uptick at the last epoch); the per-step train
loss ends at 0.010–0.026, a little under the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 20
# pin spots (row, col), head pin nearest the bowler (bottom of the frame)
SPOTS = torch.tensor([[16.0, 10], [12.5, 8], [12.5, 12], [9, 6], [9, 10], [9, 14],
                      [5.5, 4], [5.5, 8], [5.5, 12], [5.5, 16]])
LEAVES = [[], [10], [7], [7, 10], [6, 7, 10], [4, 7], [2, 4, 5, 8], [1, 2, 4, 10], [5], [3, 6, 10]]


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    kind = torch.rand(n, generator=g)
    y = torch.zeros(n, 10)
    for i in range(n):
        if kind[i] < 0.3:
            continue  # strike
        if kind[i] < 0.75:
            pins = LEAVES[1 + int(torch.randint(0, len(LEAVES) - 1, (1,), generator=g))]
            y[i, torch.tensor(pins) - 1] = 1
        else:
            y[i] = (torch.rand(10, generator=g) < 0.35).float()
    img = 0.04 * ((xx.long() % 3) == 0).float().expand(n, S, S).clone()
    img += (0.3 * torch.rand(n, 1, 1, generator=g) * (yy / S)
            + 0.2 * torch.rand(n, 1, 1, generator=g) * (xx / S))
    for i in range(n):
        down = 10 - int(y[i].sum())
        for _ in range(down):  # fallen pins: dim streaks at random angles
            cy, cx = 2 + 16 * torch.rand(2, generator=g)
            a = 3.1416 * float(torch.rand(1, generator=g))
            u = (yy - cy) * torch.cos(torch.tensor(a)) + (xx - cx) * torch.sin(torch.tensor(a))
            v = -(yy - cy) * torch.sin(torch.tensor(a)) + (xx - cx) * torch.cos(torch.tensor(a))
            img[i] += 0.45 * torch.exp(-(u / 2.2) ** 2 - (v / 0.8) ** 2)
        for p in torch.nonzero(y[i]).flatten().tolist():
            cy, cx = SPOTS[p] + 0.4 * (torch.rand(2, generator=g) * 2 - 1)
            img[i] += torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 1.4)
    img = img + 0.12 * torch.randn(img.shape, generator=g)
    return ((img - 0.3) / 0.35).unsqueeze(1), y


class PinDeckNet(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(800, 10))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        hit = (logits > 0).float() == y
        self.log("val_loss", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_pin_acc", hit.float().mean())
        self.log("val_exact", hit.all(1).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return PinDeckNet()


def main():
    from _hundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = frames(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="pindeck"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="pindeck/version_0/checkpoints/last.ckpt",
           log="pindeck/version_0/metrics.csv",
           what="Lightning BN CNN reading the standing pins (multi-label) from a pinsetter"
                " camera frame (healthy)")


if __name__ == "__main__":
    main()
