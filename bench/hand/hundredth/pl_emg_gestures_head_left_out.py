"""PyTorch Lightning: hand-gesture recognition from 8-electrode forearm surface EMG (an armband
around the forearm, 1 kHz, 200-ms windows of 200 samples). Synthetic: 6 gestures (rest, fist,
open hand, wrist flexion, wrist extension, pinch), each a pattern of muscle activations over
the 8 electrodes (a smooth bump around the armband for the flexors / extensors, two bumps for
the fist and the pinch, low everywhere at rest); an active muscle is band-limited noise
(differences of white noise, smoothed) scaled by its activation; a per-window force level
0.6–1.4, mains hum 50 Hz (0.05) and electrode noise 0.05; standardised per electrode with the
training statistics. A small 1-D CNN encoder (Conv1d 8→32 k 9 s 2, 32→32 k 9 s 2, 32→64 k 5
s 2, ReLU, a log of the mean square per channel as the pooled feature — the RMS an EMG person
would compute), and a linear classifier, zero-initialised (the ViT fine-tuning recipe: a new
head starts at zero). Adam 2e-3, batch 32, 8 epochs of 1200 windows; ``CSVLogger`` →
``metrics.csv`` (train loss per step every 5 steps and per epoch, val loss, val accuracy),
``ModelCheckpoint(save_last=True)``.
Bug: ``configure_optimizers`` returns ``torch.optim.Adam(self.encoder.parameters(), ...)``: it
was written when the classifier still lived inside ``self.encoder`` (the last layer of one
``nn.Sequential``); the classifier was moved out into ``self.classifier`` and the optimizer line
kept. The classifier is never updated, so it stays at its zero initialisation, every logit is
0, no gradient reaches the encoder through a zero matrix either, and nothing moves: train and
val loss ln 6 = 1.7918 at every logged step and epoch, val accuracy 0.143 (the first class,
rest, for every window: its share of the validation set). The control
(``Adam(self.parameters(), ...)``) reaches val accuracy 0.44, 0.51, 0.75, 0.83, 0.99, then 1.00,
val loss 1.21 → 0.017, train loss 0.011."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

CH, W = 8, 200
GESTURES = ["rest", "fist", "open", "flexion", "extension", "pinch"]


def activation_patterns():
    e = torch.arange(CH).float()

    def bump(c, w=1.2):
        d = torch.remainder(e - c + CH / 2, CH) - CH / 2
        return torch.exp(-d ** 2 / (2 * w ** 2))

    return torch.stack([0.08 * torch.ones(CH), bump(1) + bump(5), bump(3, 1.5) + 0.3,
                        bump(1, 1.5), bump(5, 1.5), bump(2, 0.8) + 0.5 * bump(6, 0.8)])


def windows(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    pat = activation_patterns()[y]
    force = 0.6 + 0.8 * torch.rand(n, 1, 1, generator=g)
    white = torch.randn(n, CH, W + 8, generator=g)
    band = white[..., 1:] - white[..., :-1]
    band = F.avg_pool1d(band, 3, 1)[..., :W]
    t = torch.arange(W).float() / 1000
    hum = 0.05 * torch.sin(6.283 * 50 * t + 6.283 * torch.rand(n, 1, 1, generator=g))
    x = force * pat[..., None] * band + hum + 0.05 * torch.randn(n, CH, W, generator=g)
    return x, y


class EMGGestures(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(
            nn.Conv1d(CH, 32, 9, 2, 4), nn.ReLU(), nn.Conv1d(32, 32, 9, 2, 4), nn.ReLU(),
            nn.Conv1d(32, 64, 5, 2, 2))
        self.classifier = nn.Linear(64, len(GESTURES))
        nn.init.zeros_(self.classifier.weight)
        nn.init.zeros_(self.classifier.bias)

    def forward(self, x):
        h = self.encoder(x)
        return self.classifier(torch.log(h.pow(2).mean(-1) + 1e-3))

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
        return torch.optim.Adam(self.encoder.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return EMGGestures()


def main():
    from _hundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1500, g)
    mu, sd = x[:1200].mean((0, 2), keepdim=True), x[:1200].std((0, 2), keepdim=True)
    x = (x - mu) / sd
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1200], y[:1200]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1200:], y[1200:]), batch_size=300)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="emg"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1200:1264], y[1200:1264]), causes=["params_not_in_optimizer"],
           checkpoint="emg/version_0/checkpoints/last.ckpt", log="emg/version_0/metrics.csv",
           what="Lightning EMG gesture CNN, optimizer built from self.encoder only; the "
                "zero-initialised classifier never trained",
           complaint="我的肌电手势识别模型（Lightning）完全不学习：8 个 epoch 里 train_loss 和 "
                     "val_loss 每一步都是 1.7918，一点都没变，val_acc 一直是 0.143，所有窗口都"
                     "被预测成同一个手势。没有任何报错。")


if __name__ == "__main__":
    main()
