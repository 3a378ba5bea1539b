"""PyTorch Lightning: a residual MLP says whether a cheesemaking batch will pass grading after
ripening (binary) from 8 numbers on the make record: milk fat (%), milk protein (%), cutting
temperature (°C), scald temperature (°C), pH at moulding, sodium uptake (%), ripening room
temperature (°C) and ripening room humidity (%). A batch passes when the moisture left after
the scald sits in a window that depends on fat-to-protein ratio, the moulding pH is between 5.1
and 5.4, and the ripening room is neither too warm nor too dry (a smooth score with 7 % label
noise). Inputs standardised inside the module. Linear 8→64, 3 residual blocks (LayerNorm-
Linear-GELU-Linear + skip), Linear 64→1 logit, BCE with logits, Adam 1e-3 with
ExponentialLR(0.9) from ``configure_optimizers``, batch 32, 18 epochs of 1800 batches, validation
on 450 each epoch (val BCE, val acc).
Log: ``grading/version_0/metrics.csv`` (CSVLogger, ``train_bce_step`` every 10 steps,
``train_bce_epoch``, ``val_bce``, ``val_acc``); checkpoint ``grading/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def make_records(n, g):
    fat = 3.2 + 1.4 * torch.rand(n, generator=g)
    protein = 3.0 + 0.8 * torch.rand(n, generator=g)
    cut = 30 + 4 * torch.rand(n, generator=g)
    scald = 36 + 6 * torch.rand(n, generator=g)
    ph = 4.9 + 0.7 * torch.rand(n, generator=g)
    sodium = 1.2 + 1.2 * torch.rand(n, generator=g)
    room_t = 8 + 8 * torch.rand(n, generator=g)
    room_h = 75 + 20 * torch.rand(n, generator=g)
    moisture = 44 - 0.9 * (scald - 38) + 0.4 * (cut - 32) - 1.5 * sodium
    target = 39 + 2.5 * (fat / protein - 1.2)
    score = (1.5 - ((moisture - target) / 2.5) ** 2 - ((ph - 5.25) / 0.15) ** 2
             - F.relu(room_t - 13) * 0.8 - F.relu(85 - room_h) * 0.25)
    y = (score + 0.3 * torch.randn(n, generator=g) > 0).float()
    flip = torch.rand(n, generator=g) < 0.07
    y = torch.where(flip, 1 - y, y)
    return torch.stack([fat, protein, cut, scald, ph, sodium, room_t, room_h], 1), y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class Grader(L.LightningModule):
    def __init__(self, x_mean, x_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.net = nn.Sequential(nn.Linear(8, 64), Block(64), Block(64), Block(64), nn.LayerNorm(64),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logit = self(x)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logit, y))
        self.log("val_acc", ((logit > 0).float() == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)}


def stats():
    x, y = make_records(1800, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0)


def build():
    torch.manual_seed(0)
    _, _, xm, xs = stats()
    return Grader(xm, xs)


def main():
    from _twohundredseventieth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = make_records(450, torch.Generator().manual_seed(1))
    print("pass rate", ytr.mean().item(), yva.mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="grading"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=450))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="grading/version_0/checkpoints/last.ckpt",
           log="grading/version_0/metrics.csv",
           what="Lightning residual MLP grading cheesemaking batches pass/fail after ripening"
                " (healthy)")


if __name__ == "__main__":
    main()
