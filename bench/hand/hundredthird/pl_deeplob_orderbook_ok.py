"""PyTorch Lightning: a DeepLOB-lite (finance) predicting the mid-price move over the next 10
events (down / flat / up, split at the train set's tertiles) from the last 40 snapshots of a
synthetic 5-level limit order book (ask price, ask size, bid price, bid size per level → 20
features). The synthetic market: a latent order-flow imbalance (AR(1), φ 0.95) tilts the
queue sizes (bid sizes ∝ e^{+0.6·I}, ask sizes ∝ e^{−0.6·I}, lognormal noise) and drives the
mid-price drift (0.25·I per event + tick noise), so the book carries part of the future move
and most of it is noise. Prices are taken relative to the last mid and scaled by the tick,
sizes log-standardised. DeepLOB's shape, small: conv (1×2, stride 1×2) pairing price and size,
conv (1×2, stride 1×2) pairing ask and bid, conv (1×5) across levels, each followed by two
(4×1) temporal convs with LeakyReLU, 16 channels; an LSTM(32) over the 40 steps; dropout 0.2;
a linear head. Adam 1e-3, batch 64, 8 epochs of 2400 windows; ``CSVLogger`` → ``metrics.csv``
(train loss every 10 steps and per epoch, val loss / accuracy per epoch),
``ModelCheckpoint(save_last=True)`` with the best val loss.
Healthy, but it looks stuck: the val loss drops from 1.089 to 0.999 by the second epoch, then
sits at 0.986–1.004 for 6 epochs, val accuracy 0.30 → 0.49 → 0.50, 0.48, 0.50, 0.50, 0.49, 0.52
(chance 0.33), train loss 1.100 → 0.990, above the val loss in 6 of the 8 epochs (dropout).
That is all the book holds: the mid-price move is mostly noise, and the hand rule "bid − ask size
imbalance averaged over the last 3 snapshots, cut at its tertiles" gets 0.493 on the same
validation windows."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T, H, LEVELS = 40, 10, 5


def order_book(n, g):
    steps = T + H
    eps = torch.randn(n, steps, generator=g)
    imb = torch.zeros(n, steps)
    imb[:, 0] = eps[:, 0] * 3.2
    for t in range(1, steps):
        imb[:, t] = 0.95 * imb[:, t - 1] + eps[:, t]
    imb = imb / 3.2
    dmid = 0.25 * torch.roll(imb, 1, 1) + torch.randn(n, steps, generator=g)
    mid = torch.cumsum(dmid, 1)
    lev = torch.arange(LEVELS).float() + 0.5
    spread = 1 + (torch.rand(n, steps, 1, generator=g) < 0.3).float()
    ask_p = mid[..., None] + spread / 2 + lev - 0.5
    bid_p = mid[..., None] - spread / 2 - lev + 0.5
    base = 3.0 + 0.3 * lev
    ask_v = base + 0.6 * -imb[..., None] + 0.4 * torch.randn(n, steps, LEVELS, generator=g)
    bid_v = base + 0.6 * imb[..., None] + 0.4 * torch.randn(n, steps, LEVELS, generator=g)
    book = torch.stack([ask_p, ask_v, bid_p, bid_v], -1)  # (n, steps, level, 4)
    book = book[:, :T]
    last_mid = mid[:, T - 1]
    book[..., 0] -= last_mid[:, None, None]
    book[..., 2] -= last_mid[:, None, None]
    book[..., [1, 3]] = (book[..., [1, 3]] - 4.0) / 0.6
    book[..., [0, 2]] = book[..., [0, 2]] / 5.0
    move = mid[:, T - 1 + H] - last_mid
    return book.flatten(2)[:, None], move  # (n, 1, T, 20): [ask p, ask v, bid p, bid v] × level


def tcn(c_in, c):
    return [nn.Conv2d(c_in, c, (4, 1), padding="same"), nn.LeakyReLU(0.01),
            nn.Conv2d(c, c, (4, 1), padding="same"), nn.LeakyReLU(0.01)]


class DeepLOBLite(L.LightningModule):
    def __init__(self, lr=1e-3, channels=16, hidden=32):
        super().__init__()
        self.save_hyperparameters()
        c = channels
        self.convs = nn.Sequential(
            nn.Conv2d(1, c, (1, 2), stride=(1, 2)), nn.LeakyReLU(0.01), *tcn(c, c),
            nn.Conv2d(c, c, (1, 2), stride=(1, 2)), nn.LeakyReLU(0.01), *tcn(c, c),
            nn.Conv2d(c, c, (1, LEVELS)), nn.LeakyReLU(0.01), *tcn(c, c))
        self.lstm = nn.LSTM(c, hidden, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(hidden, 3)

    def forward(self, x):
        h = self.convs(x).squeeze(-1).transpose(1, 2)  # (B, T, C)
        out, _ = self.lstm(h)
        return self.head(self.drop(out[:, -1]))

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
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return DeepLOBLite()


def main():
    from _hundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, move = order_book(3000, g)
    lo, hi = torch.quantile(move[:2400], torch.tensor([1 / 3, 2 / 3])).tolist()
    y = (move > lo).long() + (move > hi).long()  # 0 down, 1 flat, 2 up
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:2400], y[:2400]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[2400:], y[2400:]), batch_size=200)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="deeplob"),
                        callbacks=[ModelCheckpoint(monitor="val_loss", save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[2400:2528], y[2400:2528]), causes=[],
           checkpoint="deeplob/version_0/checkpoints/last.ckpt",
           log="deeplob/version_0/metrics.csv",
           what="Lightning DeepLOB-lite, mid-price direction from a 5-level order book (healthy)")


if __name__ == "__main__":
    main()
