"""PyTorch Lightning: classifying what an aircraft is doing from an approach radar's track, for
an arrival-manager's sequence display: synthetic 48-update segments (one update per 4 s,
~3 min) of the track as per-update displacement (dx, dy in NM), altitude change (100 ft) and
ground speed (100 kt), with radar noise. Five manoeuvres: straight (a slowly drifting heading),
holding pattern (a racetrack: 1-min legs joined by rate-one 180° turns), radar vectors (2–3
heading changes of 20–90° at random times), a 360° orbit for spacing, and a continuous
descent on a straight track. A 1-D CNN (3 conv layers, global average + max pool, an MLP with
dropout 0.1), ``save_hyperparameters()``, Adam from ``configure_optimizers``, batch 64, 10
epochs of 2000 segments; ``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps and per
epoch, val loss and val accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Bug: ``weight_decay=3e-2`` in the hyperparameters (meant 3e-4; Adam's L2 form adds 0.03 · w to
every gradient, and Adam's normalisation makes that pull as strong as the loss's own), so the
weights are held near zero: train and val loss both stay high and close together (underfit).
Val loss 1.56 → 0.69, val accuracy 0.28 → 0.70 (0.63–0.69 over the last 4 epochs), train loss
(per epoch) 1.60 → 0.67 after 10 epochs, no track ever called a hold (all 105 validation holds
come out as orbits); the control (3e-4) reaches val accuracy 0.88 at epoch
4 and 0.95 at the end, val loss 0.15, train loss 0.17. (0.1 and 0.3 were tried first: the model
collapsed to the class prior, loss ln 5 = 1.609 from epoch 1, val accuracy 0.19.)"""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 48
MANOEUVRES = ["straight", "holding", "vectors", "orbit", "descent"]


def tracks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 5, (n,), generator=g)
    dt = 4 / 3600  # h
    rate = 3 * dt * 3600 * 3.14159 / 180  # rate-one turn, rad per update
    hdg = torch.zeros(n, T)
    h0 = r(n) * 6.283
    speed = 1.8 + 1.2 * r(n)
    climb = torch.zeros(n, T)
    for i in range(n):
        k = int(y[i])
        h = float(h0[i])
        if k == 0:
            turn = (torch.randn(T, generator=g) * 0.01).cumsum(0) * 0.1
        elif k == 1:
            leg, phase = 15, int(torch.randint(0, 30, (1,), generator=g))
            turn = torch.tensor([rate if (j + phase) % (2 * leg) >= leg else 0.0 for j in range(T)])
            turn = turn * (1 if r(1) < 0.5 else -1)
        elif k == 2:
            turn = torch.zeros(T)
            for _ in range(int(torch.randint(2, 4, (1,), generator=g))):
                at = int(torch.randint(2, T - 8, (1,), generator=g))
                delta = (0.35 + 1.2 * float(r(1))) * (1 if r(1) < 0.5 else -1)
                steps = max(1, int(abs(delta) / rate))
                turn[at:at + steps] += delta / steps
        elif k == 3:
            turn = torch.zeros(T)
            at = int(torch.randint(0, 16, (1,), generator=g))
            turn[at:at + int(6.283 / rate)] = rate * (1 if r(1) < 0.5 else -1)
        else:
            turn = (torch.randn(T, generator=g) * 0.01).cumsum(0) * 0.1
            climb[i] = -(5 + 5 * float(r(1))) * dt * 60 * 60 / 60  # ~ -1000 to -2000 fpm
        hdg[i] = h + turn.cumsum(0)
    gs = speed[:, None] * (1 + 0.02 * torch.randn(n, T, generator=g))
    dx = gs * dt * 100 * torch.sin(hdg) + 0.02 * torch.randn(n, T, generator=g)
    dy = gs * dt * 100 * torch.cos(hdg) + 0.02 * torch.randn(n, T, generator=g)
    dz = climb + 0.3 * torch.randn(n, T, generator=g)
    return torch.stack([dx * 4, dy * 4, dz, gs - 2.4], 1), y


class TrackCNN(L.LightningModule):
    def __init__(self, lr=2e-3, weight_decay=3e-2):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 64, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(64, 64, 5, padding=2), nn.ReLU())
        self.mlp = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 5))

    def forward(self, x):
        h = self.conv(x)
        return self.mlp(torch.cat([h.mean(-1), h.amax(-1)], 1))

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
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr,
                                weight_decay=self.hparams.weight_decay)


def build():
    torch.manual_seed(0)
    return TrackCNN()


def main():
    from _hundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tracks(2500, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:2000], y[:2000]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[2000:], y[2000:]), batch_size=500)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="tracks"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[2000:2064], y[2000:2064]), causes=["over_regularization"],
           checkpoint="tracks/version_0/checkpoints/last.ckpt",
           log="tracks/version_0/metrics.csv",
           what="Lightning radar-track manoeuvre CNN, Adam weight_decay=3e-2 (meant 3e-4)",
           complaint="The track classifier for the AMAN display plateaus way too early: after 10 "
                     "epochs training loss is 0.67 and validation loss 0.69, almost identical, "
                     "and validation accuracy bounces around 0.63–0.70. It isn't overfitting — "
                     "it can't even fit the training set. On the validation set it never predicts "
                     "'holding' at all (all 105 holds come out as 'orbit') and a third of the "
                     "vectored tracks are called orbits too.")


if __name__ == "__main__":
    main()
