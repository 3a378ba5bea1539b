"""PyTorch Lightning: a thermal model of a data-centre hall that predicts a server's inlet
temperature (°C) from eight telemetry readings, for what-if checks before moving load: the
CRAH supply-air setpoint, the rack's IT load (kW), the neighbouring racks' load, the position
along the cold aisle (0 = next to the CRAH, 1 = row end), the height in the rack (U / 42), the
CRAH fan speed (%), the containment door open flag and the outdoor temperature. Synthetic: the
inlet is the supply temperature plus a recirculation term that grows with load, height and row
position and shrinks with fan speed (hot air spilling over the top of the racks at the row end),
a door-open bypass, a small outdoor leak and sensor noise 0.3 °C. A SiLU MLP 8-64-64-1 on
standardised features, Adam 3e-3, batch 64, 12 epochs of 3000 readings; ``CSVLogger`` →
``metrics.csv`` (train loss every 10 steps, val MSE and val MAE in °C per epoch),
``ModelCheckpoint(save_last=True)``, the feature and target statistics in the hyperparameters.
Bug: the "divide the lr by 10 every 5 epochs" StepLR is returned from ``configure_optimizers``
with ``"interval": "step"`` (copied from a warm-up recipe's scheduler dict), so Lightning steps
it after every batch: the lr is 3e-4 after 5 steps and 3e-7 after 20 of the 47 steps of the
first epoch, and the weights stop moving: the logged train loss is 0.75 at step 9 and 0.45 at step
39, then bounces between 0.36 and 0.93 for the other 11 epochs with no trend; the val MSE is
0.6876 (val MAE 2.07 °C, inlet std 3.1 °C) after epoch 1 and the same to four digits after
every later epoch. The control (``"interval": "epoch"``): val MSE 0.041 after epoch 1 and 0.0125
at epoch 12, val MAE 0.45 → 0.27 °C, train loss 0.017."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

FEATURES = ["supply_setpoint_c", "rack_kw", "neighbour_kw", "aisle_pos", "height_u42",
            "fan_pct", "door_open", "outdoor_c"]


def hall(n, g):
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)  # noqa: E731
    sup, kw, nkw, pos = u(16, 24), u(2, 18), u(2, 18), u(0, 1)
    hgt, fan = u(0.05, 1), u(40, 100)
    door = (torch.rand(n, generator=g) < 0.1).float()
    out = u(-5, 35)
    recirc = 0.035 * (kw + 0.6 * nkw) * (0.3 + pos) * hgt ** 2 * (100 / fan) ** 1.5 * 4
    inlet = (sup + recirc + door * (2.5 + 0.15 * kw) + 0.03 * (out - 15)
             + 0.3 * torch.randn(n, generator=g))
    return torch.stack([sup, kw, nkw, pos, hgt, fan, door, out], 1), inlet


class InletNet(L.LightningModule):
    def __init__(self, x_mean=None, x_std=None, y_mean=0.0, y_std=1.0, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.register_buffer("x_mean", torch.tensor(x_mean or [0.0] * 8))
        self.register_buffer("x_std", torch.tensor(x_std or [1.0] * 8))
        self.net = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), (y - self.hparams.y_mean) / self.hparams.y_std)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        self.log("val_mse", F.mse_loss(z, (y - self.hparams.y_mean) / self.hparams.y_std))
        self.log("val_mae_c", (z * self.hparams.y_std + self.hparams.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.1)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return InletNet()


def main():
    from _hundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = hall(3600, g)
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=600)
    L.seed_everything(0)
    torch.manual_seed(0)
    model = InletNet(xtr.mean(0).tolist(), xtr.std(0).tolist(), ytr.mean().item(),
                     ytr.std().item())
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="inlet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(model, train, val)
    print(trainer.callback_metrics, ytr.std().item())
    finish(out, __file__, (xva[:256], yva[:256]), causes=["scheduler_step_per_batch"],
           checkpoint="inlet/version_0/checkpoints/last.ckpt",
           log="inlet/version_0/metrics.csv",
           what="Lightning rack-inlet temperature MLP, per-epoch StepLR given interval 'step'",
           complaint="机房进风温度模型训练不动了：第一个 epoch 里 loss 从 0.75 降到 0.45 左右，"
                     "之后 12 个 epoch 一直在 0.36 到 0.93 之间跳，没有任何下降趋势。验证集 "
                     "MSE 每个 epoch 都是 0.6876，连小数点后四位都一样，MAE 2.07 °C，"
                     "对做负载迁移前的温度评估来说误差太大了。")


if __name__ == "__main__":
    main()
