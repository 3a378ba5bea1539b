"""PyTorch Lightning: what happened on the rope, from a smart belay device's load cell. A
128-sample trace (50 Hz, kN, standardised by the dataset's mean and std) is one of: a lead
fall (a sharp peak of 3-6 kN with a decaying oscillation), a "take" (a slow rise to body
weight), lowering (steady body weight with small steps as rope pays out) or climbing (slack
rope, small tugs as the leader clips). A 1-D CNN (conv 1→24 k9 → ReLU → max-pool 2 →
conv 24→24 k5 → ReLU → global max → dropout 0.4 → linear 4). AdamW 3e-3, weight decay 1e-2,
step decay ×0.5 every 4 epochs, batch 32, 10 epochs of 768 traces; 8 % of the training labels
are wrong (the gym staff's tags). ``CSVLogger`` → ``metrics.csv`` (train loss every 6 steps,
train/val loss and val accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy; val loss sits below train loss (dropout and the training labels' noise)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 128


def traces(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)  # fall, take, lower, climb
    t = torch.arange(T).float()
    x = torch.zeros(n, T)
    for i in range(n):
        k = int(y[i])
        s = float(torch.randint(20, 80, (1,), generator=g))
        if k == 0:
            amp = 3 + 3 * float(torch.rand(1, generator=g))
            d = (t - s).clamp(min=0)
            x[i] = (t >= s).float() * (0.7 + amp * torch.exp(-d / 6) * torch.cos(d / 2))
        elif k == 1:
            x[i] = 0.7 * torch.sigmoid((t - s) / 5)
        elif k == 2:
            x[i] = 0.7 + 0.08 * (torch.sin(t / 3) > 0.8).float()
        else:
            x[i] = 0.1 + 0.25 * (torch.rand(T, generator=g) < 0.05).float()
        x[i] += 0.12 * torch.randn(T, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x[:, None], y


class BelayNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv1d(1, 24, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(24, 24, 5, padding=2), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(0.4), nn.Linear(24, 4))

    def forward(self, x):
        return self.head(self.conv(x).amax(-1))

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
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


MEAN, STD = 0.55, 0.9


def build():
    torch.manual_seed(0)
    return BelayNet()


def main():
    from _hundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(768, g, flip=0.08)
    xva, yva = traces(256, g)
    xtr, xva = (xtr - MEAN) / STD, (xva - MEAN) / STD
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="belay"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="belay/version_0/checkpoints/last.ckpt",
           log="belay/version_0/metrics.csv",
           what="Lightning 1-D CNN on belay-device rope tension, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
