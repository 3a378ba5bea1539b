"""PyTorch Lightning: a 1-D CNN with BatchNorm reads a CTD cast from a fjord's inner basin (64
depth bins from the surface to 128 m: temperature, salinity, dissolved oxygen) and says which
state the basin is in: deep-water renewal (dense, salty, oxygen-rich water has just spilled over
the sill and fills the bottom), stagnant (the deep water is old: oxygen falls with depth below
the sill depth), or flushed surface (a thick fresh, cold meltwater layer, deep water unchanged).
Sill depth, the pycnocline depth and the surface values vary from cast to cast; the sensors add
noise and the oxygen sensor a slow drift. Conv1d(3→16, k5)-BN-ReLU-pool, Conv1d(16→32,
k5)-BN-ReLU-pool, Conv1d(32→32, k3)-BN-ReLU, global average pool, Linear(32→3); SGD 0.05 with
Nesterov momentum 0.9 and ``StepLR`` (×0.3 at epoch 6) from ``configure_optimizers``, batch
32, 8 epochs of 768 casts, shuffled. ``CSVLogger`` → ``metrics.csv`` (``train_loss`` every 6
steps, ``val_loss`` / ``val_acc`` per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy 0.93, 0.95, 0.95, 0.965, 0.92, 0.96, 0.98, 0.97 per epoch (a dip at
epoch 5 before the step decay), val loss 0.29 → 0.072–0.088; the per-step train loss is noisy
(0.015–0.11 in the last epoch)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

D = 64


def casts(n, g):
    z = torch.arange(D).float() * 2.0  # metres
    y = torch.randint(0, 3, (n,), generator=g)
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sill = 40 + 30 * r(n, 1)
    pyc = 8 + 10 * r(n, 1)
    temp = 4 + 6 * torch.sigmoid((pyc - z) / 3) + 0.5 * r(n, 1)
    sal = 33 - 5 * torch.sigmoid((pyc - z) / 3) - 0.5 * r(n, 1)
    oxy = 7 - 0.01 * z + 0.3 * r(n, 1)
    below = torch.sigmoid((z - sill) / 3)
    renew, stag, fresh = (y == 0).float()[:, None], (y == 1).float()[:, None], (y == 2).float()[:, None]
    deep = 0.5 * torch.randn(n, 1, generator=g) * below  # last year's deep water, any state
    sal = sal + renew * 0.35 * below - fresh * 1.2 * torch.sigmoid((2 * pyc - z) / 3)
    temp = temp + renew * 0.5 * below - fresh * 0.8 * torch.sigmoid((2 * pyc - z) / 3)
    oxy = oxy + deep + renew * 0.8 * below - stag * 0.02 * (z - sill).clamp(min=0)
    x = torch.stack([(temp - 6) / 2, (sal - 31) / 2, (oxy - 6) / 1.5], 1)
    x = x + 0.3 * torch.randn(n, 3, D, generator=g) + 0.2 * torch.randn(n, 3, 1, generator=g) \
        * torch.linspace(0, 1, D)
    return x, y


class BasinCNN(L.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.save_hyperparameters()

        def block(i, o, k):
            return [nn.Conv1d(i, o, k, padding=k // 2, bias=False), nn.BatchNorm1d(o), nn.ReLU()]
        self.net = nn.Sequential(*block(3, 16, 5), nn.MaxPool1d(2), *block(16, 32, 5),
                                 nn.MaxPool1d(2), *block(32, 32, 3))
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.net(x).mean(2))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9, nesterov=True)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)]


def build():
    torch.manual_seed(0)
    return BasinCNN()


def main():
    from _twohundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = casts(1024, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:768], y[:768]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[768:], y[768:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="basin"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[768:832], y[768:832]), causes=[],
           checkpoint="basin/version_0/checkpoints/last.ckpt",
           log="basin/version_0/metrics.csv",
           what="Lightning 1-D BN CNN reading fjord-basin CTD casts (renewal / stagnant / fresh)"
                " (healthy)")


if __name__ == "__main__":
    main()
