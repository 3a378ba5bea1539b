"""PyTorch Lightning: which cask matured a whisky, from its UV-visible absorbance spectrum
(250–650 nm, 160 bins), as a distillery's quality lab would screen new-make fills coming out
of the warehouse: ex-bourbon, oloroso sherry, ruby port or virgin oak. Synthetic spectra: a
brown colour tail (exp decay from the UV, steeper and darker for sherry and port), a lignin /
vanillin band near 280 and 310 nm (strongest in virgin oak and bourbon), a faint anthocyanin
hump near 520 nm for port only, an ellagitannin shoulder near 370 nm for sherry and virgin oak;
the age (3–18 years) scales every band, the dilution of the sample is random (0.7–1.3) and
there is baseline drift and noise. Each spectrum is divided by its own mean (the lab's
normalisation). A 1-D CNN (3 conv blocks 16/32/32, kernel 7, BatchNorm, max-pool, global
average, dropout 0.3, linear 4), Adam 1e-3 with a StepLR halving every 4 epochs, batch 32,
10 epochs of 960 spectra; ``CSVLogger`` → ``metrics.csv`` (train loss every 5 steps, val
loss, val accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, a little odd: val accuracy 0.37 after epoch 1, then 0.89, 0.996, 1.0 from epoch 5 on,
and the val loss (1.21 → 0.064) ends below the step train losses (0.08–0.15 over the last
epoch: dropout and BatchNorm's batch statistics only in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

CASKS = ["ex_bourbon", "oloroso_sherry", "ruby_port", "virgin_oak"]
NM = torch.linspace(250, 650, 160)


def band(c, w):
    return torch.exp(-((NM - c) / w) ** 2)


def spectra(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    r = lambda: torch.rand(n, 1, generator=g)  # noqa: E731
    age = 3 + 15 * r()
    colour = torch.tensor([0.6, 1.3, 1.2, 0.9])[y][:, None]
    slope = torch.tensor([0.012, 0.010, 0.009, 0.013])[y][:, None]
    lignin = torch.tensor([0.8, 0.3, 0.3, 1.1])[y][:, None]
    tannin = torch.tensor([0.1, 0.6, 0.2, 0.5])[y][:, None]
    antho = torch.tensor([0.0, 0.0, 0.35, 0.0])[y][:, None]
    k = (0.4 + age / 18) * (0.9 + 0.2 * r())
    s = (colour * k * torch.exp(-slope * (1 + 0.1 * r()) * (NM - 250))
         + lignin * k * (0.6 * band(280, 12) + 0.4 * band(310, 15))
         + tannin * k * band(370 + 6 * (r() - 0.5), 25) + antho * k * band(520, 35))
    s = s * (0.7 + 0.6 * r()) + 0.05 * r() + 0.03 * r() * (NM - 250) / 400
    s = s + 0.01 * torch.randn(n, 160, generator=g)
    return (s / s.mean(1, keepdim=True))[:, None], y


class CaskCNN(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        blocks = []
        for cin, cout in [(1, 16), (16, 32), (32, 32)]:
            blocks += [nn.Conv1d(cin, cout, 7, padding=3), nn.BatchNorm1d(cout), nn.ReLU(),
                       nn.MaxPool1d(2)]
        self.features = nn.Sequential(*blocks)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean(-1)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return CaskCNN()


def main():
    from _hundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = spectra(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="cask_cnn"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint="cask_cnn/version_0/checkpoints/last.ckpt",
           log="cask_cnn/version_0/metrics.csv",
           what="Lightning 1-D CNN telling whisky cask type from UV-vis spectra (healthy)")


if __name__ == "__main__":
    main()
