"""PyTorch Lightning: a small CNN labels storyboard panels by shot scale (wide, medium,
close-up) from 20×20 grey sketches: a figure (head disc + body box) whose size sets the shot
scale, drawn anywhere in the panel, with pencil noise and a random horizon line. Adam 2e-3,
batch 64, 10 epochs, CSVLogger → metrics.csv, ModelCheckpoint(save_last=True) → last.ckpt.
Healthy."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 20


def panels(n, g):
    y = torch.randint(0, 3, (n,), generator=g)  # 0 wide, 1 medium, 2 close-up
    r = torch.tensor([1.2, 2.5, 4.5])[y] * (0.85 + 0.3 * torch.rand(n, generator=g))
    cy = 4 + torch.rand(n, generator=g) * 8
    cx = 4 + torch.rand(n, generator=g) * 12
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    head = ((yy - cy[:, None, None]) ** 2 + (xx - cx[:, None, None]) ** 2) < r[:, None, None] ** 2
    body = ((yy > cy[:, None, None] + r[:, None, None])
            & ((xx - cx[:, None, None]).abs() < 1.3 * r[:, None, None]))
    hz = torch.randint(5, 15, (n,), generator=g)
    horizon = (yy[None] == hz[:, None, None].float()).float() * 0.6
    x = (head | body).float() + horizon + 0.3 * torch.randn(n, S, S, generator=g)
    return x[:, None], y


class ShotScale(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Linear(24 * 25, 48), nn.ReLU(),
                                 nn.Linear(48, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        lo = self(x)
        self.log("val_loss", nn.functional.cross_entropy(lo, y))
        self.log("val_acc", (lo.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return ShotScale()


def main():
    from _hundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    L.seed_everything(0, verbose=False)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = panels(2048, g)
    xva, yva = panels(512, g)
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64,
                                     shuffle=True, generator=torch.Generator().manual_seed(0))
    dv = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xva, yva), batch_size=256)
    ckpt = ModelCheckpoint(dirpath=out / "checkpoints", save_last=True)
    trainer = L.Trainer(max_epochs=10, accelerator="cpu", logger=CSVLogger(out, name="shots"),
                        callbacks=[ckpt], enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), dl, dv)
    metrics = next(out.glob("shots/version_*/metrics.csv"))
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="checkpoints/last.ckpt", log=str(metrics.relative_to(out)),
           what="storyboard shot-scale CNN, Lightning (healthy)")


if __name__ == "__main__":
    main()
