"""PyTorch Lightning: a plain MLP tags a draper's new bolt of furnishing cloth with the uses
it passes for (multi-label, 4 tags), from the mill's test certificate, so the shop floor can
shelve it and the website can list it: curtains, upholstery, dressmaking, outdoor. 8 numbers
on the certificate: weight (g/m², 80-600), Martindale rub count (thousands, 5-100), light
fastness (blue wool scale 1-8), shrinkage after washing (%), drape coefficient (0.2-0.9,
low drapes well), flame-retardant treatment (0/1), spray rating for water repellency
(0-100) and pilling grade (1-5). The tags follow the trade's rules on those numbers:
curtains (150-450 g/m², light fastness ≥ 5, drape < 0.65, shrinkage < 3 %), upholstery
(rub ≥ 25 k, ≥ 250 g/m², flame retardant, pilling ≥ 3), dressmaking (< 320 g/m², drape
< 0.5, shrinkage < 4 %), outdoor (spray ≥ 80, light fastness ≥ 6, rub ≥ 15 k); a bolt can
pass for several or none. The certificate numbers carry test scatter, so borderline bolts
are fuzzy.
Input: (8,) standardised with the train mean / std. Model: 8→64→ReLU→64→ReLU→4 (one logit
per tag); BCE with logits, Adam 3e-3 with ExponentialLR(0.85) from ``configure_optimizers``,
batch 64, 14 epochs, 2560 bolts, validation on 640.
Healthy; numbers in the README.
Log: CSVLogger ``bolts/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact`` (all 4 tags right) / ``val_tag_acc`` / ``val_f1_upholstery``
per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``bolts/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

TAGS = ["curtains", "upholstery", "dressmaking", "outdoor"]


def certificates(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    noise = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    gsm = 80 + 520 * r(n) ** 1.2
    rub = 5 + 95 * r(n) ** 1.5
    lf = torch.floor(1 + 8 * r(n)).clamp(max=8)
    shrink = 6 * r(n) ** 1.3
    drape = 0.2 + 0.7 * r(n)
    fr = (r(n) < 0.4).float()
    spray = torch.floor(11 * r(n)).clamp(max=10) * 10
    pill = torch.floor(1 + 5 * r(n)).clamp(max=5)
    t_gsm, t_rub = gsm + noise(12), rub + noise(2.5)
    t_drape, t_shr = drape + noise(0.03), shrink + noise(0.3)
    curtains = (t_gsm > 150) & (t_gsm < 450) & (lf >= 5) & (t_drape < 0.65) & (t_shr < 3)
    uph = (t_rub >= 25) & (t_gsm >= 250) & (fr > 0) & (pill >= 3)
    dress = (t_gsm < 320) & (t_drape < 0.5) & (t_shr < 4)
    outdoor = (spray >= 80) & (lf >= 6) & (t_rub >= 15)
    x = torch.stack([gsm, rub, lf, shrink, drape, fr, spray, pill], 1)
    return x, torch.stack([curtains, uph, dress, outdoor], 1).float()


class BoltTagger(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        return self.mlp(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 1] * y[:, 1]).sum()
        f1 = 2 * tp / (pred[:, 1].sum() + y[:, 1].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_tag_acc", (pred == y).float().mean())
        self.log("val_f1_upholstery", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return BoltTagger()


def main():
    from _fourhundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ctr, ytr = certificates(2560, g)
    cva, yva = certificates(640, g)
    mu, sd = ctr.mean(0), ctr.std(0)
    xtr, xva = (ctr - mu) / sd, (cva - mu) / sd
    print("tag shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="bolts"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=640))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bolts/version_0/checkpoints/last.ckpt",
           log="bolts/version_0/metrics.csv",
           what="Lightning MLP tagging a draper's bolt of cloth with its uses (multi-label) from"
                " the mill's test certificate (healthy)")


if __name__ == "__main__":
    main()
