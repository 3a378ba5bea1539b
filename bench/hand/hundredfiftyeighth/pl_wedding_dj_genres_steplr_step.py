"""PyTorch Lightning: a wedding DJ's set-planning helper tags 3-s song snippets by dance style
from log-mel spectrograms (1 × 32 mel bands × 48 frames): first dance (slow ballad: sustained
low harmonics, no beat), waltz (a strong beat every 3rd pulse), disco (four-on-the-floor kick +
off-beat hi-hat in the top bands), salsa (syncopated clave pattern in the mid bands) and
hora (a fast 2/4 pulse with a bright accordion band); random tempo within each style,
random gain, pink-ish noise. A small CNN (1 → 16 → 32 → 32, 3×3, BatchNorm, ReLU, max-pools,
global average pool, dropout 0.2, linear head for 5 styles). ``configure_optimizers``: Adam
2e-3 with ``StepLR(step_size=10, gamma=0.5)`` (the recipe's "halve every 10 epochs" for a
40-epoch run); batch 32, 8 epochs of 960 snippets (30 steps an epoch); ``CSVLogger`` →
``metrics.csv`` (train loss every 5 steps, val loss and val acc per epoch),
``ModelCheckpoint(save_last=True)``.
Bug: the scheduler is returned as ``{"scheduler": ..., "interval": "step"}`` (copied from a
warm-up recipe), so StepLR halves the lr every 10 *batches*: 2e-3 → 2.5e-4 after epoch 1,
3.1e-5 after epoch 2, 2e-3 · 0.5^24 ≈ 1.2e-10 at the end. The loss freezes after epoch 1: train
loss (epoch mean) 1.13, 0.91, 0.89, 0.88, 0.88, 0.88, 0.88, 0.88; val loss 1.12, then 0.862 →
0.846 (flat); val acc 0.56, then 0.93–0.95 (the argmax is mostly right, with low confidence).
Control (``"interval": "epoch"``; 8 epochs never reach the first halving): train loss 1.07,
0.58, 0.34, 0.20, 0.14, 0.10, 0.065, 0.052; val loss 0.059, val acc 1.00 (0.90 at epoch 6)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

MEL, FR = 32, 48
STYLES = ["first dance", "waltz", "disco", "salsa", "hora"]


def snippets(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.arange(FR).float()
    mel = torch.arange(MEL).float()[:, None]
    x = torch.zeros(n, 1, MEL, FR)
    for i in range(n):
        k = int(y[i])
        per = float(4 + 3 * torch.rand(1, generator=g))          # frames per beat
        ph = float(torch.rand(1, generator=g)) * per
        beat = ((t + ph) % per) < 1.2
        s = torch.zeros(MEL, FR)
        if k == 0:
            f0 = float(3 + 4 * torch.rand(1, generator=g))
            s += 1.2 * torch.exp(-((mel - f0) ** 2) / 4) + 0.6 * torch.exp(-((mel - 2 * f0) ** 2) / 4)
        elif k == 1:
            strong = (((t + ph) / per).floor() % 3 == 0) & beat
            s += 1.5 * strong.float()[None] * torch.exp(-mel / 8) + 0.5 * beat.float()[None] * (mel > 12)
        elif k == 2:
            off = (((t + ph + per / 2) % per) < 1.0).float()
            s += 1.6 * beat.float()[None] * (mel < 6) + 1.0 * off[None] * (mel > 25)
        elif k == 3:
            clave = (((t + ph) % (4 * per)) < 1) | (((t + ph + 1.5 * per) % (4 * per)) < 1)
            s += 1.3 * clave.float()[None] * ((mel > 10) & (mel < 20)) + 0.4 * beat.float()[None] * (mel < 5)
        else:
            fast = (((t + ph) % (per / 2)) < 0.8).float()
            s += 1.0 * fast[None] * (mel < 8) + 0.9 * ((mel > 20) & (mel < 24)).float()
        s = s * (0.6 + 0.8 * float(torch.rand(1, generator=g)))
        x[i, 0] = s + 0.35 * torch.randn(MEL, FR, generator=g) + 0.3 * torch.exp(-mel / 10)
    return x, y


class DanceStyleNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        def blk(i, o):
            return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
        self.features = nn.Sequential(*blk(1, 16), nn.MaxPool2d(2), *blk(16, 32), nn.MaxPool2d(2),
                                      *blk(32, 32))
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean((2, 3))))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        lo = self(x)
        self.log("val_loss", F.cross_entropy(lo, y))
        self.log("val_acc", (lo.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return DanceStyleNet()


def main():
    from _hundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(3)
    x, y = snippets(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=120)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="dj_styles"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=["scheduler_step_per_batch"],
           checkpoint="dj_styles/version_0/checkpoints/last.ckpt",
           log="dj_styles/version_0/metrics.csv",
           what="Lightning dance-style CNN, StepLR(step_size=10) written for epochs stepped "
                "every batch (interval 'step')",
           complaint="My dance-style tagger for wedding playlists stops learning after the first "
                     "epoch. Train loss goes 1.13 -> 0.91 in epoch 2 and then sits at 0.88 for "
                     "the remaining six epochs; val loss is stuck at 0.85 (0.862 -> 0.846) and "
                     "val acc at 0.93-0.95. Training longer changes nothing, the curve is flat.")


if __name__ == "__main__":
    main()
