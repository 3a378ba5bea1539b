"""PyTorch Lightning: a kilt weaver's catalogue names the tartan (five setts: Black Watch,
Royal Stewart, Dress Gordon, Hunting Fraser, MacLeod) from a 24x24 three-colour photo of the
cloth. A sett is a stripe plan (widths in threads, colours) woven the same in warp and weft,
so the swatch is the 2/2 twill interleave of a row stripe and a column stripe; photos are
cropped at a random offset of the repeat, scaled ×0.85-1.15, lit ×0.7-1.3, with dye noise
0.25. CNN conv(3→16)-BN-ReLU-pool, conv(16→32)-BN-ReLU-pool, conv(32→32)-BN-ReLU, global
average pool, linear → 5; cross-entropy, AdamW 1e-3 weight decay 1e-4 from
``configure_optimizers``, batch 64, 6 epochs of 1280 swatches, 256 validation swatches.
``CSVLogger`` → ``tartan/version_0/metrics.csv`` (train_loss every 5 steps, val_loss and
val_acc per epoch), ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy: val loss 0.944 (epoch 1), 0.645, 0.376, ... 0.150 (epoch 6), below the train loss
(0.18 at the end: the training batches run BN in batch mode); val accuracy 0.898 at epoch 1,
1.000 from epoch 2 on (the setts are distinct once seen: it is an easy task, learnt fast)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

SETTS = ["black_watch", "royal_stewart", "dress_gordon", "hunting_fraser", "macleod"]
# thread-count stripe plan of each sett (widths of its stripes in threads, repeated)
PLAN = {0: [8, 2, 8, 6], 1: [4, 4, 2, 10], 2: [12, 2, 2, 4], 3: [6, 6, 6, 2], 4: [10, 10, 2, 2]}
COLOURS = {0: [0, 1, 0, 2], 1: [0, 2, 1, 0], 2: [1, 2, 0, 1], 3: [2, 0, 1, 0], 4: [1, 0, 2, 1]}


def swatches(n, g):
    """24x24 three-colour photos of kilt cloth: a sett is a stripe plan woven the same in warp
    and weft, so the swatch is the 2/2 twill mix of a row stripe and a column stripe. Photos
    are cropped at a random offset, slightly off in scale, with lighting and dye noise."""
    y = torch.randint(0, 5, (n,), generator=g)
    x = torch.zeros(n, 3, 24, 24)
    idx = torch.arange(24)
    for i in range(n):
        k = int(y[i])
        scale = 0.85 + 0.3 * float(torch.rand(1, generator=g))
        stripes = []
        for w, c in zip(PLAN[k], COLOURS[k], strict=True):
            stripes += [c] * max(1, round(w * scale))
        off = int(torch.randint(0, len(stripes), (1,), generator=g))
        line = torch.tensor([stripes[(off + j) % len(stripes)] for j in idx.tolist()])
        warp = F.one_hot(line, 3).T.float()
        twill = ((idx.view(-1, 1) + idx.view(1, -1)) // 2 % 2).float()
        x[i] = warp.unsqueeze(1) * twill + warp.unsqueeze(2) * (1 - twill)
    x = x * (0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g))
    x = x + 0.25 * torch.randn(n, 3, 24, 24, generator=g)
    return (x - 0.33) / 0.5, y


class TartanCNN(L.LightningModule):
    def __init__(self, lr=1e-3, wd=1e-4):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, x):
        return self.net(x)

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
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr,
                                 weight_decay=self.hparams.wd)


def build():
    torch.manual_seed(0)
    return TartanCNN()


def main():
    from _twohundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    L.seed_everything(0, verbose=False)
    g = torch.Generator().manual_seed(0)
    x, y = swatches(1280 + 256, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1280], y[:1280]), batch_size=64, shuffle=True,
                                        generator=torch.Generator().manual_seed(1))
    val = torch.utils.data.DataLoader(ds(x[1280:], y[1280:]), batch_size=128)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="tartan"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1280:1344], y[1280:1344]), causes=[],
           checkpoint="tartan/version_0/checkpoints/last.ckpt",
           log="tartan/version_0/metrics.csv",
           what="Lightning BN CNN naming a kilt's tartan sett from a twill swatch photo (healthy)")


if __name__ == "__main__":
    main()
