"""PyTorch Lightning: estimate VO2max (ml/kg/min) from a fitness wristband's two-week summary:
40 features per user (age, sex, BMI, resting HR, HRV rMSSD, sleep hours, weekly active minutes,
running pace at three HR zones, HR recovery after 1 min, step cadence, … and many weakly related
or irrelevant channel statistics), standardised; target standardised (mean 42, sd 8). The
truth is a smooth function of ~8 of them plus lab-measurement noise (sd 0.8 in target units).
Only 160 users have a treadmill test (training), 128 more for validation. An MLP 40 → 512 →
512 → 512 → 1 (ReLU, no dropout, no weight decay), Adam 3e-4, batch 32, 100 epochs;
``CSVLogger`` → ``metrics.csv`` (train_mse each 8 steps, val_mse and val_mae_mlkgmin per epoch),
``ModelCheckpoint(save_last=True)``.
Bug: a ~0.55 M-parameter network with no regularisation and no early stopping trained for 100
epochs on 160 users memorises them: train_mse 1.28 (epoch 1) → 0.0047 (epoch 17) → 1.6e-9; val_mse
1.89 → 0.979 at epoch 9 (MAE 6.41 ml/kg/min), then 1.077 at epoch 20 and flat at 1.074 to the end
(MAE 6.73). Control (stop at 10 epochs, ``max_epochs=10``): train_mse 0.155, val_mse 0.979, MAE
6.41.
"""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def users(n, g):
    x = torch.randn(n, 40, generator=g)
    f = (0.6 * x[:, 0] - 0.5 * x[:, 3] + 0.35 * x[:, 4] + 0.45 * x[:, 6] + 0.3 * x[:, 7]
         - 0.25 * x[:, 2] + 0.2 * torch.tanh(x[:, 9] * x[:, 8]) + 0.15 * x[:, 10] ** 2 - 0.15)
    y = f + 0.8 * torch.randn(n, generator=g)
    return x, y


class VO2Net(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(40, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                                 nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_mlkgmin", (p - y).abs().mean() * 8)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=3e-4)


def build():
    torch.manual_seed(0)
    return VO2Net()


def main():
    from _hundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = users(288, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:160], y[:160]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[160:], y[160:]), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=100, logger=CSVLogger(str(out), name="vo2"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[160:224], y[160:224]), causes=["overfitting"],
           checkpoint="vo2/version_0/checkpoints/last.ckpt", log="vo2/version_0/metrics.csv",
           what="Lightning VO2max MLP (3×512, no regularisation) 100 epochs on 160 users",
           complaint=COMPLAINT)


COMPLAINT = ("My VO2max model from wristband data fits the treadmill-tested users perfectly "
             "(train_mse 1.6e-9 at the end, below 0.005 from epoch 17) but on the validation users "
             "it is useless: val_mse was best at 0.979 (epoch 9) and is 1.074 after 100 epochs, "
             "an error of about 6.7 ml/kg/min. Training longer made validation worse, not better.")

if __name__ == "__main__":
    main()
