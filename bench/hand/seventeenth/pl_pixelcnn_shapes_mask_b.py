"""PyTorch Lightning: the PixelCNN of ``pixelcnn_shapes_ok`` (12x12 binary shapes, 1 % salt
noise; masked convolutions, a 1x1 head, one logit per pixel into ``BCEWithLogitsLoss``)
moved into a ``LightningModule``. The author rewrote the masked convolution as a small
function of the mask type and built every layer with type "B" (the centre tap kept), the
first one included. Adam 1e-3, batch 64, 10 epochs over 2000 images, ``CSVLogger``
(``metrics.csv``: ``train_nll`` per step and per epoch, ``val_nll``) and
``ModelCheckpoint(save_last=True)``.
Bug: the first layer's mask lets each output see the very pixel it predicts, so the model
copies its input: val NLL 0.42, 0.26, 0.061, 0.0026 over epochs 0-3 and 0.0002 at the end
(train the same), far below what the 1 % salt noise alone costs (0.056); sampling pixel by
pixel gives noise.
Control (first mask "A", the plain-torch ``pixelcnn_shapes_ok``): val NLL 0.455 -> 0.144."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SIZE = 12


def shapes(n, g):
    img = torch.zeros(n, 1, SIZE, SIZE)
    kinds = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        h, w = (int(v) for v in torch.randint(4, 10, (2,), generator=g))
        r, c = int(torch.randint(0, SIZE - h + 1, (1,), generator=g)), int(
            torch.randint(0, SIZE - w + 1, (1,), generator=g))
        k = int(kinds[i])
        if k == 0:
            img[i, 0, r:r + h, c:c + w] = 1
        elif k == 1:
            img[i, 0, r:r + h, c:c + w] = 1
            img[i, 0, r + 1:r + h - 1, c + 1:c + w - 1] = 0
        elif k == 2:
            img[i, 0, r + h // 2, c:c + w] = 1
            img[i, 0, r:r + h, c + w // 2] = 1
        else:
            m = min(h, w)
            img[i, 0, torch.arange(m) + r, torch.arange(m) + c] = 1
    salt = torch.rand(img.shape, generator=g) < 0.01
    return torch.where(salt, 1 - img, img)


def causal_mask(k, centre=True):
    mask = torch.ones(k, k)
    mask[k // 2, k // 2 + int(centre):] = 0
    mask[k // 2 + 1:] = 0
    return mask


class MaskedConv(nn.Conv2d):
    def __init__(self, cin, cout, k):
        super().__init__(cin, cout, k, padding=k // 2)
        self.register_buffer("mask", causal_mask(k)[None, None])

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class LitPixelCNN(L.LightningModule):
    def __init__(self, ch=32, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            MaskedConv(1, ch, 5), nn.ReLU(),
            MaskedConv(ch, ch, 3), nn.ReLU(),
            MaskedConv(ch, ch, 3), nn.ReLU(),
            MaskedConv(ch, ch, 3), nn.ReLU(),
            nn.Conv2d(ch, 1, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        (x,) = batch
        loss = F.binary_cross_entropy_with_logits(self(x), x)
        self.log("train_nll", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        (x,) = batch
        self.log("val_nll", F.binary_cross_entropy_with_logits(self(x), x))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return LitPixelCNN()


def main():
    from _seventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = shapes(2400, g)
    tx, vx = x[:2000], x[2000:]
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(tx), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(vx), batch_size=400)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="pixelcnn"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, train, val)
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:64], vx[:64]),
           causes=["task_trivial_or_leak"],
           checkpoint="pixelcnn/version_0/checkpoints/last.ckpt",
           log="pixelcnn/version_0/metrics.csv",
           what="Lightning PixelCNN, first masked conv of type B: each pixel sees itself",
           complaint="my PixelCNN reaches a NLL of 0.0002 nats per pixel on train and val "
                     "within a few epochs, but the images I sample pixel by pixel are pure "
                     "noise")


if __name__ == "__main__":
    main()
