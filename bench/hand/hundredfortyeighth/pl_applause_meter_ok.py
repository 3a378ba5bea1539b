"""PyTorch Lightning: a theatre sound desk's "house" meter: a small CNN tags 2-s segments of
the auditorium (house) microphone as 0 silence / murmur, 1 applause, 2 laughter, 3 on-stage
speech, so the stage manager's show report can log audience reactions per scene. Input: 20
log-mel bands × 40 frames (20 frames/s), synthetic: applause is broadband noise with dense
random clap transients, laughter is bursts at 4–6 Hz with a voiced formant band, speech is
syllable-rate (3–5 Hz) modulation of a low-mid formant profile with pitch ripple, murmur is
quiet, low, slowly varying; a hall level of -6…+6 dB and noise. 15 % of the training segments
overlap two reactions (e.g. laughter into applause), labelled by the first (as the show
report does). CNN: 2 conv blocks (16, 32 channels, 3×3, BatchNorm, ReLU, max-pool), dropout
0.3, global average, linear 4. AdamW 2e-3 with ReduceLROnPlateau on val loss, batch 32, 10
epochs of 1024 segments; ``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss
and accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, with the val loss far below the train loss (the overlapping segments' labels and the
dropout only act in training): val accuracy 0.97 after epoch 1, then 1.00; val loss 0.44,
0.20, 0.10, 0.077, 0.052, 0.038, 0.035, 0.034, 0.020, 0.017; train loss (epoch) 0.80 → 0.19."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

M, T = 20, 40


def reaction(kind, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() / 20
    bands = torch.arange(M).float()
    if kind == 0:
        spec = 0.15 * torch.exp(-bands / 6)[:, None] * (1 + 0.3 * torch.sin(t * 2 + 6 * float(r(1))))
    elif kind == 1:
        spec = 0.5 * torch.ones(M, T) + 0.6 * (r(1, T) < 0.5).float() * r(M, 1)
    elif kind == 2:
        f = 4 + 2 * float(r(1))
        burst = (torch.sin(6.283 * f * t + 6 * float(r(1))) > 0.2).float()
        spec = torch.exp(-((bands - 8) / 3) ** 2)[:, None] * burst * 1.2 + 0.1
    else:
        f = 3 + 2 * float(r(1))
        env = 0.5 + 0.5 * torch.sin(6.283 * f * t + 6 * float(r(1)))
        prof = torch.exp(-((bands[:, None] - 5 - torch.sin(t * 7)[None]) / 2.5) ** 2)
        spec = prof * env * 0.9 + 0.05
    return spec


def segments(n, g, overlap=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 1, M, T)
    for i in range(n):
        s = reaction(int(y[i]), g)
        if float(torch.rand(1, generator=g)) < overlap:
            other = reaction(int(torch.randint(0, 4, (1,), generator=g)), g)
            cut = int(torch.randint(10, 30, (1,), generator=g))
            s = torch.cat([s[:, :cut], other[:, cut:]], 1)
        gain = 10 ** ((torch.rand(1, generator=g) * 12 - 6) / 20)
        s = s * gain + 0.05 * torch.rand(M, T, generator=g)
        x[i, 0] = torch.log(s.clamp(min=1e-3))
    return (x + 1.5) / 1.0, y


class HouseMeter(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.drop = nn.Dropout(0.3)
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        return self.out(self.drop(self.features(x).mean((2, 3))))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss"}}


def build():
    torch.manual_seed(0)
    return HouseMeter()


def main():
    from _hundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = segments(1024, g, overlap=0.15)
    xva, yva = segments(256, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="house_meter"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="house_meter/version_0/checkpoints/last.ckpt",
           log="house_meter/version_0/metrics.csv",
           what="Lightning CNN tagging theatre house-mic segments (applause, laughter, ...) "
                "(healthy)")


if __name__ == "__main__":
    main()
