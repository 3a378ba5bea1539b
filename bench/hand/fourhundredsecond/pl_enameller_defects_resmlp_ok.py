"""PyTorch Lightning: a residual MLP tells an enameller, before a piece goes into the kiln,
which of four firing defects to expect on a copper piece with vitreous enamel (multi-label,
any number at once): crazing (a net of fine cracks when the enamel's expansion is far from
copper's and the piece is cooled fast), pinholes / bubbles (gas from an unclean metal or a
thick coat fired too short), burnout (thin, dark edges when fired too hot or too long),
and chipping (a thick coat with no counter-enamel on the back pulls the piece and pops
off). 8 inputs: kiln temperature (°C, 760-900), firing time (s, 60-240), coat thickness
(mm, 0.1-0.6), enamel expansion coefficient (×10⁻⁷/K, 110-190; copper is about 170),
cooling (still air / on a trivet / quenched, 0-2), counter-enamel (0/1), metal cleaned in
pickle (0/1), number of coats (1-5). Each defect is drawn from a logistic rule of these.
Input: (8,) standardised. Model: Linear 8→64, 3 residual blocks (LayerNorm, Linear 64→128,
GELU, Linear 128→64, added back), LayerNorm, Linear 64→4; BCE-with-logits, AdamW 3e-3
(weight decay 1e-3) with OneCycleLR stepped every batch from ``configure_optimizers``,
batch 64, 12 epochs, 2048 pieces, validation on 512.
Healthy; numbers in the README.
Log: CSVLogger ``kilnbook/version_0/metrics.csv`` (``bce_step`` every 8 steps, ``bce_epoch`` /
``val_bce`` / ``val_macro_f1`` / ``val_f1_crazing`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``kilnbook/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DEFECTS = ["crazing", "pinholes", "burnout", "chipping"]


def pieces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp, secs, coat = 760 + 140 * r(n), 60 + 180 * r(n), 0.1 + 0.5 * r(n)
    cte = 110 + 80 * r(n)
    cool = torch.randint(0, 3, (n,), generator=g).float()
    counter = (r(n) < 0.6).float()
    clean = (r(n) < 0.7).float()
    coats = torch.randint(1, 6, (n,), generator=g).float()
    heat = (temp - 760) / 140 + (secs - 60) / 180  # 0 .. 2
    z = torch.stack([
        0.08 * (cte - 170).abs() - 2.5 + 1.5 * cool - 1.0 * counter,
        2.0 * (1 - clean) + 6 * (coat - 0.3) - 2.5 * heat + 0.5,
        3.0 * (heat - 1.45) + 0.4 * (coats - 3) - 4 * (coat - 0.3),
        5 * (coat * coats - 1.2) - 3.0 * counter + 0.8 * cool], 1)
    y = (r(n, 4) < torch.sigmoid(2.0 * z)).float()
    x = torch.stack([temp, secs, coat, cte, cool, counter, clean, coats], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(),
                                nn.Linear(2 * d, d))

    def forward(self, h):
        return h + self.ff(h)


class DefectNet(L.LightningModule):
    def __init__(self, steps_per_epoch=32, epochs=12):
        super().__init__()
        self.save_hyperparameters()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.head = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.blocks(self.inp(x)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        tp, fp, fn = (p * y).sum(0), (p * (1 - y)).sum(0), ((1 - p) * y).sum(0)
        f1 = 2 * tp / (2 * tp + fp + fn).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_macro_f1", f1.mean())
        self.log("val_f1_crazing", f1[0])

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=3e-3, epochs=self.hparams.epochs,
            steps_per_epoch=self.hparams.steps_per_epoch)
        return [opt], [{"scheduler": sched, "interval": "step"}]


def build():
    torch.manual_seed(0)
    return DefectNet()


def main():
    from _fourhundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = pieces(2048, g)
    rva, yva = pieces(512, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("defect rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="kilnbook"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=512))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="kilnbook/version_0/checkpoints/last.ckpt",
           log="kilnbook/version_0/metrics.csv",
           what="Lightning residual MLP predicting which firing defects (crazing, pinholes,"
                " burnout, chipping) an enamelled copper piece will show (healthy)")


if __name__ == "__main__":
    main()
