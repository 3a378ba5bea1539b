"""PyTorch Lightning: an embedding model predicts a doe's morning-plus-evening milk (kg/day) on a
goat farm from the record book: breed (5 breeds, embedding 4), parity (1-6, embedding 3), days in
milk, concentrate fed (kg), hay quality score and barn temperature. The target follows Wood's
curve a * t^b * exp(-c t) with a breed scale, a parity bump (peaks in 3rd/4th
kidding), a concentrate response and a heat-stress drop above 24 C, plus 0.15 kg of noise;
it is standardised with the training mean/std. Embeddings + MLP 11-48-48-1 (ReLU), MSE, Adam
3e-3 with StepLR(step 8, gamma 0.5) from ``configure_optimizers``, batch 32, 20 epochs of 1024
records, validation on 256 records each epoch (val MSE and MAE in kg).
Log: ``CSVLogger`` -> ``goats/version_0/metrics.csv``; checkpoint ``ModelCheckpoint(save_last=True)``
-> ``goats/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def record_book(n, g):
    breed = torch.randint(0, 5, (n,), generator=g)
    parity = torch.randint(1, 7, (n,), generator=g)
    dim = 5 + 295 * torch.rand(n, generator=g)
    conc = 0.3 + 1.2 * torch.rand(n, generator=g)
    hay = torch.rand(n, generator=g)
    temp = 8 + 24 * torch.rand(n, generator=g)
    scale = torch.tensor([1.0, 1.3, 0.8, 1.15, 0.95])[breed]
    par = torch.tensor([0, 0.8, 0.92, 1.0, 1.0, 0.95, 0.88])[parity]
    wood = 1.4 * (dim / 10) ** 0.25 * torch.exp(-0.004 * dim)
    kg = scale * par * wood * (0.8 + 0.25 * conc + 0.2 * hay) - 0.05 * (temp - 24).clamp(min=0)
    kg = kg + 0.15 * torch.randn(n, generator=g)
    x = torch.stack([breed.float(), parity.float(), dim, conc, hay, temp], 1)
    return x, kg


class GoatYield(L.LightningModule):
    def __init__(self, y_mean, y_std):
        super().__init__()
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.breed = nn.Embedding(5, 4)
        self.parity = nn.Embedding(7, 3)
        self.register_buffer("scale", torch.tensor([300.0, 1.5, 1.0, 30.0]))
        self.mlp = nn.Sequential(nn.Linear(11, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, x):
        num = x[:, 2:] / self.scale
        h = torch.cat([self.breed(x[:, 0].long()), self.parity(x[:, 1].long()), num], 1)
        return self.mlp(h).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_kg", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)]


def data():
    g = torch.Generator().manual_seed(0)
    xtr, ytr = record_book(1024, g)
    xva, yva = record_book(256, g)
    return xtr, ytr, xva, yva


def build():
    torch.manual_seed(0)
    _, ytr, _, _ = data()
    return GoatYield(ytr.mean(), ytr.std())


def main():
    from _twohundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, xva, yva = data()
    print("kg/day mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="goats"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=256))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="goats/version_0/checkpoints/last.ckpt",
           log="goats/version_0/metrics.csv",
           what="Lightning embedding model regressing a goat's daily milk from record-book entries"
                " (healthy)")


if __name__ == "__main__":
    main()
