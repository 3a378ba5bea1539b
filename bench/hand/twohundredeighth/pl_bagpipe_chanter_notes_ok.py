"""PyTorch Lightning: a 1-D CNN names the chanter note (the nine notes of the Highland scale, Low G
to High A) in a 384-sample snippet of a bagpipe recording at 8 kHz. Every snippet carries the
three drones (a bass drone and two tenors, an octave above, with a slow beat between the tenors
that are never quite in tune), the chanter note with its own harmonic mix and a random grace-note
blip at the start of a third of the snippets, and microphone noise; loudness varies from player
to player. Conv1d(1→16, k9, stride 2)-BN-ReLU, Conv1d(16→32, k7)-BN-ReLU-pool, Conv1d(32→32,
k5)-BN-ReLU, global average pool, Linear(32→9); Adam 3e-3 with a cosine schedule from
``configure_optimizers``, batch 32, 8 epochs of 1152 snippets, shuffled.
``CSVLogger`` → ``metrics.csv`` (train loss every 6 steps, val loss and accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy 0.53, 0.60, 0.92, 0.67, 0.95, 0.97, 0.98, 1.00 over the 8 epochs (the
dip at epoch 4 is the batch-norm running statistics catching up), val loss 1.35 → 0.21; the
per-step train loss stays noisy (0.30–0.39 in the last epoch) and above the val loss."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

SR, N = 8000, 384
# Highland bagpipe chanter, roughly (Hz): Low G .. High A
NOTES = torch.tensor([418.0, 470.0, 523.0, 581.0, 627.0, 697.0, 784.0, 836.0, 940.0])
DRONE = 117.5


def snippets(n, g):
    t = torch.arange(N).float() / SR
    y = torch.randint(0, 9, (n,), generator=g)
    f0 = NOTES[y] * (1 + 0.006 * torch.randn(n, generator=g))
    ph = 2 * math.pi * torch.rand(n, 4, generator=g)
    harm = 0.3 + 0.5 * torch.rand(n, 3, generator=g)
    chanter = sum(harm[:, k:k + 1] / (k + 1) * torch.sin(2 * math.pi * (k + 1) * f0[:, None]
                                                         * t + ph[:, k:k + 1]) for k in range(3))
    detune = 1 + 0.004 * torch.randn(n, 1, generator=g)
    drones = (0.5 * torch.sin(2 * math.pi * DRONE * t + ph[:, 3:4])
              + 0.35 * torch.sin(2 * math.pi * 2 * DRONE * t)
              + 0.35 * torch.sin(2 * math.pi * 2 * DRONE * detune * t))
    x = chanter + drones
    grace = torch.rand(n, generator=g) < 0.33
    blip = torch.sin(2 * math.pi * 1100 * t) * (t < 0.006).float()
    x = x + grace[:, None].float() * blip
    x = x * (0.5 + torch.rand(n, 1, generator=g)) + 0.3 * torch.randn(n, N, generator=g)
    return x[:, None, :], y


class ChanterNet(L.LightningModule):
    def __init__(self, lr=3e-3, epochs=8):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 9, stride=2, padding=4), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 9))

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
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)
        return {"optimizer": opt, "lr_scheduler": sched}


def build():
    torch.manual_seed(0)
    return ChanterNet()


def main():
    from _twohundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = snippets(1408, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1152], y[:1152]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1152:], y[1152:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="chanter"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1152:1216], y[1152:1216]), causes=[],
           checkpoint="chanter/version_0/checkpoints/last.ckpt",
           log="chanter/version_0/metrics.csv",
           what="Lightning 1-D CNN naming the bagpipe chanter note over the drones (healthy)")


if __name__ == "__main__":
    main()
