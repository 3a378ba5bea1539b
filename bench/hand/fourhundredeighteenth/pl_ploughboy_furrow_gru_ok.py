"""PyTorch Lightning: a GRU names the soil a ploughboy is turning from the plough's draught
and depth trace along a furrow (64 readings, one every 0.5 m: draught force in kN and share
depth in cm), so the farm's soil map can be drawn from ploughing: sand, loam, clay, stony.
Soil mechanics behind it: draught rises with depth and with soil strength (sand 0.9, loam
1.3, clay 1.9 kN per 10 cm, clay also rising where it is wetter along the field); stony
ground gives sudden draught spikes where the share meets a stone and the depth jumps up;
sand gives a smooth trace, loam a little ripple; the ploughboy's depth wanders 15-25 cm.
Input: (64, 2) standardised. Model: GRU 2→32 (1 layer), last hidden state, Linear 32→4;
cross-entropy, Adam 4e-3 with ExponentialLR(0.8) from ``configure_optimizers``, batch 40,
8 epochs, 1000 furrows, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``soilmap/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch``
/ ``val_xent`` / ``val_acc`` / ``val_acc_stony`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``soilmap/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 64


def furrows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    soil = torch.randint(0, 4, (n,), generator=g)
    depth = 20 + 5 * (r(n, 1) - 0.5) * 2
    depth = depth + torch.cumsum(0.4 * torch.randn(n, T, generator=g), 1).clamp(-5, 5)
    k = torch.tensor([0.9, 1.3, 1.9, 1.2])[soil].unsqueeze(1) * (0.9 + 0.2 * r(n, 1))
    wet = 1 + (soil == 2).float().unsqueeze(1) * 0.3 * torch.linspace(0, 1, T)
    ripple = torch.tensor([0.02, 0.15, 0.08, 0.1])[soil].unsqueeze(1)
    draught = k * wet * depth / 10 + ripple * torch.randn(n, T, generator=g)
    stones = (r(n, T) < 0.08) & (soil == 3).unsqueeze(1)
    draught = draught + stones.float() * (1.5 + 2 * r(n, T))
    depth = depth - stones.float() * (3 + 3 * r(n, T))
    return torch.stack([draught, depth], 2) + 0.05 * torch.randn(n, T, 2, generator=g), soil


class SoilGRU(L.LightningModule):
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
        self.log("val_acc_stony", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=4e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)]


def build():
    torch.manual_seed(0)
    return SoilGRU()


def main():
    from _fourhundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = furrows(1000, g)
    rva, yva = furrows(250, g)
    mu, sd = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("soils", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="soilmap"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="soilmap/version_0/checkpoints/last.ckpt",
           log="soilmap/version_0/metrics.csv",
           what="Lightning GRU naming sand / loam / clay / stony ground from a plough's draught"
                " and depth trace along a furrow (healthy)")


if __name__ == "__main__":
    main()
