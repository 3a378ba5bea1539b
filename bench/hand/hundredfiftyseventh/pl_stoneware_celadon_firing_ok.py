"""PyTorch Lightning: a 1-D CNN reads a stoneware kiln's firing log (temperature and the
oxygen-probe reading every 10 min over 14 h, 84 samples, standardised) and predicts how a celadon
test tile on that firing came out: good, crawled (too fast through 100–600 °C, water driven off
violently), pinholed (too short a soak at peak), underfired (peak under cone 10, ~1285 °C) or
oxidised (no body reduction: oxygen never dropped at ~1000 °C). Firings vary the climb rate, the
reduction start and depth, the peak and the soak, with thermocouple noise 4 °C. Conv1d 2 → 16
→ 32 (k 5, BatchNorm, ReLU, max-pool 2), global average pool, dropout 0.3, linear to 5; AdamW
5e-3 with weight decay 1e-2, batch 32, 10 epochs of 960 firings; 5 % of the tile labels are
wrong (a potter's note on the wrong firing). ``CSVLogger`` → ``celadon/version_0/metrics.csv`` (train loss each 10
steps, epoch val loss and accuracy), ``ModelCheckpoint(save_last=True, save_top_k=0)``.
Healthy, noisy: the logged train loss jumps about (1.50 at step 9, 0.36–1.01 in the last three
epochs: 5 % wrong labels, dropout, single batches) and stays above the val loss (1.24, 1.03,
0.83, 0.65, 0.61, 0.45, 0.40, 0.35, 0.33, 0.26); val accuracy 0.50, 0.76, 0.81, 0.85, 0.78, 0.87,
0.92, 0.92, 0.85, 0.94 (two dips, still climbing at the end)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 84  # 14 h at 10 min
OUTCOMES = ["good", "crawled", "pinholed", "underfired", "oxidised"]


def firings(n, g, wrong=0.0):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.arange(T).float() * 10 / 60  # hours
    climb = 90 + 30 * r(n)  # °C/h through the early range
    climb = torch.where(y == 1, 260 + 60 * r(n), climb)
    peak = 1290 + 15 * r(n)
    peak = torch.where(y == 3, 1230 + 35 * r(n), peak)
    soak = 0.8 + 0.7 * r(n)
    soak = torch.where(y == 2, 0.1 * r(n), soak)
    temp = torch.zeros(n, T)
    oxy = torch.zeros(n, T)
    for i in range(n):
        t1 = 580 / climb[i]  # reach 600 °C
        late = 150 + 40 * float(r(1))
        t2 = t1 + (peak[i] - 600) / late
        t3 = t2 + soak[i]
        tt = torch.where(t < t1, 20 + climb[i] * t,
                         torch.where(t < t2, 600 + late * (t - t1),
                                     torch.where(t < t3, peak[i], peak[i] - 220 * (t - t3))))
        temp[i] = tt.clamp(min=20)
        red = 0.25 + 0.5 * float(r(1)) if y[i] != 4 else 0.02 * float(r(1))
        oxy[i] = 1.0 - red * ((temp[i] > 980 + 40 * float(r(1))) & (t < t3)).float()
    temp = temp + 4 * torch.randn(n, T, generator=g)
    oxy = oxy + 0.05 * torch.randn(n, T, generator=g)
    x = torch.stack([(temp - 700) / 450, (oxy - 0.8) / 0.25], 1)
    flip = r(n) < wrong
    y = torch.where(flip, (y + torch.randint(1, 5, (n,), generator=g)) % 5, y)
    return x, y


class GlazeCNN(L.LightningModule):
    def __init__(self, lr=5e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(32, 5))

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
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)


def build():
    torch.manual_seed(0)
    return GlazeCNN()


def main():
    from _hundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = firings(960, g, wrong=0.05)
    xva, yva = firings(240, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=240)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="celadon"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False, deterministic=True)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="celadon/version_0/checkpoints/last.ckpt",
           log="celadon/version_0/metrics.csv",
           what="Lightning 1-D CNN, celadon test-tile outcome from a stoneware kiln firing log "
                "(healthy)")


if __name__ == "__main__":
    main()
