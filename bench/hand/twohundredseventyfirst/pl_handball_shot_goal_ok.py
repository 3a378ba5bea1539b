"""PyTorch Lightning: an MLP gives the chance that a handball shot is a goal, from 8 numbers a
match analyst tags per shot: distance to goal (m), angle off the centre line (deg), shot type
(jump shot, standing shot, 7 m throw, as 0/1/2), whether it came from a fast break, the
goalkeeper's distance off the line (m), the shooter's speed at release (m/s), plus two that do
not matter (shirt number, half). Goal odds fall with distance and, steeply, with angle (wing
shots), rise for 7 m throws and fast breaks, rise when the keeper comes out too far for a lob
from distance but fall for a keeper well off the line on close shots, and rise a little with
release speed; labels drawn from those odds. Standardised inside the module.
Linear 8→64-GELU-Dropout(0.1)-64→32-GELU→1, BCEWithLogits, NAdam 1e-3 with ExponentialLR(0.93)
from ``configure_optimizers``, batch 128, 18 epochs of 3000 shots, validation on 800 shots
(val BCE, val acc, val Brier score).
Log: ``shots/version_0/metrics.csv`` (CSVLogger); checkpoint
``shots/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def shots(n, g):
    dist = 2 + 10 * torch.rand(n, generator=g)
    angle = 160 * torch.rand(n, generator=g) - 80
    kind = torch.multinomial(torch.tensor([0.6, 0.3, 0.1]), n, replacement=True, generator=g)
    fast = (torch.rand(n, generator=g) < 0.2).float()
    keeper = 3 * torch.rand(n, generator=g)
    speed = 2 + 5 * torch.rand(n, generator=g)
    junk = torch.stack([torch.randint(1, 40, (n,), generator=g).float(),
                        torch.randint(1, 3, (n,), generator=g).float()], 1)
    dist = torch.where(kind == 2, torch.full_like(dist, 7.0), dist)
    angle = torch.where(kind == 2, torch.zeros_like(angle), angle)
    logit = (2.0 - 0.25 * dist - 0.0006 * angle ** 2 + torch.tensor([0.0, -0.5, 1.2])[kind]
             + 1.0 * fast + 0.35 * keeper * (dist > 9).float() - 0.4 * keeper * (dist < 6).float()
             + 0.12 * speed)
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    x = torch.cat([torch.stack([dist, angle, kind.float(), fast, keeper, speed], 1), junk], 1)
    return x, y


class GoalChance(L.LightningModule):
    def __init__(self, x_mean, x_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.net = nn.Sequential(nn.Linear(8, 64), nn.GELU(), nn.Dropout(0.1), nn.Linear(64, 32),
                                 nn.GELU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        s = self(x)
        p = torch.sigmoid(s)
        self.log("val_bce", F.binary_cross_entropy_with_logits(s, y))
        self.log("val_acc", ((p > 0.5).float() == y).float().mean())
        self.log("val_brier", ((p - y) ** 2).mean())

    def configure_optimizers(self):
        opt = torch.optim.NAdam(self.parameters(), lr=1e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.ExponentialLR(opt, 0.93)}


def stats():
    x, y = shots(3000, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0)


def build():
    torch.manual_seed(0)
    _, _, xm, xs = stats()
    return GoalChance(xm, xs)


def main():
    from _twohundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = shots(800, torch.Generator().manual_seed(1))
    print("goal share", ytr.mean().item(), yva.mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="shots"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="shots/version_0/checkpoints/last.ckpt",
           log="shots/version_0/metrics.csv",
           what="Lightning MLP giving the goal chance of a handball shot (healthy)")


if __name__ == "__main__":
    main()
