"""PyTorch Lightning: a GRU reads three days of an ox's neck-collar log (72 hourly rows:
activity in steps per hour, rumination minutes, lying minutes) and raises three flags for
the oxherd's morning round, any of them at once (multi-label): in heat (activity up 2-3×
for 10-18 h, rumination down by a third over the same hours), lame (steps down to half and
lying time up by 40 % from some hour on, for the rest of the log), off feed (rumination
falling steadily over the last day to 40-60 % of normal). Each flag is drawn on its own
(about a quarter of the animals each); the normal day has grazing peaks at dawn and dusk,
rumination and lying mostly at night, animal-to-animal scale and log noise.
Input: (72, 3) standardised (activity / 400, rumination / 30, lying / 40, minus 1). Model:
GRU 3→32 (one layer), last hidden state → Linear 32→3; BCE with logits, Adam 1e-2 with
CosineAnnealingLR over 12 epochs from ``configure_optimizers``, batch 48, 960 animals,
validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``herdbook/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``
/ ``val_bce`` / ``val_f1_heat`` / ``val_f1_lame`` / ``val_f1_offfeed`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``herdbook/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 72


def collar_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    flags = (r(n, 3) < 0.27).float()
    hour = torch.arange(H).float().view(1, H)
    tod = hour % 24
    graze = torch.exp(-((tod - 6) / 2.5) ** 2) + torch.exp(-((tod - 18) / 2.5) ** 2)
    night = ((tod < 5) | (tod > 21)).float()
    scale = 0.8 + 0.4 * r(n, 1)
    act = scale * (150 + 500 * graze)
    rum = 22 + 14 * night - 10 * graze
    lie = 15 + 35 * night
    # in heat: a window of 10-18 h
    on = 6 + (H - 24) * r(n, 1)
    dur = 10 + 8 * r(n, 1)
    heat = ((hour >= on) & (hour < on + dur)).float() * flags[:, :1]
    act = act * (1 + (1.0 + r(n, 1)) * heat)
    rum = rum * (1 - 0.33 * heat)
    # lame: from some hour on
    lame = (hour >= 48 * r(n, 1)).float() * flags[:, 1:2]
    act = act * (1 - 0.5 * lame)
    lie = lie * (1 + 0.4 * lame)
    # off feed: rumination sliding over the last day
    slide = ((hour - 48).clamp(min=0) / 24) * (0.4 + 0.2 * r(n, 1))
    rum = rum * (1 - slide * flags[:, 2:3])
    act = act * (1 + 0.15 * torch.randn(n, H, generator=g))
    rum = (rum + 2.5 * torch.randn(n, H, generator=g)).clamp(min=0)
    lie = (lie + 4 * torch.randn(n, H, generator=g)).clamp(0, 60)
    x = torch.stack([act / 400, rum / 30, lie / 40], 2) - 1
    return x, flags


class CollarGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        pred = (logits > 0).float()
        for j, name in enumerate(["heat", "lame", "offfeed"]):
            tp = (pred[:, j] * y[:, j]).sum()
            f1 = 2 * tp / (pred[:, j].sum() + y[:, j].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return CollarGRU()


def main():
    from _threehundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = collar_logs(960, g)
    xva, yva = collar_logs(240, g)
    print("flag rates", ytr.mean(0).tolist(), "x mean", xtr.mean((0, 1)).tolist(),
          "x std", xtr.std((0, 1)).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="herdbook"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="herdbook/version_0/checkpoints/last.ckpt",
           log="herdbook/version_0/metrics.csv",
           what="Lightning GRU raising in-heat / lame / off-feed flags from three days of an"
                " ox's neck-collar log, multi-label (healthy)")


if __name__ == "__main__":
    main()
