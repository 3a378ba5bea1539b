"""PyTorch Lightning: a GRU reads the thermocouple trace of a scythe blade's tempering run
(a reading every 10 s for 8 min, 48 steps) and names the temper the smith will get: 0 =
brittle (under-tempered), 1 = right (springy edge that still peens), 2 = soft (over-
tempered). The furnace ramps up at 40-90 °C/min to a set point of 200-360 °C, holds, and the
blade is pulled after 2.5-8 min; the label follows the Hollomon-Jaffe tempering parameter
P = T_K (18 + log10 t_h), T the peak and t the hours held within 15 °C of it (brittle under
P 8.3 k, soft over 9.15 k), so the same peak can give any temper depending on how long it was held.
Thermocouple noise 3 °C and a slow drift of the cold junction.
Input: (48, 1) (°C - 250) / 100. Model: GRU 1→32, last hidden state, Linear 32→3;
cross-entropy, Adam 3e-3 with CosineAnnealingLR over 10 epochs from ``configure_optimizers``,
batch 40, 1000 traces, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``temperlab/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_soft`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``temperlab/version_0/checkpoints/last.ckpt``."""

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 48
DT_H = 10 / 3600


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() * 10 / 60  # minutes
    ramp = 40 + 50 * r(n, 1)
    setp = 200 + 160 * r(n, 1)
    pull = 2.5 + 5.5 * r(n, 1)
    temp = torch.minimum(20 + ramp * t, setp)
    cool = torch.exp(-(t - pull).clamp(min=0) / 0.8)
    temp = 20 + (temp - 20) * cool
    # tempering parameter from the peak and the time held within 15 °C of it
    tk = temp.amax(1, keepdim=True) + 273.15
    hold = ((temp > temp.amax(1, keepdim=True) - 15).float().sum(1, keepdim=True) * DT_H)
    p = tk * (18 + torch.log10(hold))
    y = (p > 8300).long().squeeze(1) + (p > 9150).long().squeeze(1)
    drift = 4 * (r(n, 1) - 0.5) * t / 8
    x = temp + drift + 3 * torch.randn(n, T, generator=g)
    return ((x - 250) / 100).unsqueeze(2), y


class TemperGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_soft", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)]


def build():
    torch.manual_seed(0)
    return TemperGRU()


def main():
    from _fourhundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1000, g)
    xva, yva = traces(250, g)
    print("tempers", torch.bincount(ytr, minlength=3).tolist(), torch.bincount(yva, minlength=3).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="temperlab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="temperlab/version_0/checkpoints/last.ckpt",
           log="temperlab/version_0/metrics.csv",
           what="Lightning GRU naming brittle / right / soft temper from a scythe blade's"
                " tempering thermocouple trace (healthy)")


if __name__ == "__main__":
    main()
