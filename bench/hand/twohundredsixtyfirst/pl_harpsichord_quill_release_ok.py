"""PyTorch Lightning: an MLP predicts the release force (grams at the key) of a harpsichord quill
after cutting, from 8 numbers a maker records while cutting a plectrum: plectrum material
(quill vs. Delrin), length past the string, thickness at the tip, width, taper angle,
string gauge, string height above the plectrum, and the register (8' or 4'). The force
follows a cantilever-beam law (width x thickness^3 / length^3, stiffer for Delrin, the 4'
register lighter) times the overlap with the string, plus 2 g of measurement noise. MLP
8-64-32-1 with GELU and dropout 0.1, Huber loss on standardised force, Adam 3e-3 with
ReduceLROnPlateau on val loss, batch 96, 20 epochs of 1536 keys, val 384 each epoch
(val loss and val MAE in grams).
Healthy; val loss sits below train loss throughout (dropout is on in training). Numbers in the
README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def keys(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    delrin = (r() < 0.6).float()
    length, thick, width = 1.5 + 1.5 * r(), 0.25 + 0.2 * r(), 1.2 + 0.8 * r()
    taper, gauge, height = 5 + 10 * r(), 0.2 + 0.3 * r(), 0.2 + 0.6 * r()
    four_ft = (r() < 0.3).float()
    stiff = width * thick ** 3 / length ** 3 * (1 + 0.6 * delrin) * (1 - 0.01 * taper)
    overlap = (length - height).clamp(min=0.3) * (1 + gauge)
    force = 300 * stiff * overlap * (1 - 0.35 * four_ft) + 2 * torch.randn(n, generator=g)
    x = torch.stack([delrin, length, thick, width, taper, gauge, height, four_ft], 1)
    return x, force


class QuillNet(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(8, 64), nn.GELU(), nn.Dropout(0.1),
                                 nn.Linear(64, 32), nn.GELU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.huber_loss(self(x), (y - self.y_mean) / self.y_std, delta=1.0)
        self.log("train_huber", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", nn.functional.huber_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_g", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss"}}


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = keys(1536, g)
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return QuillNet(xm, xs, ym, ys)


def main():
    from _twohundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    g = torch.Generator().manual_seed(1)
    xva, yva = keys(384, g)
    print("force mean/std g", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="quill"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=384))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="quill/version_0/checkpoints/last.ckpt",
           log="quill/version_0/metrics.csv",
           what="Lightning MLP regressing harpsichord key release force from quill cutting"
                " measurements (healthy)")


if __name__ == "__main__":
    main()
