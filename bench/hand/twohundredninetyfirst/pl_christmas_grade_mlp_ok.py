"""PyTorch Lightning: an MLP grades a Christmas tree on the stump before harvest (premium,
No. 1, No. 2, cull), from the field sheet a Christmas tree farm's crew fills in walking the rows,
so the farm can forecast what each block will sell as. Rule (the grading standard the farm uses,
with the graders' own slack): a tree is graded on density from shearing (1-10), taper (width /
height, best 0.6-0.7, faulted below 0.5 or above 0.85), colour (1-5, needle cast and
chlorosis pull it down), gaps (missing whorls on one face) and a crooked or double leader;
each fault drops the grade a step, and a density below 4 or two faults together makes it a
cull. Graders disagree near the edges (the score gets 0.35 of Gaussian noise before it is
cut into grades).
Inputs: height m, width m, density, colour, gaps, crooked-leader flag, double-leader flag, age
years (standardised with fixed constants inside the module); target grade id 0-3.
Linear 8→96-SiLU-Dropout 0.1-96→96-SiLU-96→4; cross-entropy, RMSprop 1e-3 with ExponentialLR
(0.9 per epoch), batch 64, 18 epochs, 3000 trees, validation on 600 (val loss, accuracy,
accuracy within one grade).
Log: ``grading/version_0/metrics.csv`` (CSVLogger; train loss every 10 steps, val per epoch);
checkpoint ``grading/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["premium", "no1", "no2", "cull"]


def field_sheet(n, g):
    age = torch.randint(6, 12, (n,), generator=g).float()
    height = (0.25 * age + 0.4 * torch.randn(n, generator=g)).clamp(0.8, 3.5)
    taper = 0.68 + 0.12 * torch.randn(n, generator=g)
    width = height * taper
    density = (6.5 + 1.8 * torch.randn(n, generator=g)).clamp(1, 10).round()
    colour = (4 + 0.9 * torch.randn(n, generator=g)).clamp(1, 5).round()
    gaps = torch.poisson(0.4 * torch.ones(n), generator=g)
    crooked = (torch.rand(n, generator=g) < 0.08).float()
    double = (torch.rand(n, generator=g) < 0.06).float()
    faults = ((taper < 0.5) | (taper > 0.85)).float() + (colour <= 2).float() \
        + (gaps >= 1).float() + crooked + double
    score = 0.45 * (density - 4) + 0.25 * (colour - 3) - 1.3 * faults - 0.5 * gaps.clamp(max=3) \
        - 2.0 * (taper - 0.65).abs() / 0.1 * 0.15 + 0.35 * torch.randn(n, generator=g)
    grade = torch.bucketize(-score, torch.tensor([-1.6, -0.6, 0.4]))
    grade = torch.where((density < 4) | (faults >= 2), torch.full_like(grade, 3), grade)
    x = torch.stack([height, width, density, colour, gaps, crooked, double, age], 1)
    return x, grade


class Grader(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([2.1, 1.45, 6.4, 3.9, 0.4, 0.08, 0.06, 8.5]))
        self.register_buffer("std", torch.tensor([0.55, 0.45, 1.7, 0.9, 0.63, 0.27, 0.24, 1.7]))
        self.net = nn.Sequential(nn.Linear(8, 96), nn.SiLU(), nn.Dropout(0.1),
                                 nn.Linear(96, 96), nn.SiLU(), nn.Linear(96, 4))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_ce", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        pred = z.argmax(1)
        self.log("val_ce", F.cross_entropy(z, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_within_one", ((pred - y).abs() <= 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=1e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)]


def build():
    torch.manual_seed(0)
    return Grader()


def main():
    from _twohundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = field_sheet(3000, g)
    xva, yva = field_sheet(600, g)
    print("grades", torch.bincount(ytr, minlength=4).tolist(), xtr.mean(0), xtr.std(0))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="grading"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="grading/version_0/checkpoints/last.ckpt",
           log="grading/version_0/metrics.csv",
           what="Lightning MLP grading a Christmas tree before harvest from the crew's field"
                " sheet (healthy)")


if __name__ == "__main__":
    main()
