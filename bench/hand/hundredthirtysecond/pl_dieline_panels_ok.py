"""PyTorch Lightning: a packaging prepress check that names the box style of a dieline from a
24×24 raster of its cut/crease lines: 4 styles drawn as panel grids — sleeve (4 panels in a
row), tray (a cross: base with 4 walls), tuck-end (4 panels in a row plus a top and a bottom
flap on one panel) and mailer (2 × 3 panels) — with random panel sizes (3–5 px), a random
placement, 10 % missing line pixels (broken strokes in the scan) and noise 0.2. A small CNN
(conv 16 + BN, conv 32 + BN, max-pools, global average pool, dropout 0.25, linear 4). Adam
1e-3, batch 32, 10 epochs of 960 dielines; ``CSVLogger`` → ``metrics.csv`` (train loss every 5
steps, val loss and val accuracy per epoch), ``ModelCheckpoint(save_last=True)``. Healthy, with
a bumpy validation curve (256 val dielines, BatchNorm statistics still settling): val accuracy
0.46, 0.63, 0.67, 0.68, 0.87, 0.75, 0.79, 0.80, 0.80, 0.93, val loss 1.24 → 0.36, train loss
1.36 → 0.23–0.32. (First version: Adam 2e-3 — 0.95 at the end but dips to 0.70 and 0.74 on the
way; lowered to 1e-3.)"""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 24
STYLES = ["sleeve", "tray", "tuck_end", "mailer"]


def panels(style, w, h):
    if style == 0:
        return [(0, i) for i in range(4)]
    if style == 1:
        return [(1, 1), (0, 1), (2, 1), (1, 0), (1, 2)]
    if style == 2:
        return [(1, i) for i in range(4)] + [(0, 1), (2, 1)]
    return [(r, c) for r in range(2) for c in range(3)]


def dielines(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 1, S, S)
    for i in range(n):
        w, h = int(torch.randint(3, 6, (1,), generator=g)), int(torch.randint(3, 6, (1,), generator=g))
        cells = panels(int(y[i]), w, h)
        rows = max(r for r, _ in cells) + 1
        cols = max(c for _, c in cells) + 1
        oy = int(torch.randint(0, max(S - rows * h, 1), (1,), generator=g))
        ox = int(torch.randint(0, max(S - cols * w, 1), (1,), generator=g))
        for r, c in cells:
            y0, x0 = oy + r * h, ox + c * w
            y1, x1 = min(y0 + h, S - 1), min(x0 + w, S - 1)
            x[i, 0, y0, x0:x1 + 1] = 1
            x[i, 0, y1, x0:x1 + 1] = 1
            x[i, 0, y0:y1 + 1, x0] = 1
            x[i, 0, y0:y1 + 1, x1] = 1
    x = x * (torch.rand(x.shape, generator=g) > 0.1)
    x = x + 0.2 * torch.randn(x.shape, generator=g)
    return (x - 0.15) / 0.4, y


class DielineNet(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.drop = nn.Dropout(0.25)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean((2, 3))))

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
    return DielineNet()


def main():
    from _hundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = dielines(1216, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="dieline"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint="dieline/version_0/checkpoints/last.ckpt",
           log="dieline/version_0/metrics.csv",
           what="Lightning CNN naming the box style of a packaging dieline raster (healthy)")


if __name__ == "__main__":
    main()
