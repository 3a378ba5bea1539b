"""PyTorch Lightning: predicting a lipstick's colour (CIELAB L*, a*, b* of the swatch on a
drawdown card) from its pigment recipe, so the lab can check a new shade before milling it.
Inputs: the fractions of 7 pigments (titanium dioxide, iron oxides red/yellow/black, D&C Red 7
lake, FD&C Yellow 5 lake, mica pearl, a Dirichlet draw scaled to 4–14 % pigment load), the
load itself and the wax/oil ratio, 9 features. Colour by a Kubelka–Munk-like mixing (absorption
and scattering summed per band, three bands) with measurement noise of 0.8 ΔE, targets scaled
by 1/50. An MLP 9 → 64 → 64 → 3 (SiLU, dropout 0.1), Adam 2e-3 with a cosine schedule, batch
32, 20 epochs of 1200 recipes; CSVLogger (train loss per 10 steps and per epoch, val loss and
val mean ΔE per epoch), ModelCheckpoint(save_last=True).
Healthy, after a flat first epoch: val mean ΔE 12.2 after epoch 0 (the mean colour gives 12.3,
val MSE 0.0240 vs 0.0236), then 9.6, 6.8, 4.7, 4.2, 3.7 and 3.3 at the end; val MSE 0.0019, below
the epoch train loss 0.0043 all along (dropout, and the train loss is the epoch's mean)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

# per pigment: absorption K and scattering S in three bands (blue, green, red)
K = torch.tensor([[0.05, 0.04, 0.03], [2.0, 1.6, 0.3], [2.2, 0.6, 0.3], [3.0, 3.0, 3.0],
                  [1.2, 3.5, 0.4], [3.0, 0.3, 0.1], [0.3, 0.3, 0.3]])
S = torch.tensor([[4.0, 4.0, 4.0], [0.8, 0.8, 0.8], [0.9, 0.9, 0.9], [0.3, 0.3, 0.3],
                  [0.2, 0.2, 0.2], [0.2, 0.2, 0.2], [1.5, 1.5, 1.5]])


def recipes(n, g):
    frac = torch.distributions.Dirichlet(torch.full((7,), 0.6)).sample((n,))
    load = 0.04 + 0.10 * torch.rand(n, 1, generator=g)
    wax = 0.3 + 0.4 * torch.rand(n, 1, generator=g)
    k = (frac * load) @ K + 0.01
    s = (frac * load) @ S + 0.02 * (1 + wax)
    ks = k / s
    refl = 1 + ks - torch.sqrt(ks ** 2 + 2 * ks)
    lab = torch.stack([100 * refl[:, 1] ** 0.5, 120 * (refl[:, 2] - refl[:, 1]),
                       80 * (refl[:, 1] - refl[:, 0])], 1)
    lab = lab + 0.8 * torch.randn(n, 3, generator=g)
    x = torch.cat([frac, (load - 0.09) / 0.03, (wax - 0.5) / 0.12], 1)
    return x, lab / 50


class ShadeNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(9, 64), nn.SiLU(), nn.Dropout(0.1), nn.Linear(64, 64),
                                 nn.SiLU(), nn.Dropout(0.1), nn.Linear(64, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_deltaE", (50 * (p - y)).norm(dim=1).mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, 20)}


def build():
    torch.manual_seed(0)
    return ShadeNet()


def main():
    from _hundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x, y = recipes(1500, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1200], y[:1200]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1200:], y[1200:]), batch_size=300)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="shade"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1200:1264], y[1200:1264]), causes=[],
           checkpoint="shade/version_0/checkpoints/last.ckpt",
           log="shade/version_0/metrics.csv",
           what="Lightning MLP predicting lipstick CIELAB colour from the pigment recipe (healthy)")


if __name__ == "__main__":
    main()
