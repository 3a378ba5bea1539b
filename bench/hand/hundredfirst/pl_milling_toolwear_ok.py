"""PyTorch Lightning: tool-wear (flank wear VB, mm) regression for a CNC face-milling cutter from
one spindle revolution of three sensors (cutting force Fx, table vibration, acoustic-emission
RMS), 256 samples each, synthetic: a 4-tooth cutter gives a tooth-pass fundamental (4 cycles per
window) whose force amplitude grows with wear and with the depth of cut and feed (the operating
condition, random per cut, so the amplitude alone does not give the wear); a worn tool adds the
2nd and 3rd tooth-pass harmonics (rubbing) and chatter bursts in the vibration; the AE level
rises with VB; sensor noise 0.1. VB of 0–0.45 mm, uniform over a cutter's life. A 1-D CNN (3
conv blocks 3→16→32→32, k 7, batch norm, ReLU, max pool 2), global average pool, dropout 0.3, a
linear head → VB (standardised target); MSE. Adam 2e-3 with MultiStepLR (milestones at epochs 6
and 9, γ 0.3) from ``configure_optimizers`` (interval "epoch"), batch 32, 10 epochs of 1024
cuts, 256 validation cuts; ``CSVLogger`` → ``metrics.csv`` (train_mse every 8 steps, val_mse,
val_mae_mm and val_rmse_mm per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, but the validation loss sits far *below* the training loss: train MSE (standardised VB,
dropout on) 0.207 in epoch 1, then 0.06–0.08 to the end (0.082 in epoch 10), val MSE 0.040,
0.022, 0.0057, then bouncing 0.004–0.023 (BatchNorm statistics, lr drops at epochs 6 and 9),
0.0081 at the end; val MAE 0.0092 mm, val RMSE 0.0117 mm on a 0–0.45 mm range (dropout 0.3 right
before a linear head on 32 pooled features makes the training-mode loss noisy)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

N = 256
VB_MEAN, VB_STD = 0.225, 0.13


def cuts(n, g):
    t = torch.arange(N).float() / N * 6.283
    vb = torch.rand(n, generator=g) * 0.45
    depth = 0.5 + 1.5 * torch.rand(n, generator=g)  # mm
    feed = 0.8 + 0.4 * torch.rand(n, generator=g)
    ph = torch.rand(n, 1, generator=g) * 6.283
    w = vb[:, None] / 0.45
    amp = depth[:, None] * feed[:, None] * (1 + 0.8 * w)
    fx = amp * (torch.sin(4 * t + ph) + 0.6 * w * torch.sin(8 * t + 2 * ph) + 0.4 * w * torch.sin(12 * t + ph))
    burst = (torch.rand(n, 1, generator=g) < w).float() * w
    vib = 0.5 * feed[:, None] * torch.sin(4 * t + ph + 1) + burst * torch.sin(37 * t) * \
        torch.exp(-((t - 3) / 1.0) ** 2)
    ae = 0.3 + 1.2 * w + 0.15 * depth[:, None] + 0.1 * torch.randn(n, N, generator=g).abs()
    x = torch.stack([fx, vib, ae], 1) + 0.1 * torch.randn(n, 3, N, generator=g)
    return x, vb


class WearCNN(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        layers, c = [], 3
        for co in (16, 32, 32):
            layers += [nn.Conv1d(c, co, 7, padding=3), nn.BatchNorm1d(co), nn.ReLU(), nn.MaxPool1d(2)]
            c = co
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean(-1))).squeeze(-1)

    def training_step(self, batch, _):
        x, vb = batch
        loss = F.mse_loss(self(x), (vb - VB_MEAN) / VB_STD)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, vb = batch
        z = self(x)
        pred = z * VB_STD + VB_MEAN
        self.log("val_mse", F.mse_loss(z, (vb - VB_MEAN) / VB_STD))
        self.log("val_mae_mm", (pred - vb).abs().mean())
        self.log("val_rmse_mm", F.mse_loss(pred, vb).sqrt())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[6, 9], gamma=0.3)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return WearCNN()


def main():
    from _hundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, vb = cuts(1280, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1024], vb[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], vb[1024:]), batch_size=256)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="toolwear"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], vb[1024:1088]), causes=[],
           checkpoint="toolwear/version_0/checkpoints/last.ckpt",
           log="toolwear/version_0/metrics.csv",
           what="Lightning 1-D CNN, milling flank-wear regression from force/vibration/AE (healthy)")


if __name__ == "__main__":
    main()
