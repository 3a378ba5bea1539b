"""PyTorch Lightning: an embedding model predicts what the owner of a stray beast will pay to
get it out of the parish pound, from the hayward's pound book, so the manor court roll can be
checked against it. The custom of the manor sets the fine: a rate per head by kind (horse
4d, ox 3d, cow 2d, pig 1d, sheep ½d, goose ¼d), doubled or halved by where the beast was
taken (sown wheat ×2, barley ×1.6, meadow before haymaking ×1.4, common ×0.8, fallow ×0.5),
doubled again for a beast from outside the parish (two of the eight townships are foreign),
plus the pound-keeper's ½d a head for each night, and the hayward's discretion (about ±10 %).
Input: a (5,) row — kind id, field id, township id (each looked up in its own embedding),
nights / 3 and head / 5; target ln(pence) standardised. Model: Embedding 6×4, 5×3, 8×3,
concatenated with the two numbers, Linear 12→64, SiLU, Linear 64→64, SiLU, Linear 64→1; MSE,
AdamW 3e-3 (weight decay 1e-4) with CosineAnnealingLR over the 12 epochs from
``configure_optimizers``, batch 40, 1600 entries, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``poundbook/version_0/metrics.csv`` (``mse_step`` every 10 steps, ``mse_epoch``
/ ``val_mse`` / ``val_mae_pence`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)``
→ ``poundbook/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

RATE = torch.tensor([4.0, 3.0, 2.0, 1.0, 0.5, 0.25])  # horse ox cow pig sheep goose
HERD = torch.tensor([1.5, 3.0, 3.0, 4.0, 12.0, 8.0])  # typical head taken at once
FIELD = torch.tensor([2.0, 1.6, 1.4, 0.8, 0.5])  # wheat barley meadow common fallow
FOREIGN = torch.tensor([0, 0, 0, 0, 0, 0, 1, 1]).float()


def pound_book(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.multinomial(torch.tensor([0.1, 0.12, 0.25, 0.18, 0.25, 0.1]), n, True,
                             generator=g)
    field = torch.randint(0, 5, (n,), generator=g)
    town = torch.randint(0, 8, (n,), generator=g)
    head = (1 + torch.poisson(HERD[kind] - 1, generator=g)).clamp(max=20)
    nights = torch.randint(0, 7, (n,), generator=g).float()
    pence = head * RATE[kind] * FIELD[field] * (1 + FOREIGN[town]) + 0.5 * head * nights
    pence = pence * (1 + 0.1 * (2 * r(n) - 1))
    x = torch.stack([kind.float(), field.float(), town.float(), nights / 3, head / 5], 1)
    return x, pence


class FineModel(L.LightningModule):
    def __init__(self, y_mean=0.0, y_sd=1.0):
        super().__init__()
        self.save_hyperparameters()
        self.kind = nn.Embedding(6, 4)
        self.field = nn.Embedding(5, 3)
        self.town = nn.Embedding(8, 3)
        self.mlp = nn.Sequential(nn.Linear(12, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        ids = x[:, :3].long()
        h = torch.cat([self.kind(ids[:, 0]), self.field(ids[:, 1]), self.town(ids[:, 2]),
                       x[:, 3:]], 1)
        return self.mlp(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        to_d = lambda v: (v * self.hparams.y_sd + self.hparams.y_mean).exp()  # noqa: E731
        self.log("val_mae_pence", (to_d(p) - to_d(y)).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return FineModel()


def main():
    from _threehundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ptr = pound_book(1600, g)
    xva, pva = pound_book(400, g)
    y_mean, y_sd = ptr.log().mean().item(), ptr.log().std().item()
    ytr = ((ptr.log() - y_mean) / y_sd).unsqueeze(1)
    yva = ((pva.log() - y_mean) / y_sd).unsqueeze(1)
    print("pence", ptr.median().item(), ptr.max().item())
    L.seed_everything(0, verbose=False)
    torch.manual_seed(0)
    model = FineModel(y_mean, y_sd)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="poundbook"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="poundbook/version_0/checkpoints/last.ckpt",
           log="poundbook/version_0/metrics.csv",
           what="Lightning embedding model (beast kind, field, township) predicting a stray's"
                " pound fine from a hayward's pound book, regression (healthy)")


if __name__ == "__main__":
    main()
