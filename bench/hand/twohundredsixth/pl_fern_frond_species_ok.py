"""PyTorch Lightning: an MLP names the fern species (lady fern, male fern, bracken, hart's-tongue,
royal fern) from 9 field measurements of one frond: frond length (cm), stipe share of the
length, pinna pairs, pinna density (pairs per 10 cm), blade dissection (1 = entire, 3 =
tripinnate), sorus shape (0 round … 1 linear), sorus position (0 midrib … 1 margin), indusium
present (0/1, misread 10 % of the time) and the scale darkness on the stipe. Each species has
its own size, dissection and sorus pattern; pinna pairs follow from length × density, so the
features are correlated, and field noise blurs neighbouring species (lady and male fern
overlap). Standardised inputs, Linear(9→64)-ReLU-Linear(64→64)-ReLU-dropout 0.1-Linear(64→5);
Adam 3e-3 from ``configure_optimizers``, batch 32, 10 epochs of 1024 fronds, shuffled.
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss and accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy 0.926 after epoch 1, then a plateau 0.926–0.949 (0.949 at epoch 10); val
loss 0.294 → 0.14–0.17, flat from epoch 2; the per-step train loss is noisy (0.10–0.19 in the
last epoch) — the field noise leaves lady and male fern, and royal fern and bracken, partly
overlapping."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

# per species: length mean, stipe share, density, dissection, sorus shape, sorus pos,
# indusium, scale darkness
SPECIES = torch.tensor([
    [70.0, 0.30, 3.0, 2.0, 0.60, 0.35, 1.0, 0.3],   # lady fern
    [80.0, 0.25, 2.6, 2.0, 0.10, 0.35, 1.0, 0.6],   # male fern
    [110.0, 0.50, 1.6, 3.0, 0.95, 0.95, 0.0, 0.2],  # bracken
    [35.0, 0.25, 0.0, 1.0, 1.00, 0.50, 1.0, 0.7],   # hart's-tongue
    [120.0, 0.35, 1.0, 2.0, 0.50, 0.10, 0.0, 0.1],  # royal fern
])


def fronds(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    s = SPECIES[y]
    r = lambda sd: sd * torch.randn(n, generator=g)  # noqa: E731
    length = s[:, 0] * torch.exp(r(0.35))
    stipe = (s[:, 1] + r(0.06)).clamp(0.05, 0.9)
    density = (s[:, 2] + r(0.5)).clamp(min=0.0)
    pairs = torch.round(length * (1 - stipe) * density / 10 + r(1.0).abs())
    dissect = (s[:, 3] + r(0.6)).clamp(1, 3)
    shape = (s[:, 4] + r(0.3)).clamp(0, 1)
    pos = (s[:, 5] + r(0.2)).clamp(0, 1)
    flip = torch.rand(n, generator=g) < 0.1
    indusium = torch.where(flip, 1 - s[:, 6], s[:, 6])
    scales = (s[:, 7] + r(0.3)).clamp(0, 1)
    x = torch.stack([length, stipe, pairs, density, dissect, shape, pos, indusium, scales], 1)
    return x, y


class FrondNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Dropout(0.1), nn.Linear(64, 5))

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
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return FrondNet()


def main():
    from _twohundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = fronds(1280, g)
    mu, sd = x[:1024].mean(0), x[:1024].std(0)
    x = (x - mu) / sd
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="fronds"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="fronds/version_0/checkpoints/last.ckpt",
           log="fronds/version_0/metrics.csv",
           what="Lightning MLP naming the fern species from 9 frond measurements (healthy)")


if __name__ == "__main__":
    main()
