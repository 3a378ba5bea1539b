"""PyTorch Lightning: a GRU reads a bisque firing's controller trace (24 readings, one every
20 minutes: thermocouple temperature, damper opening, burner duty) and predicts the clay
body's firing shrinkage in percent. Shrinkage grows with heat-work: the time the ware spends
above 850 °C, weighted by how far above, with a smaller term for the peak and a penalty when the
damper was left wide open through the top of the firing (an oxidising, cooler chamber).
Temperatures are in hundreds of °C, shrinkage standardised with the training mean/std. GRU(3,
32) → last state → Linear 1, MSE, RMSprop 3e-3 with ReduceLROnPlateau on the val loss, batch
40, 18 epochs of 960 firings, validation on 240 (val MSE and MAE in shrinkage points).
Healthy, noisy: the val MSE is below the epoch's train MSE in the first epochs and spikes on
the way down (1.23 at epoch 6, 0.57 at epoch 9) before settling; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 24


def firings(n, g):
    t = torch.linspace(0, 1, T)
    peak = 9.0 + 1.6 * torch.rand(n, 1, generator=g)
    ramp = 0.5 + 0.3 * torch.rand(n, 1, generator=g)
    temp = 0.2 + (peak - 0.2) * torch.clamp(t / ramp, max=1.0)
    temp = temp - 3.0 * torch.clamp(t - 0.85, min=0) * torch.rand(n, 1, generator=g)
    damper = torch.clamp(0.3 + 0.5 * torch.rand(n, 1, generator=g) * t
                         + 0.05 * torch.randn(n, T, generator=g), 0, 1)
    burner = torch.clamp((temp[:, 1:] - temp[:, :-1]) * 3 + 0.4, 0, 1)
    burner = torch.cat([burner[:, :1], burner], 1)
    temp = temp + 0.05 * torch.randn(n, T, generator=g)
    work = torch.clamp(temp - 8.5, min=0).sum(1) / T
    shrink = 4 + 6 * work + 0.8 * (peak.squeeze(1) - 9.8) - 1.5 * damper[:, -6:].mean(1)
    shrink = shrink + 0.1 * torch.randn(n, generator=g)
    return torch.stack([temp, damper, burner], 2), shrink


class KilnGRU(L.LightningModule):
    def __init__(self, y_mean, y_std):
        super().__init__()
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1]).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_pts", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.3, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_mse"}}


def train_set():
    g = torch.Generator().manual_seed(0)
    return firings(960, g)


def build():
    _, y = train_set()
    torch.manual_seed(0)
    return KilnGRU(y.mean(), y.std())


def main():
    from _twohundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr = train_set()
    xva, yva = firings(240, torch.Generator().manual_seed(1))
    print("shrinkage mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="bisque"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bisque/version_0/checkpoints/last.ckpt",
           log="bisque/version_0/metrics.csv",
           what="Lightning GRU regressing bisque firing shrinkage from kiln controller traces"
                " (healthy)")


if __name__ == "__main__":
    main()
