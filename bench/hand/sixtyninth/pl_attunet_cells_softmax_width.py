"""PyTorch Lightning: an Attention U-Net segmenter on synthetic 32×32 grey "microscopy"
frames with masks of 3 classes (0 background, 1 round cells, 2 elongated debris): 1–4 objects
of random size and place, brightness overlapping between the classes (the shape tells them
apart), smooth background shading and noise. The U-Net: conv blocks of 16 / 32 channels with
BatchNorm, a 64-channel bottleneck at 8×8, transposed-conv up-sampling; each skip connection
passes an additive attention gate (1×1 convs of the skip and of the decoder signal, ReLU, a
1×1 conv to one channel, sigmoid, the skip multiplied by it) before it is concatenated; a 1×1
conv to the 3 class logits. Per-pixel NLL on log-softmax, Adam 3e-3, batch 32, 6 epochs,
``CSVLogger`` → ``metrics.csv`` (train loss per step and epoch, val loss and val mIoU per
epoch), ``ModelCheckpoint(save_last=True)``.
Bug: the shared ``_loss`` takes ``F.log_softmax(logits, dim=-1)`` — over the image width —
where the class axis of the ``(B, 3, H, W)`` logits is ``dim=1``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

CLASSES = 3


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    img = 0.2 * torch.sin(xx / 9 + 6 * torch.rand(n, 1, 1, generator=g)) * torch.rand(
        n, 1, 1, generator=g)
    img = img + 0.12 * torch.randn(n, 32, 32, generator=g)
    mask = torch.zeros(n, 32, 32, dtype=torch.long)
    for i in range(n):
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            kind = 1 + int(torch.randint(0, 2, (1,), generator=g))
            cy, cx = (4 + torch.rand(2, generator=g) * 24).tolist()
            bright = 0.5 + 0.6 * float(torch.rand(1, generator=g))
            if kind == 1:
                r = 2.5 + 2.5 * float(torch.rand(1, generator=g))
                m = ((yy - cy) ** 2 + (xx - cx) ** 2) < r * r
            else:
                a = float(torch.rand(1, generator=g)) * 3.1416
                u = (xx - cx) * torch.cos(torch.tensor(a)) + (yy - cy) * torch.sin(torch.tensor(a))
                v = -(xx - cx) * torch.sin(torch.tensor(a)) + (yy - cy) * torch.cos(torch.tensor(a))
                m = (u.abs() < 6) & (v.abs() < 1.2)
            img[i][m] += bright
            mask[i][m] = kind
    return img.unsqueeze(1), mask


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class AttentionGate(nn.Module):
    def __init__(self, cx, cg, ci):
        super().__init__()
        self.wx, self.wg = nn.Conv2d(cx, ci, 1), nn.Conv2d(cg, ci, 1)
        self.psi = nn.Conv2d(ci, 1, 1)

    def forward(self, x, gate):
        return x * torch.sigmoid(self.psi(F.relu(self.wx(x) + self.wg(gate))))


class AttentionUNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.e1, self.e2, self.mid = conv_block(1, 16), conv_block(16, 32), conv_block(32, 64)
        self.up2, self.up1 = nn.ConvTranspose2d(64, 32, 2, 2), nn.ConvTranspose2d(32, 16, 2, 2)
        self.a2, self.a1 = AttentionGate(32, 32, 16), AttentionGate(16, 16, 8)
        self.d2, self.d1 = conv_block(64, 32), conv_block(32, 16)
        self.out = nn.Conv2d(16, CLASSES, 1)

    def forward(self, x):
        s1 = self.e1(x)
        s2 = self.e2(F.max_pool2d(s1, 2))
        m = self.mid(F.max_pool2d(s2, 2))
        u2 = self.up2(m)
        d2 = self.d2(torch.cat([u2, self.a2(s2, u2)], 1))
        u1 = self.up1(d2)
        d1 = self.d1(torch.cat([u1, self.a1(s1, u1)], 1))
        return self.out(d1)

    def _loss(self, logits, mask):
        return F.nll_loss(F.log_softmax(logits, dim=-1), mask)

    def training_step(self, batch, _):
        x, mask = batch
        loss = self._loss(self(x), mask)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, mask = batch
        logits = self(x)
        pred = logits.argmax(1)
        ious = [((pred == c) & (mask == c)).sum() / ((pred == c) | (mask == c)).sum().clamp(min=1)
                for c in range(CLASSES)]
        self.log("val_loss", self._loss(logits, mask))
        self.log("val_miou", torch.stack(ious).mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return AttentionUNet()


def main():
    from _sixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, mask = frames(400, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:320], mask[:320]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[320:], mask[320:]), batch_size=80)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="attunet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[320:352], mask[320:352]), causes=["softmax_wrong_dim"],
           checkpoint="attunet/version_0/checkpoints/last.ckpt",
           log="attunet/version_0/metrics.csv",
           what="Lightning Attention U-Net, log_softmax over the width axis (dim=-1)",
           complaint="The attention U-Net's loss flattens out at about 3.3 and never gets "
                     "lower; the predicted masks are blotchy and the cells and debris get "
                     "mixed up, mIoU is poor.")


if __name__ == "__main__":
    main()
