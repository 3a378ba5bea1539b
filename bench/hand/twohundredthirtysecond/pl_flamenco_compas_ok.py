"""PyTorch Lightning: a 1-D CNN names the flamenco palo (buleria, solea, tangos, fandango) from
48 beats of a palmas microphone's per-beat accent strength; each palo accents a different
cycle (12-beat amalgama with accents on 3-6-8-10-12, or 4-beat tangos ...), the recording
starts at a random beat of the cycle, with tempo wobble noise and missed claps.
Conv1d(1→16,k5)+ReLU, Conv1d(16→32,k5)+ReLU, global average pool, Linear(32→4); Adam 3e-3,
batch 32, 8 epochs of 768 recordings, shuffled. ``CSVLogger`` → ``metrics.csv`` (train loss
every 6 steps, val loss/accuracy per epoch), ``ModelCheckpoint(save_last=True)``, optimizer from
``configure_optimizers``.
Healthy: val accuracy 0.19, 0.59, 0.64, 0.71, 0.72, 0.72, 0.73, 0.73 over the 8 epochs, val
loss 1.37 → 0.48, still falling (buleria and solea share a cycle read backwards, the last
classes to separate); the train loss is noisy step to step, 0.59 at the end."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 48
CYCLES = [[0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1],   # buleria-like
          [0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1][::-1],  # solea-like (mirrored phrase)
          [1, 0, 0, 0],                               # tangos
          [1, 0, 1, 0, 0, 1]]                         # fandango-ish 6


def recordings(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 1, T)
    for i in range(n):
        c = torch.tensor(CYCLES[int(y[i])], dtype=torch.float)
        start = int(torch.randint(0, len(c), (1,), generator=g))
        idx = (torch.arange(T) + start) % len(c)
        x[i, 0] = 0.3 + c[idx]
    missed = torch.rand(n, 1, T, generator=g) < 0.08
    x = torch.where(missed, torch.zeros_like(x), x)
    return x + 0.25 * torch.randn(x.shape, generator=g), y


class PaloNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.c1 = nn.Conv1d(1, 16, 5, padding=2)
        self.c2 = nn.Conv1d(16, 32, 5, padding=2)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.head(h.mean(-1))

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
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return PaloNet()


def main():
    from _twohundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = recordings(1024, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:768], y[:768]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[768:], y[768:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="palos"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[768:832], y[768:832]), causes=[],
           checkpoint="palos/version_0/checkpoints/last.ckpt",
           log="palos/version_0/metrics.csv",
           what="Lightning 1-D CNN naming the flamenco palo from palmas accents (healthy)")


if __name__ == "__main__":
    main()
