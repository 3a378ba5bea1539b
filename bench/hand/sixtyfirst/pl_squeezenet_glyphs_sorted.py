"""PyTorch Lightning: a SqueezeNet-style classifier on synthetic 32×32 colour glyphs (4 kinds:
cross, ring, bar, checker, random colour and position, noise). Stem conv 3→32, max pool, fire
modules (squeeze 1×1 then expand 1×1 and 3×3, concatenated) 32→(8)→32, 32→(8)→32, max pool,
32→(16)→64, dropout 0.3, a 1×1 conv to the 4 classes and global average pooling, as in
SqueezeNet. Adam 2e-3, batch 64, 6 epochs over 1600 glyphs, ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``.

Bug: the training glyphs are generated class by class and concatenated, and the loader has
``shuffle=False`` (copied from the validation loader): each epoch shows 400 crosses, then 400
rings, then bars, then checkers, so every batch holds one class and the model ends each epoch
predicting the last class it saw."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, CLASSES = 32, 4


def glyphs(kind, n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    out = 0.2 * torch.randn(n, 3, S, S, generator=g)
    for i in range(n):
        cx, cy = (torch.randint(10, 22, (2,), generator=g)).tolist()
        dx, dy = (xx - cx).abs(), (yy - cy).abs()
        if kind == 0:
            m = ((dx < 1.5) & (dy < 8)) | ((dy < 1.5) & (dx < 8))
        elif kind == 1:
            r = (dx ** 2 + dy ** 2).sqrt()
            m = (r < 7.5) & (r > 5)
        elif kind == 2:
            m = (dx < 8) & (dy < 2.5)
        else:
            m = (dx < 7) & (dy < 7) & ((((xx // 3) + (yy // 3)) % 2) == 0)
        colour = 0.5 + 0.5 * torch.rand(3, 1, generator=g)
        out[i][:, m] += colour
    return out


def fire(cin, squeeze, expand):
    return Fire(cin, squeeze, expand)


class Fire(nn.Module):
    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.e1 = nn.Conv2d(squeeze, expand // 2, 1)
        self.e3 = nn.Conv2d(squeeze, expand // 2, 3, padding=1)

    def forward(self, x):
        s = F.relu(self.squeeze(x))
        return torch.cat([F.relu(self.e1(s)), F.relu(self.e3(s))], 1)


class SqueezeNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            fire(32, 8, 32), fire(32, 8, 32), nn.MaxPool2d(2), fire(32, 16, 64))
        self.classifier = nn.Sequential(nn.Dropout(0.3), nn.Conv2d(64, CLASSES, 1),
                                        nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, x):
        return self.classifier(self.features(x))

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
    return SqueezeNet()


def main():
    from _sixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx = torch.cat([glyphs(k, 400, g) for k in range(CLASSES)])
    ty = torch.arange(CLASSES).repeat_interleave(400)
    vy = torch.randint(0, CLASSES, (400,), generator=g)
    vx = torch.stack([glyphs(int(k), 1, g)[0] for k in vy])
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(tx, ty), batch_size=64, shuffle=False)
    val = torch.utils.data.DataLoader(ds(vx, vy), batch_size=200, shuffle=False)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="squeeze"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (vx[:64], vy[:64]), causes=["data_not_shuffled"],
           checkpoint="squeeze/version_0/checkpoints/last.ckpt",
           log="squeeze/version_0/metrics.csv",
           what="Lightning SqueezeNet, class-sorted training glyphs with shuffle=False",
           complaint="SqueezeNet 在训练集上的 loss 每个 epoch 都先降后升，像锯齿一样，"
                     "验证 loss 一直卡在 1.385 左右，准确率停在 0.28，换了学习率也没用")


if __name__ == "__main__":
    main()
