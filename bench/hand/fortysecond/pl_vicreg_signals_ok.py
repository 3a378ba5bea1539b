"""PyTorch Lightning: VICReg self-supervised pre-training (Bardes et al.) on synthetic 1-D
vibration signals: 64 samples per window, 4 machine states (a base tone of 3, 4, 5 or 6 cycles
per window, random phase and amplitude, a harmonic, noise std 0.5). Two views per window: random
circular shift, amplitude scale 0.7–1.3, Gaussian noise 0.3 and a random 8-sample dropout.
Encoder Conv1d 1 → 16 → 32 (kernel 5, BatchNorm, ReLU, stride 2) + global average pool →
representation 32, expander 32 → 64 → 64; loss 25 · invariance + 25 · variance (hinge at std 1)
+ 1 · covariance. Adam 1e-3, batch 128, 20 epochs, ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. At each validation a linear probe (ridge regression onto
one-hot states, fitted in closed form on 512 frozen training representations) is scored on the
validation windows (``val_probe_acc``). Healthy: the loss falls from ~20 and flattens near 16
(the variance and covariance terms never reach 0 with a 64-d expander), the probe accuracy rises
from 0.78 to 0.87–0.88 and is flat over the last 6 epochs (the noise caps it), the val loss
tracks the train loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

LEN, STATES = 64, 4


def windows(n, g):
    y = torch.randint(0, STATES, (n,), generator=g)
    t = torch.arange(LEN).float()
    freq = (3 + y).float()[:, None]
    phase = 2 * torch.pi * torch.rand(n, 1, generator=g)
    amp = 0.5 + torch.rand(n, 1, generator=g)
    x = amp * torch.sin(2 * torch.pi * freq * t / LEN + phase)
    x = x + 0.3 * amp * torch.sin(4 * torch.pi * freq * t / LEN + 2 * phase)
    return (x + 0.5 * torch.randn(n, LEN, generator=g))[:, None], y


def augment(x):
    shift = int(torch.randint(0, LEN, (1,)))
    v = torch.roll(x, shift, dims=2) * (0.7 + 0.6 * torch.rand(len(x), 1, 1))
    v = v + 0.3 * torch.randn_like(v)
    start = int(torch.randint(0, LEN - 8, (1,)))
    v[:, :, start:start + 8] = 0
    return v


def vicreg(a, b):
    inv = F.mse_loss(a, b)
    a, b = a - a.mean(0), b - b.mean(0)
    std_a, std_b = torch.sqrt(a.var(0) + 1e-4), torch.sqrt(b.var(0) + 1e-4)
    var = F.relu(1 - std_a).mean() / 2 + F.relu(1 - std_b).mean() / 2
    n, d = a.shape
    cov_a, cov_b = a.T @ a / (n - 1), b.T @ b / (n - 1)
    off = ~torch.eye(d, dtype=torch.bool)
    cov = cov_a[off].pow(2).sum() / d + cov_b[off].pow(2).sum() / d
    return inv, var, cov


class VICReg(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(
            nn.Conv1d(1, 16, 5, stride=2, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.expander = nn.Sequential(nn.Linear(32, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                      nn.Linear(64, 64))
        self.probe_data = None

    def forward(self, x):
        return self.encoder(x)

    def _loss(self, x, stage):
        inv, var, cov = vicreg(self.expander(self(augment(x))), self.expander(self(augment(x))))
        loss = 25 * inv + 25 * var + cov
        self.log(f"{stage}_loss", loss, on_step=stage == "train", on_epoch=True)
        self.log(f"{stage}_inv", inv, on_epoch=True)
        self.log(f"{stage}_var", var, on_epoch=True)
        self.log(f"{stage}_cov", cov, on_epoch=True)
        return loss

    def training_step(self, batch, _):
        return self._loss(batch[0], "train")

    def validation_step(self, batch, _):
        x, y = batch
        self._loss(x, "val")
        px, py = self.probe_data
        feats = self(px)
        mu, sd = feats.mean(0), feats.std(0) + 1e-6
        a = torch.cat([(feats - mu) / sd, torch.ones(len(px), 1)], 1)
        w = torch.linalg.solve(a.T @ a + 1e-2 * torch.eye(a.shape[1]),
                               a.T @ F.one_hot(py, STATES).float())
        vf = torch.cat([(self(x) - mu) / sd, torch.ones(len(x), 1)], 1)
        self.log("val_probe_acc", ((vf @ w).argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return VICReg()


def main():
    from _fortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(2600, g)
    tx, ty, vx, vy = x[:2048], y[:2048], x[2048:], y[2048:]
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(tx, ty), batch_size=128, shuffle=True)
    val = torch.utils.data.DataLoader(ds(vx, vy), batch_size=552)
    L.seed_everything(0)
    model = build()
    model.probe_data = (tx[:512], ty[:512])
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="vicreg"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(model, train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (vx[:128], vy[:128]), causes=[],
           checkpoint="vicreg/version_0/checkpoints/last.ckpt",
           log="vicreg/version_0/metrics.csv",
           what="Lightning VICReg on 1-D vibration windows, ridge linear probe (healthy)")


if __name__ == "__main__":
    main()
