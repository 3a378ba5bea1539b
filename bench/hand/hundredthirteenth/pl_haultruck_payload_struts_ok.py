"""PyTorch Lightning: estimate an open-pit haul truck's payload (tonnes) from its four
suspension-strut readings (tonne-equivalent, the OEM's calibration) during the last 64 s of loading at the shovel (1 Hz): each pass of
the shovel bucket (4–6 passes, 25–45 t each) steps the pressures up, with a dump transient, a
front/rear split that depends on where the material lands, bench-slope tilt between left and
right struts and strut-seal noise; the empty truck's 150 t tare is in every reading. The
target is the weighbridge payload (110–245 t, mean 177 t, std 31.5 t), standardised with the training
mean and std. A 1-D CNN (4 → 32 → 32 → 64 channels, kernel 5, ReLU, max-pool ×2), global
average pool, a linear head; MSE, Adam 2e-3 with a per-epoch StepLR (×0.5 every 4 epochs),
batch 32, 10 epochs of 640 loads; ``CSVLogger`` → ``metrics.csv`` (train loss every 5 steps,
val loss and val MAE in tonnes per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, if slow and not finished: val loss 0.42 after epoch 1, *up* to 0.45 after epoch 2,
then 0.32, 0.24, 0.20, 0.18, 0.14, 0.095, 0.080, 0.069 (val MAE 16.2 → 17.4 → 6.6 t, about
R² 0.93) and still falling when the 10 epochs end; train loss per epoch 0.64 → 0.080, just
above the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 64


def loads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    x = torch.zeros(n, 4, T)
    pay = torch.zeros(n)
    for i in range(n):
        passes = int(torch.randint(4, 7, (1,), generator=g))
        times = torch.sort(r(passes) * 50 + 4).values
        front, rear = torch.zeros(T), torch.zeros(T)
        for tp in times:
            m = 25 + 20 * float(r(1))
            f = 0.3 + 0.3 * float(r(1))
            step = (t >= tp).float() + 0.3 * torch.exp(-(t - tp).clamp(min=0) / 1.5) * (t >= tp)
            front += m * f * step
            rear += m * (1 - f) * step
            pay[i] += m
        tilt = 0.1 * (float(r(1)) - 0.5)
        x[i, 0] = (150 * 0.4 + front) * (0.5 + tilt)
        x[i, 1] = (150 * 0.4 + front) * (0.5 - tilt)
        x[i, 2] = (150 * 0.6 + rear) * (0.5 + tilt)
        x[i, 3] = (150 * 0.6 + rear) * (0.5 - tilt)
    x = x * (1 + 0.03 * torch.randn(n, 4, 1, generator=g)) + 2.0 * torch.randn(x.shape, generator=g)
    return x, pay


class PayloadCNN(L.LightningModule):
    def __init__(self, lr=2e-3, y_mean=0.0, y_std=1.0):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 64, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", F.mse_loss(pred, y))
        self.log("val_mae_t", (pred - y).abs().mean() * self.hparams.y_std)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


X_MEAN, X_STD = 62.0, 21.0  # strut readings, from the training loads
Y_MEAN, Y_STD = 177.0, 31.5  # weighbridge payload (t), training loads


def build():
    torch.manual_seed(0)
    return PayloadCNN(y_mean=Y_MEAN, y_std=Y_STD)


def main():
    from _hundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, pay = loads(800, g)
    x = (x - X_MEAN) / X_STD
    y = (pay - Y_MEAN) / Y_STD
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:640], y[:640]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[640:], y[640:]), batch_size=160)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="payload"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[640:704], y[640:704]), causes=[],
           checkpoint="payload/version_0/checkpoints/last.ckpt",
           log="payload/version_0/metrics.csv",
           what="Lightning 1-D CNN haul-truck payload from strut pressures (healthy)")


if __name__ == "__main__":
    main()
