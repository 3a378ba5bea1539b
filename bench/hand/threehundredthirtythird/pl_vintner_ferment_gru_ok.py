"""PyTorch Lightning: a GRU reads a winery's daily fermentation sheet for one tank (21 days of
hydrometer Brix and must temperature) and names how the ferment went, so the cellar knows
which tanks to re-inoculate next vintage: clean, slow start (long lag), sluggish, or stuck.
Sugar falls on a logistic curve Brix(t) = B_end + (B0 - B_end) / (1 + exp(k (t - t_mid)))
(B0 21-26 °Bx; clean k 0.8-1.3 per day, t_mid 3-5 d, dry at about -1.5 °Bx; slow start the
same rate but t_mid 7-10 d; sluggish k 0.3-0.5; stuck a clean start that stalls at 3-8 °Bx
after a heat spike above 32 °C). The must warms with the sugar burnt per day (the heat of
fermentation, 18-24 °C cellar), so the stuck tanks show the spike first; hydrometer noise
0.3 °Bx, thermometer noise 0.4 °C.
Input: (21, 2) per day, Brix / 25 and (°C - 20) / 10. Model: GRU 2→32, last hidden state,
Linear 32→4; cross-entropy, AdamW 3e-3 (weight decay 1e-4) with CosineAnnealingLR over 12
epochs from ``configure_optimizers``, batch 48, 12 epochs, 960 tanks, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``cellar/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch`` /
``val_xent`` / ``val_acc`` / ``val_recall_stuck`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``cellar/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 21


def tanks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(DAYS).float()
    b0 = 21 + 5 * r(n, 1)
    k = (0.8 + 0.5 * r(n, 1))
    k = torch.where((cls == 2).unsqueeze(1), 0.3 + 0.2 * r(n, 1), k)
    mid = 3 + 2 * r(n, 1)
    mid = torch.where((cls == 1).unsqueeze(1), 7 + 3 * r(n, 1), mid)
    mid = torch.where((cls == 2).unsqueeze(1), 6 + 3 * r(n, 1), mid)
    end = torch.full((n, 1), -1.5)
    end = torch.where((cls == 3).unsqueeze(1), 3 + 5 * r(n, 1), end)
    brix = end + (b0 - end) / (1 + torch.exp(k * (t - mid)))
    burnt = torch.cat([torch.zeros(n, 1), (brix[:, :-1] - brix[:, 1:]).clamp(min=0)], 1)
    cellar = 18 + 6 * r(n, 1)
    temp = cellar + 2.2 * burnt
    spike = (cls == 3).unsqueeze(1) & (t - mid).abs().lt(1.5)
    temp = torch.where(spike, temp.clamp(min=32.5) + 1.5 * r(n, 1), temp)
    brix = brix + 0.3 * torch.randn(n, DAYS, generator=g)
    temp = temp + 0.4 * torch.randn(n, DAYS, generator=g)
    return torch.stack([brix / 25, (temp - 20) / 10], 2), cls


class FermentGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

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
        self.log("val_recall_stuck", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return FermentGRU()


def main():
    from _threehundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tanks(960, g)
    xva, yva = tanks(240, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="cellar"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cellar/version_0/checkpoints/last.ckpt",
           log="cellar/version_0/metrics.csv",
           what="Lightning GRU naming a wine tank's fermentation as clean / slow start /"
                " sluggish / stuck from its daily Brix and temperature sheet (healthy)")


if __name__ == "__main__":
    main()
