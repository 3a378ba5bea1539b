"""PyTorch Lightning: a kraft-pulp digester soft sensor, an MLP predicting the kappa number of the
blown pulp (residual lignin; the lab measures it every 2 h) from seven digester readings:
H-factor, effective alkali (EA, g/L NaOH, from the inline conductivity analyser), sulfidity %,
chip moisture %, basic wood density kg/m³, liquor-to-wood ratio and cooking temperature °C.
Synthetic cooks: kappa falls with the log of H-factor and with EA (with an interaction: alkali
matters more at low H-factor), a little with sulfidity, rises with moisture and density, lab
noise σ 1.0. Features standardised with the training mean / std (kept in the checkpoint's
hyper-parameters), kappa centred on 30 and scaled by 8. 7-64-64-1 SiLU MLP, Adam 3e-3 with
per-epoch StepLR (×0.5 every 6 epochs), batch 64, 18 epochs; ``CSVLogger`` → ``metrics.csv``
(train loss every 10 steps, val loss and val RMSE in kappa units per epoch),
``ModelCheckpoint(save_last=True)``.
Bug: trained on 2400 cooks of digester line 1 and validated on 600 cooks of line 2, whose EA
analyser was calibrated against a different titration standard: it reads 5 g/L (≈ 1.8 training
std) higher than the alkali really is, and the line-2 chips come wetter (+4 % moisture, a
reading the model uses correctly). The training data never show that offset. Train loss falls
to 0.019 in the second epoch and 0.016 (RMSE ≈ 1.0 kappa) at the end; val RMSE is 7.3 kappa
after the first epoch and 7.9–8.6 after that (8.43 at epoch 18; val MSE 0.84–1.15 on the
scaled target), worse than always predicting the mean (the kappa std is 5.6). Control
(``LINE2_EA_CAL = 0.0``, line 2 with line 1's EA calibration, still wetter): val RMSE 1.36 →
1.07 kappa, val MSE 0.018 = train."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

FEATURES = ["h_factor", "ea_gpl", "sulfidity_pct", "chip_moisture_pct", "wood_density",
            "liquor_to_wood", "cook_temp_c"]
LINE2_EA_CAL = 5.0   # line 2's analyser reads this much above the titrated alkali


def cooks(n, g, ea_cal=0.0, wet=0.0):
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)  # noqa: E731
    h = u(800, 2000)
    ea = u(16, 26)
    sulf = u(25, 40)
    moist = u(40, 52) + wet
    dens = u(380, 480)
    l2w = u(3.5, 4.5)
    temp = 150 + 0.004 * h + torch.randn(n, generator=g)
    kappa = (141 - 11 * torch.log(h) - 1.9 * ea - 0.08 * sulf + 0.18 * moist + 0.02 * dens
             - 1.5 * l2w + 0.0045 * (2000 - h) * (ea - 21) / 10)
    kappa = kappa + 1.0 * torch.randn(n, generator=g)
    x = torch.stack([h, ea + ea_cal, sulf, moist, dens, l2w, temp], 1)
    return x, kappa


class KappaSoftSensor(L.LightningModule):
    def __init__(self, x_mean=None, x_std=None, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(7, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        mse = nn.functional.mse_loss(self(x), y)
        self.log("val_loss", mse)
        self.log("val_rmse_kappa", 8 * mse.sqrt())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return KappaSoftSensor()


def main():
    from _hundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x1, k1 = cooks(2400, g)                                   # line 1: training
    x2, k2 = cooks(600, g, ea_cal=LINE2_EA_CAL, wet=4.0)      # line 2: validation
    mu, sd = x1.mean(0), x1.std(0)
    xtr, ytr = (x1 - mu) / sd, (k1 - 30) / 8
    xva, yva = (x2 - mu) / sd, (k2 - 30) / 8
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=600)
    L.seed_everything(0)
    model = KappaSoftSensor(x_mean=mu.tolist(), x_std=sd.tolist())
    torch.manual_seed(0)
    model.net.load_state_dict(build().net.state_dict())
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="kappa"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(model, train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:256], yva[:256]), causes=["distribution_shift"],
           checkpoint="kappa/version_0/checkpoints/last.ckpt",
           log="kappa/version_0/metrics.csv",
           what="Lightning digester kappa soft sensor trained on line 1, validated on line 2 "
                "whose EA analyser reads 5 g/L high",
           complaint="Kappa soft sensor for digester 2 is useless. Trained on line 1 data the "
                     "training loss is 0.019 after two epochs and 0.016 at the end (about 1 "
                     "kappa unit), but "
                     "on the line 2 validation cooks the RMSE is 7.3 after the first epoch and "
                     "stuck between 7.9 and 8.6 for all 18 epochs, 8.4 at the end. Predicting the "
                     "average kappa would be better than that.")


if __name__ == "__main__":
    main()
