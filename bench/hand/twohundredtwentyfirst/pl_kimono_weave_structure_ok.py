"""PyTorch Lightning: a small CNN with BatchNorm tells a kimono-fabric archive which weave
structure a 16x16 close-up of a bolt shows: plain weave (hira-ori), 2/1 twill, 5-harness satin
(shusu) or kasuri (plain weave whose threads were resist-dyed before weaving, so the motif
edges are blurred along the warp). Each image is the interlacing pattern (warp up = bright)
with a random shift, thread-brightness jitter, a random dye tone and photo noise; kasuri adds
blurred light blocks. Conv(1,16,3)-BN-ReLU-Conv(16,32,3)-BN-ReLU-maxpool-Conv(32,32,3)-BN-ReLU-
global avg pool-Linear(32,4), cross-entropy, SGD momentum 0.9 lr 0.05 with cosine annealing from
``configure_optimizers``, batch 64, 6 epochs of 1280 close-ups, 256 validation.
``CSVLogger`` → ``weave/version_0/metrics.csv`` (train_loss every 5 steps, val_loss and val_acc
per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val loss 0.428 / accuracy 0.727 after epoch 1, 0.133 / 0.941, 0.0074 / 1.0, 0.012 /
0.996 (a small bump), 0.0050 / 1.0, 0.0044 / 1.0; the train loss (every 5 steps) 0.65 at step 4,
0.09 at 19, 0.01-0.04 from step 24 on with spikes (0.044 at step 89), 0.0046 at step 119. The
task is easy for a CNN (the weave repeat is the whole difference); it is healthy, not
suspicious: val and train end level."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 16


def weave_unit(kind):
    if kind == 0:
        return torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    if kind == 1:
        return torch.tensor([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    u = torch.zeros(5, 5)
    for r in range(5):
        u[r, (2 * r) % 5] = 1.0
    return 1 - u


def close_ups(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 1, S, S)
    for i in range(n):
        k = int(y[i])
        u = weave_unit(min(k, 2) if k < 3 else 0)
        reps = S // u.shape[0] + 2
        tile = u.repeat(reps, reps)
        dr, dc = torch.randint(0, u.shape[0], (2,), generator=g).tolist()
        img = tile[dr:dr + S, dc:dc + S].clone()
        if k == 3:
            block = torch.zeros(S, S)
            for _ in range(2):
                r0, c0 = torch.randint(0, S - 6, (2,), generator=g).tolist()
                block[r0:r0 + 6, c0:c0 + 4] = 1.0
            block = F.avg_pool2d(block[None, None], (5, 1), 1, (2, 0))[0, 0]
            img = img * 0.6 + 0.8 * block
        tone = 0.5 + torch.rand(1, generator=g)
        jitter = 1 + 0.15 * torch.randn(1, S, generator=g)
        x[i, 0] = img * tone * jitter + 0.15 * torch.randn(S, S, generator=g)
    return (x - 0.5) / 0.5, y


class WeaveCNN(L.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))

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
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)]


def build():
    torch.manual_seed(0)
    return WeaveCNN()


def main():
    from _twohundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = close_ups(1536, g)
    print("class counts", torch.bincount(y).tolist())
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1280], y[:1280]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1280:], y[1280:]), batch_size=256)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="weave"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1280:1344], y[1280:1344]), causes=[],
           checkpoint="weave/version_0/checkpoints/last.ckpt",
           log="weave/version_0/metrics.csv",
           what="Lightning CNN with BatchNorm classifying kimono weave structure (plain, twill,"
                " satin, kasuri) from 16x16 close-ups (healthy)")


if __name__ == "__main__":
    main()
