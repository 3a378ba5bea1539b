"""PyTorch Lightning: fault diagnosis of power transformers from dissolved gas analysis (energy).
Each oil sample gives 7 gas concentrations in ppm (H2, CH4, C2H6, C2H4, C2H2, CO, CO2); the
classes are IEC 60599's: normal ageing, partial discharge PD, low- and high-energy discharges
D1 / D2, thermal faults T1 (< 300 °C), T2 (300–700 °C), T3 (> 700 °C). Synthetic samples: a
class profile of log10 ppm per gas (PD: H2-rich; D1/D2: C2H2 and H2; T1–T3: CH4 → C2H4 as the
temperature rises; normal: CO/CO2 ageing gases) plus a per-sample total-gassing level, gas-wise
scatter of 0.25 decades and a laboratory (DGA instrument) offset; 8 % of the training labels
are wrong (the expert's call was disputed). Features: log10(ppm + 1), standardised with the
training statistics. An MLP 7 → 64 → 64 → 7 with ReLU, dropout 0.3. Adam 3e-3, weight decay
1e-4, StepLR ×0.5 every 8 epochs, batch 64, 20 epochs of 1536 samples; ``CSVLogger`` →
``metrics.csv`` (train loss per 6 steps and per epoch, val loss and val accuracy per epoch),
``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy, looks a little odd: the train loss (1.69 in epoch 1, 0.65 at the end) stays at twice
the val loss (1.15, 0.47, then 0.31 at the end) because of the wrong labels and the dropout;
val accuracy 0.84 after epoch 1, 0.875–0.904 from epoch 2 on, 0.904 at the end."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

GASES = ["H2", "CH4", "C2H6", "C2H4", "C2H2", "CO", "CO2"]
FAULTS = ["normal", "PD", "D1", "D2", "T1", "T2", "T3"]
PROFILE = torch.tensor([  # log10 ppm per gas
    [1.3, 1.0, 1.0, 0.7, -0.5, 2.5, 3.4],   # normal
    [2.8, 1.6, 1.1, 0.5, -0.3, 2.3, 3.2],   # PD
    [2.3, 1.2, 0.7, 1.2, 1.7, 2.4, 3.2],    # D1
    [2.5, 1.9, 1.2, 2.2, 2.2, 2.5, 3.3],    # D2
    [1.6, 2.0, 1.9, 1.1, -0.3, 2.6, 3.4],   # T1
    [1.7, 2.3, 1.7, 2.0, 0.0, 2.5, 3.3],    # T2
    [2.0, 2.5, 1.5, 2.7, 0.8, 2.5, 3.3],    # T3
])


def samples(n, g, flip=0.0):
    y = torch.randint(0, 7, (n,), generator=g)
    level = 0.4 * torch.randn(n, 1, generator=g)
    lab = 0.15 * torch.randn(4, 7, generator=g)[torch.randint(0, 4, (n,), generator=g)]
    logppm = PROFILE[y] + level + lab + 0.25 * torch.randn(n, 7, generator=g)
    ppm = (10 ** logppm - 1).clamp(min=0)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 7, (n,), generator=g)) % 7, y)
    return ppm, y


class DGANet(L.LightningModule):
    def __init__(self, lr=3e-3, hidden=64):
        super().__init__()
        self.save_hyperparameters()
        self.mlp = nn.Sequential(nn.Linear(7, hidden), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(hidden, 7))

    def forward(self, x):
        return self.mlp(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return DGANet()


def main():
    from _hundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ppm_tr, ytr = samples(1536, g, flip=0.08)
    ppm_va, yva = samples(512, g)
    ltr, lva = torch.log10(ppm_tr + 1), torch.log10(ppm_va + 1)
    mu, sd = ltr.mean(0), ltr.std(0)
    xtr, xva = (ltr - mu) / sd, (lva - mu) / sd
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=512)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="dga"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:128], yva[:128]), causes=[],
           checkpoint="dga/version_0/checkpoints/last.ckpt",
           log="dga/version_0/metrics.csv",
           what="Lightning MLP, transformer-oil DGA fault classes (IEC 60599), 8 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
