"""PyTorch Lightning: a repertory theatre forecasts the share of seats sold for a performance
(0–1) from its booking record: production genre (6: drama, comedy, musical, opera, dance,
children's) and venue (3 stages, embedded), weekday (7, embedded), and numbers — weeks since
opening, weeks to closing, ticket price (standardised), critics' score, a star-cast flag, the
share sold 4 weeks out, and whether it is a school holiday. Synthetic: a logit that adds a
genre and venue effect, a weekend lift (Fri/Sat, Sunday matinées), a launch and a closing-week
bump, a price elasticity that differs by genre, the reviews, the star and the early sales,
through a sigmoid, plus noise 0.05. An MLP on the embeddings + numbers (→ 64 → 32 → 1, ReLU,
dropout 0.25, a sigmoid output), MSE, AdamW 3e-3, weight decay 1e-3, batch 64, 15 epochs of 2400
performances, ``ReduceLROnPlateau`` on val MAE; ``CSVLogger`` → ``metrics.csv`` (train_mse per
step every 10 steps and per epoch, val_mse, val_mae), ``ModelCheckpoint(save_last=True)``.
Healthy, with a val MSE below the train MSE all along (dropout 0.25 only in training): val MSE
0.0182 after epoch 1, 0.0055 after 3, 0.0037 at the end (val MAE 0.048), against a label
variance of 0.050 and a noise floor of 0.0025; the train MSE (epoch mean) 0.038 → 0.0047."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

NUM = 7


def bookings(n, g):
    genre = torch.randint(0, 6, (n,), generator=g)
    venue = torch.randint(0, 3, (n,), generator=g)
    day = torch.randint(0, 7, (n,), generator=g)
    since = torch.rand(n, generator=g) * 12
    to_close = torch.rand(n, generator=g) * 12
    price = torch.randn(n, generator=g)
    review = torch.rand(n, generator=g) * 5
    star = (torch.rand(n, generator=g) < 0.3).float()
    early = torch.rand(n, generator=g) * 0.5
    holiday = (torch.rand(n, generator=g) < 0.15).float()
    g_eff = torch.tensor([0.0, 0.4, 0.8, -0.3, -0.5, 0.2])[genre]
    v_eff = torch.tensor([0.3, 0.0, -0.4])[venue]
    d_eff = torch.tensor([-0.6, -0.5, -0.3, -0.1, 0.5, 0.8, 0.4])[day]
    elastic = torch.tensor([-0.3, -0.4, -0.2, -0.1, -0.5, -0.6])[genre]
    logit = (g_eff + v_eff + d_eff + 0.6 * torch.exp(-since / 2) + 0.7 * torch.exp(-to_close)
             + elastic * price + 0.35 * (review - 2.5) + 0.5 * star + 3.0 * (early - 0.25)
             + 0.4 * holiday * (genre == 5).float())
    y = (torch.sigmoid(logit) + 0.05 * torch.randn(n, generator=g)).clamp(0, 1)
    num = torch.stack([since / 6 - 1, to_close / 6 - 1, price, review / 2.5 - 1, star, early * 4 - 1,
                       holiday], 1)
    return torch.stack([genre, venue, day], 1), num, y


class SeatModel(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.genre, self.venue, self.day = nn.Embedding(6, 4), nn.Embedding(3, 2), nn.Embedding(7, 3)
        self.mlp = nn.Sequential(nn.Linear(9 + NUM, 64), nn.ReLU(), nn.Dropout(0.25),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.25), nn.Linear(32, 1))

    def forward(self, cat, num):
        h = torch.cat([self.genre(cat[:, 0]), self.venue(cat[:, 1]), self.day(cat[:, 2]), num], 1)
        return torch.sigmoid(self.mlp(h)).squeeze(1)

    def training_step(self, batch, _):
        cat, num, y = batch
        loss = F.mse_loss(self(cat, num), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        cat, num, y = batch
        p = self(cat, num)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae", (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_mae"}}


def build():
    torch.manual_seed(0)
    return SeatModel()


def main():
    from _hundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cat, num, y = bookings(3000, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(cat[:2400], num[:2400], y[:2400]), batch_size=64,
                                        shuffle=True)
    val = torch.utils.data.DataLoader(ds(cat[2400:], num[2400:], y[2400:]), batch_size=600)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="seats"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics, "var(y) val", y[2400:].var().item())
    finish(out, __file__, {"inputs": cat[2400:2464], "num": num[2400:2464],
                           "targets": y[2400:2464]}, causes=[],
           checkpoint="seats/version_0/checkpoints/last.ckpt",
           log="seats/version_0/metrics.csv",
           what="Lightning MLP with embeddings, theatre seat-sales share per performance (healthy)")


if __name__ == "__main__":
    main()
