"""PyTorch Lightning: insurance claims triage — does a paid property/motor claim have
subrogation potential (a liable third party from whom the insurer can recover)? Synthetic
closed claims: line of business (5, embedding 3), loss cause (12, embedding 4), log paid
amount, police-report flag, third-party-vehicle flag, days from loss to report, claimant
statement keywords ("rear-ended", "contractor", "defective", a 16-token bag), weather-event
flag; about 12–13 % of the claims had a recovery; 6 % of the training labels are wrong (recovery
files closed as "no recovery" after the statute ran out). MLP 7 + 20 → 64 → 32 → 1 with
dropout 0.3, ``BCEWithLogitsLoss``, Adam 2e-3 with ``ReduceLROnPlateau`` on val loss (patience
1, factor 0.5), batch 128, 10 epochs of 5000 claims; ``CSVLogger`` → ``metrics.csv`` (train
loss every 10 steps, val loss, val AUROC, val recall at 0.5 per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy, with a slow start on the minority class: val recall at 0.5 is 0.0 for two epochs
(AUROC already 0.62 → 0.85), then 0.10, 0.36, … 0.53; val AUROC 0.926, val loss 0.210 below the
train loss 0.254 (the wrong labels are only in training, and dropout)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

N_LOB, N_CAUSE, N_TOK = 5, 12, 16


def claims(n, g, flip=0.0):
    lob = torch.randint(0, N_LOB, (n,), generator=g)
    cause = torch.randint(0, N_CAUSE, (n,), generator=g)
    cause_eff = torch.linspace(-1.5, 1.5, N_CAUSE)[torch.randperm(N_CAUSE, generator=torch.Generator().manual_seed(4))]
    police = (torch.rand(n, generator=g) < 0.3).float()
    tpv = (torch.rand(n, generator=g) < 0.25).float()
    paid = 8 + 1.2 * torch.randn(n, generator=g)
    delay = torch.rand(n, generator=g) * 60
    weather = (torch.rand(n, generator=g) < 0.15).float()
    z = (-2.4 + cause_eff[cause] + 1.3 * tpv + 0.8 * police + 0.25 * (paid - 8) - 0.02 * delay
         - 1.5 * weather + 0.3 * (lob == 1).float())
    y = torch.bernoulli(torch.sigmoid(z), generator=g)
    bag = (torch.rand(n, N_TOK, generator=g) < 0.05).float()
    kw = torch.rand(n, 3, generator=g) < (0.1 + 0.5 * y[:, None])
    bag[:, :3] = torch.maximum(bag[:, :3], kw.float())
    x = torch.cat([torch.stack([paid - 8, police, tpv, delay / 30 - 1], 1), bag], 1)
    wrong = (torch.rand(n, generator=g) < flip) & (y == 1)
    y = torch.where(wrong, torch.zeros_like(y), y)
    wrong0 = (torch.rand(n, generator=g) < flip / 3) & (y == 0)
    y = torch.where(wrong0, torch.ones_like(y), y)
    return lob, cause, x, y


def auroc(p, y):
    order = torch.argsort(p)
    ranks = torch.empty_like(p)
    ranks[order] = torch.arange(1, len(p) + 1, dtype=p.dtype)
    npos = y.sum()
    return ((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * (len(y) - npos))).item()


class SubroNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.lob = nn.Embedding(N_LOB, 3)
        self.cause = nn.Embedding(N_CAUSE, 4)
        self.mlp = nn.Sequential(nn.Linear(7 + 4 + N_TOK, 64), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1))

    def forward(self, lob, cause, x):
        return self.mlp(torch.cat([self.lob(lob), self.cause(cause), x], 1)).squeeze(1)

    def training_step(self, batch, _):
        lob, cause, x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(lob, cause, x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        lob, cause, x, y = batch
        logit = self(lob, cause, x)
        p = torch.sigmoid(logit)
        self.log("val_loss", F.binary_cross_entropy_with_logits(logit, y))
        self.log("val_auroc", auroc(p, y))
        self.log("val_recall", ((p > 0.5) & (y == 1)).sum() / (y == 1).sum())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss"}}


def build():
    torch.manual_seed(0)
    return SubroNet()


def main():
    from _hundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = claims(5000, g, flip=0.06)
    va = claims(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(*tr), batch_size=128, shuffle=True)
    val = torch.utils.data.DataLoader(ds(*va), batch_size=1200)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="subro"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, {"inputs": va[0][:256], "cause": va[1][:256], "x": va[2][:256],
                           "targets": va[3][:256]},
           causes=[], checkpoint="subro/version_0/checkpoints/last.ckpt",
           log="subro/version_0/metrics.csv",
           what="Lightning subrogation-potential MLP on closed insurance claims, 6 % wrong "
                "recovery labels (healthy)")


if __name__ == "__main__":
    main()
