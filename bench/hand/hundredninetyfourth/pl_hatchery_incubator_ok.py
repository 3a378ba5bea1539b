"""PyTorch Lightning: a 1-D CNN with batch norm reads 96 readings (every 15 min over a day) of
an egg-incubator tray in a trout hatchery — water temperature, dissolved oxygen and flow — and
says how the tray is doing: stable, a slow thermal drift (heater failing) or oxygen dips
(a blocked inflow, with the flow dropping at the same time). Drifts and dips start at a random
time and have random depth; day/night swings and sensor noise are on top.
Conv1d(3→16,5)-BN-ReLU-pool, Conv1d(16→32,5)-BN-ReLU-pool, Conv1d(32→32,3)-BN-ReLU, global
average + max pool, Linear(64→3); SGD momentum 0.9, lr 0.02, weight decay 1e-4, batch 32,
8 epochs of 768 trays, shuffled. ``CSVLogger`` → ``metrics.csv`` (train loss every 6 steps, val
loss and accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy 0.76, 0.82, 0.92, 0.90, 0.89, 0.89, 0.85, 0.91 over the 8 epochs, val
loss 0.52 → 0.25–0.26 (epochs 3–6), with bumps to 0.41 and 0.32 at epochs 7–8 (SGD with
momentum on small batches; the per-step train loss is noisy, 0.2 at the end)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 96


def trays(n, g):
    t = torch.arange(T).float()
    y = torch.randint(0, 3, (n,), generator=g)
    day = torch.sin(2 * torch.pi * t / T)
    temp = 8 + 0.3 * day + 0.15 * torch.randn(n, T, generator=g)
    temp += 0.02 * torch.randn(n, T, generator=g).cumsum(1)
    oxy = 10 - 0.2 * day + 0.25 * torch.randn(n, T, generator=g)
    flow = 1 + 0.1 * torch.randn(n, T, generator=g)
    start = torch.randint(10, 70, (n,), generator=g)
    depth = 0.2 + 0.6 * torch.rand(n, generator=g)
    for i in range(n):
        s = int(start[i])
        if y[i] == 1:
            temp[i, s:] += depth[i] * torch.linspace(0, 1.2, T - s)
        elif y[i] == 2:
            w = int(torch.randint(6, 16, (1,), generator=g))
            oxy[i, s:s + w] -= 1.5 * depth[i]
            flow[i, s:s + w] -= 0.15 * depth[i]
    x = torch.stack([(temp - 8) / 0.5, (oxy - 10) / 0.8, (flow - 1) / 0.1], 1)
    return x, y


class TrayNet(L.LightningModule):
    def __init__(self, lr=0.02):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        f = self.features(x)
        return self.head(torch.cat([f.mean(2), f.amax(2)], 1))

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
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9,
                               weight_decay=1e-4)


def build():
    torch.manual_seed(0)
    return TrayNet()


def main():
    from _hundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = trays(1024, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:768], y[:768]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[768:], y[768:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="incubator"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[768:832], y[768:832]), causes=[],
           checkpoint="incubator/version_0/checkpoints/last.ckpt",
           log="incubator/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging hatchery incubator trays (healthy)")


if __name__ == "__main__":
    main()
