"""PyTorch Lightning: an NFNet-lite (normalizer-free) classifier on synthetic 32×32 RGB textures in
4 classes (horizontal stripes, vertical stripes, diagonal stripes, checkerboard), random period
6–10 px, phase, colours and contrast, pixel noise 0.2; 5 % of the training labels are wrong. No
batch norm: weight-standardised convolutions (zero mean, unit fan-in variance, a learnt gain), a
stem conv 16 (stride 2), then 2 stages of one normalizer-free residual block each (h = x + α·f(x
/ β), α 0.2, β the expected std of the stream, a learnt gain (init 1) on the residual branch,
scaled ReLU γ ≈ 1.71), the second stage with stride 2 and 32 channels, global average pooling,
dropout 0.2, a linear head. SGD with Nesterov momentum 0.9, lr 0.1 with a per-epoch cosine
decay, adaptive gradient clipping (unit-wise ‖g‖/‖w‖ ≤ 0.08, not on the head) in
``on_before_optimizer_step``, batch 32, 6 epochs; ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy: val accuracy 0.93 (0.90 the epoch before, the
cosine decay ends there), the train loss 0.50 above the val loss 0.31 (the wrong labels and the
dropout only act in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

GAMMA = 1.7139  # relu gain: keeps the variance of relu(N(0,1)) at 1


def textures(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    period = 6 + 4 * torch.rand(n, 1, 1, generator=g)
    phase = torch.rand(n, 1, 1, generator=g) * 6.28
    w = 6.28 / period
    waves = torch.stack([torch.sin(w * yy + phase), torch.sin(w * xx + phase),
                         torch.sin(w * (xx + yy) / 1.41 + phase),
                         torch.sin(w * xx + phase) * torch.sin(w * yy + phase) * 2])
    pattern = waves[y, torch.arange(n)].clamp(-1, 1)
    c1, c2 = torch.rand(n, 3, 1, 1, generator=g), torch.rand(n, 3, 1, 1, generator=g)
    contrast = 0.5 + 0.5 * torch.rand(n, 1, 1, 1, generator=g)
    img = c1 + (c2 - c1) * contrast * (pattern[:, None] + 1) / 2
    img = img + 0.2 * torch.randn(n, 3, 32, 32, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (img - 0.5) / 0.35, y


class WSConv2d(nn.Conv2d):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.gain = nn.Parameter(torch.ones(self.out_channels, 1, 1, 1))

    def forward(self, x):
        w = self.weight
        fan_in = w[0].numel()
        w = (w - w.mean((1, 2, 3), keepdim=True)) / (w.var((1, 2, 3), keepdim=True) * fan_in
                                                     + 1e-4).sqrt()
        return F.conv2d(x, w * self.gain, self.bias, self.stride, self.padding)


class NFBlock(nn.Module):
    def __init__(self, cin, cout, stride, beta, alpha=0.2):
        super().__init__()
        self.beta, self.alpha = beta, alpha
        self.conv1 = WSConv2d(cin, cout, 3, stride, 1)
        self.conv2 = WSConv2d(cout, cout, 3, 1, 1)
        self.skip = WSConv2d(cin, cout, 1, stride) if (cin != cout or stride > 1) else None
        self.skip_gain = nn.Parameter(torch.ones(()))

    def forward(self, x):
        out = F.relu(x / self.beta) * GAMMA
        shortcut = self.skip(out) if self.skip is not None else x
        out = self.conv2(F.relu(self.conv1(out)) * GAMMA)
        return shortcut + self.alpha * self.skip_gain * out


class NFNetLite(L.LightningModule):
    def __init__(self, lr=0.1, clip=0.08):
        super().__init__()
        self.save_hyperparameters()
        self.stem = WSConv2d(3, 16, 3, 2, 1)
        self.block1 = NFBlock(16, 16, 1, beta=1.0)
        self.block2 = NFBlock(16, 32, 2, beta=(1 + 0.2 ** 2) ** 0.5)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(32, 4)
        nn.init.normal_(self.head.weight, std=0.01)

    def forward(self, x):
        h = self.block2(self.block1(self.stem(x)))
        return self.head(self.drop(F.relu(h).mean((2, 3)) * GAMMA))

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

    def on_before_optimizer_step(self, optimizer):
        for name, p in self.named_parameters():  # adaptive gradient clipping, unit-wise
            if p.grad is None or name.startswith("head") or p.ndim < 2:
                continue
            dims = tuple(range(1, p.ndim))
            wn = p.detach().pow(2).sum(dims, keepdim=True).sqrt().clamp(min=1e-3)
            gn = p.grad.pow(2).sum(dims, keepdim=True).sqrt().clamp(min=1e-6)
            p.grad.mul_(torch.where(gn > self.hparams.clip * wn, self.hparams.clip * wn / gn, 1.0))

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9,
                              nesterov=True)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)]


def build():
    torch.manual_seed(0)
    return NFNetLite()


def main():
    from _seventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = textures(1280, g, noise_labels=0.05)
    xva, yva = textures(320, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=320)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="nfnet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="nfnet/version_0/checkpoints/last.ckpt", log="nfnet/version_0/metrics.csv",
           what="Lightning NFNet-lite (scaled WS, skip-init, AGC) on textures, 5 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
