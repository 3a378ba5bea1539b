"""PyTorch Lightning: a residual MLP tells a theatre costumier which alterations a stock
costume needs before it fits the actor cast in the part (multi-label, 5 tags): take in the
waist, let out the waist, let out the bust, take up the hem, let down the hem. Inputs: the
actor's measurements (bust, waist, hips, shoulder width, nape-to-floor, height, cm) and the
costume's (bust, waist, hips, shoulder, length, seam allowance left in the waist seam), 12
numbers standardised with the train mean / std. The tags follow the wardrobe's rules: the
costume needs 6 cm of ease over the bust and 3 cm at the waist (take in if the waist has over
5 cm more than that, let out if it has less than 1 cm and the seam allowance covers it, else
the bust / waist is too tight and only a bust let-out can help); the hem must land 2 cm off
the floor within ± 2.5 cm. Tape noise 0.6 cm on every measurement, so the boundaries blur.
Model: Linear 12→64, 3 residual blocks (LayerNorm → Linear 64→64 → GELU → Linear), LayerNorm,
Linear 64→5; BCE with logits, AdamW 2e-3 (weight decay 1e-2) with CosineAnnealingLR over 12
epochs from ``configure_optimizers``, batch 64, 2400 fittings, validation on 600.
Healthy; numbers in the README.
Log: CSVLogger ``wardrobe/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch``
/ ``val_bce`` / ``val_tag_acc`` / ``val_exact`` / ``val_recall_letout`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``wardrobe/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

TAGS = ["take_in_waist", "let_out_waist", "let_out_bust", "take_up_hem", "let_down_hem"]


def fittings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    tape = lambda: 0.6 * torch.randn(n, generator=g)  # noqa: E731
    height = 155 + 35 * r(n)
    bust = 78 + 34 * r(n)
    waist = bust - 8 - 22 * r(n)
    hips = waist + 10 + 20 * r(n)
    shoulder = 0.24 * height + 4 * r(n)
    nape_floor = 0.85 * height + 3 * (r(n) - 0.5)
    c_bust = bust + 6 + 14 * (r(n) - 0.4)
    c_waist = waist + 3 + 14 * (r(n) - 0.4)
    c_hips = hips + 4 + 10 * (r(n) - 0.3)
    c_shoulder = shoulder + 2 * (r(n) - 0.5)
    c_len = nape_floor - 2 + 12 * (r(n) - 0.5)
    allowance = 4 * r(n)
    w_ease = c_waist - waist - 3 + tape()
    b_ease = c_bust - bust - 6 + tape()
    hem = c_len - (nape_floor - 2) + tape()
    take_in = w_ease > 5
    let_out = (w_ease < 1) & (allowance >= 1 - w_ease)
    bust_out = b_ease < 0
    up, down = hem > 2.5, hem < -2.5
    y = torch.stack([take_in, let_out, bust_out, up, down], 1).float()
    x = torch.stack([bust, waist, hips, shoulder, nape_floor, height, c_bust, c_waist, c_hips,
                     c_shoulder, c_len, allowance], 1)
    return x + 0.3 * torch.randn(n, 12, generator=g), y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class AlterNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(12, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 5))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_tag_acc", (pred == y).float().mean())
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_recall_letout", pred[y[:, 1] == 1, 1].mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-2)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return AlterNet()


def main():
    from _threehundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = fittings(2400, g)
    rva, yva = fittings(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("tag rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="wardrobe"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wardrobe/version_0/checkpoints/last.ckpt",
           log="wardrobe/version_0/metrics.csv",
           what="Lightning residual MLP tagging the alterations a stock costume needs to fit an"
                " actor, multi-label (healthy)")


if __name__ == "__main__":
    main()
