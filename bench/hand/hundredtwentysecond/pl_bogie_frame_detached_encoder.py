"""PyTorch Lightning: condition monitoring of freight-wagon bogies from a bogie-frame accelerometer
(vertical, 400 Hz, 1-s windows of 400 samples) at 60–90 km/h: *normal*, *bearing defect* (an
outer-race fault: impacts ringing at 140–160 Hz, repeating at 30–45 Hz), *hunting* (the bogie's
lateral instability leaking into the vertical channel: a 2–4 Hz swing with its 2nd harmonic) and
*rail corrugation* (a tone at speed / wavelength, 40–70 Hz, amplitude-modulated). Track
irregularity (a low-passed random walk), rail-joint knocks (ringing at 60 Hz) every 0.7–0.9 s and noise are in
every window; windows standardised by the campaign's RMS. Encoder: Conv1d 1→16→32→32 (k 9, 7, 5,
stride 2, BatchNorm, ReLU) and global average pooling to a 32-d embedding; head: Linear 32→32,
ReLU, Linear 32→4. Adam 3e-3, batch 64, 14 epochs of 1024 windows (224 steps); ``CSVLogger`` →
``metrics.csv`` (train loss every 4 steps, val loss / val accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Bug: for a t-SNE plot of the embeddings the author stores them in ``forward`` as
``self.last_embedding = z = self.encoder(x).detach()`` and feeds the same detached ``z`` to the
head: no gradient reaches the encoder, which stays at its random init (only its BatchNorm
running stats move) while the user believes the whole network trains. Only the 1 188 head
parameters learn on random features: val accuracy 0.40 → 0.69 (epoch 3) → 0.79 after 14
epochs, val loss 1.37 → 0.60 and train loss 0.64 at the end, both still creeping down; the
control (no ``.detach()``, the same line) reaches val accuracy 0.91 at epoch 3 and 0.95 at the
end (0.89–0.96 over the last 8 epochs), val loss 0.15, train loss 0.04."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

FS, N = 400, 400
CLASSES = ["normal", "bearing", "hunting", "corrugation"]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() / FS
    y = torch.randint(0, 4, (n,), generator=g)
    track = torch.cumsum(torch.randn(n, N, generator=g), 1)
    track = F.avg_pool1d(track[:, None], 25, 1, 12, count_include_pad=False)[:, 0]
    track = (track - track.mean(1, keepdim=True)) * 0.05
    knock_period = 0.7 + 0.2 * r(n, 1)
    ph = (t + r(n, 1)) % knock_period
    knock = 1.5 * torch.exp(-ph / 0.01) * torch.sin(6.283 * 60 * ph)
    x = track + knock + 0.4 * torch.randn(n, N, generator=g)
    # bearing: impacts repeating at 30–45 Hz, ringing at 110–130 Hz
    rate = 30 + 15 * r(n, 1)
    pb = (t + r(n, 1)) % (1 / rate)
    ring = 1.6 * torch.exp(-pb / 0.004) * torch.sin(6.283 * (140 + 20 * r(n, 1)) * pb)
    # hunting: 2–4 Hz swing + 2nd harmonic
    fh = 2 + 2 * r(n, 1)
    hunt = 0.8 * torch.sin(6.283 * fh * t + 6.283 * r(n, 1)) + 0.3 * torch.sin(
        2 * 6.283 * fh * t)
    # corrugation: 40–70 Hz tone, amplitude-modulated
    fc = 40 + 30 * r(n, 1)
    corr = 0.6 * (1 + 0.5 * torch.sin(6.283 * 1.5 * t)) * torch.sin(6.283 * fc * t
                                                                    + 6.283 * r(n, 1))
    x = x + (y[:, None] == 1) * ring + (y[:, None] == 2) * hunt + (y[:, None] == 3) * corr
    x = x * (0.8 + 0.4 * r(n, 1))
    return (x / 0.75)[:, None], y


class BogieMonitor(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        def cbr(i, o, k):
            return [nn.Conv1d(i, o, k, 2, k // 2), nn.BatchNorm1d(o), nn.ReLU()]
        self.encoder = nn.Sequential(*cbr(1, 16, 9), *cbr(16, 32, 7), *cbr(32, 32, 5),
                                     nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 4))
        self.last_embedding = None

    def forward(self, x):
        self.last_embedding = z = self.encoder(x).detach()
        return self.head(z)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=False)
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
    return BogieMonitor()


def main():
    from _hundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1408, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=384)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="bogie"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=["gradient_not_flowing"],
           checkpoint="bogie/version_0/checkpoints/last.ckpt",
           log="bogie/version_0/metrics.csv",
           what="Lightning bogie-frame vibration classifier, encoder output .detach()ed before "
                "the head",
           complaint="My bogie vibration classifier (conv encoder + small MLP head, Lightning) "
                     "learns very slowly and stays poor: after 14 epochs val_acc is 0.79 and "
                     "val_loss 0.60, train_loss 0.64. It looks like a plateau, but the task "
                     "(normal / bearing / hunting / corrugation) should be easy, the classes "
                     "have very different spectra.")


if __name__ == "__main__":
    main()
