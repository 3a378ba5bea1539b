"""PyTorch Lightning: a residual MLP flags the faults a mercer's buyer looks for in a bolt of
woven cloth before it goes on the shelf, several at once (multi-label): will shrink in the
wash, colour runs, weave too loose for its fibre, uneven dyeing. The rule behind the labels:
each bolt has a fibre (wool, linen, cotton, silk), ends and picks per cm, yarn count (tex),
weight (g/m²), whether it was fulled / pre-shrunk, the mordant (alum, iron, none), the dye
depth, and three quick shop tests, all noisy: a 10 cm wash-test square's shrink (%), a crock
test rubbed on white cotton (grey scale 1-5) and the spread of a colour reading across the
width. Shrinks when the expected shrink (wool 6 %, cotton 4 %, linen 3 %, silk 2 %; halved by
fulling, looser weaves shrink more) passes 4 %; runs when a deep dye has no mordant or the
crock test reads below 3; loose when the cover factor (ends + picks × √tex) is under the
fibre's bar; uneven when the width spread passes 2.5 ΔE.
Input: 15 standardised features (fibre and mordant one-hot). Model: Linear 15→64, 3
residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64, added back), LayerNorm,
Linear 64→4; BCE with logits, Adam 2e-3 with ReduceLROnPlateau (×0.5, patience 2, on
``val_bce``) from ``configure_optimizers``, batch 128, 16 epochs of 3000 bolts, validation
on 600.
Healthy; numbers in the README.
Log: CSVLogger ``bolts/version_0/metrics.csv`` (``bce`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_shrinks`` / ``val_f1_runs`` / ``val_f1_loose`` /
``val_f1_uneven`` per epoch); checkpoints ``ModelCheckpoint(monitor="val_bce",
save_last=True)`` → ``bolts/version_0/checkpoints/last.ckpt`` and the best
``best-epoch=N.ckpt`` beside it."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["shrinks", "runs", "loose", "uneven"]


def bolts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    fibre = torch.randint(0, 4, (n,), generator=g)  # wool, linen, cotton, silk
    tex = torch.tensor([40.0, 30.0, 25.0, 12.0])[fibre] * (0.6 + 0.8 * r(n))
    ends = 12 + 24 * r(n)
    picks = ends * (0.7 + 0.5 * r(n))
    cover = (ends + picks) * tex.sqrt()
    weight = (ends + picks) * tex / 10 * (0.9 + 0.2 * r(n))
    fulled = (r(n) < 0.4).float()
    mordant = torch.randint(0, 3, (n,), generator=g)  # alum, iron, none
    depth = r(n)
    base = torch.tensor([6.0, 3.0, 4.0, 2.0])[fibre]
    shrink = base * (1 - 0.5 * fulled) * (1 + 0.6 * (260 - cover).clamp(min=0) / 260)
    wash = shrink + 0.6 * rn(n)
    crock = (5 - 2.5 * depth * (mordant == 2).float() - 1.2 * depth + 0.4 * rn(n)).clamp(1, 5)
    spread = 1.5 + 1.6 * depth * r(n) + 0.4 * rn(n).abs()
    bar = torch.tensor([200.0, 240.0, 220.0, 160.0])[fibre]
    y = torch.stack([shrink > 4.0,
                     ((depth > 0.6) & (mordant == 2)) | (crock < 3.0),
                     cover < bar,
                     spread > 2.5], 1).float()
    x = torch.stack([(fibre == 0).float(), (fibre == 1).float(), (fibre == 2).float(),
                     (fibre == 3).float(), tex, ends, picks, weight, fulled,
                     (mordant == 0).float(), (mordant == 1).float(), depth, wash, crock, spread], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.f(x)


class BoltFaults(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(15, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        p = (z > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(z, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        for k, name in enumerate(FAULTS):
            tp = (p[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (p[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_bce"}}


def build():
    torch.manual_seed(0)
    return BoltFaults()


def main():
    from _fourhundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bolts(3000, g)
    xva, yva = bolts(600, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("fault rates", [round(v, 3) for v in ytr.mean(0).tolist()])
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(monitor="val_bce", save_top_k=1, save_last=True,
                           filename="best-{epoch}")
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="bolts"),
                        callbacks=[ckpt], enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", devices=1,
                        log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bolts/version_0/checkpoints/last.ckpt",
           log="bolts/version_0/metrics.csv",
           what="Lightning residual MLP flagging a mercer's cloth bolt faults (shrinks / runs /"
                " loose / uneven, multi-label) from its make and shop tests (healthy)")


if __name__ == "__main__":
    main()
