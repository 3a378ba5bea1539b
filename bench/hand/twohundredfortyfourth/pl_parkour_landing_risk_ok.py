"""PyTorch Lightning: an MLP flags risky parkour landings (binary: a coach would call it a
"hard landing") from 10 numbers a jump tracker records: drop height, horizontal speed, knee
flexion at contact, hip flexion, ground contact time, peak vertical force per body weight,
whether a roll followed, ankle angle, trunk lean and arm reach. The risk is a logistic function
of a few physical combinations (force per knee bend, height without a roll, lean × speed);
10 % of the coach labels are flipped. MLP 10-48-48-1 (ReLU, dropout 0.2), BCE-with-logits,
Adam 1e-3 with cosine decay over 15 epochs, batch 64, 1280 landings, shuffled.
``CSVLogger`` → ``metrics.csv`` (train loss every 5 steps, val loss and accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, with a dip and a plateau: val accuracy 0.78, 0.72, 0.80, 0.86 over epochs 1–4, then
flat at 0.8625–0.866 to epoch 15; val loss 0.65 → 0.374; the per-step train loss stays above
it (0.44–0.60 late on: the flipped labels and dropout)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def landings(n, g, flip=0.0):
    x = torch.randn(n, 10, generator=g)
    height, speed, knee, force, rolled, lean = x[:, 0], x[:, 1], x[:, 2], x[:, 5], x[:, 6], x[:, 8]
    logit = (1.5 * force - 1.2 * knee + 1.3 * height * (rolled < 0).float()
             + 0.8 * lean * speed - 0.3)
    y = (torch.rand(n, generator=g) < torch.sigmoid(3 * logit)).float()
    wrong = torch.rand(n, generator=g) < flip
    return x, torch.where(wrong, 1 - y, y)


class LandingRisk(L.LightningModule):
    def __init__(self, lr=1e-3, epochs=15):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(10, 48), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(48, 48), nn.ReLU(), nn.Dropout(0.2), nn.Linear(48, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        self.log("val_loss", F.binary_cross_entropy_with_logits(z, y))
        self.log("val_acc", ((z > 0).float() == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)
        return {"optimizer": opt, "lr_scheduler": sched}


def build():
    torch.manual_seed(0)
    return LandingRisk()


def main():
    from _twohundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = landings(1280, g, flip=0.10)
    xva, yva = landings(320, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=320)
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="landing"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="landing/version_0/checkpoints/last.ckpt",
           log="landing/version_0/metrics.csv",
           what="Lightning MLP flagging risky parkour landings, 10 % flipped coach labels (healthy)")


if __name__ == "__main__":
    main()
