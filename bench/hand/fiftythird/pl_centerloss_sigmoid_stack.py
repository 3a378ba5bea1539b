"""PyTorch Lightning: a center-loss classifier (softmax cross-entropy plus λ · ½‖e − c_y‖² pulling
each embedding toward a learned center of its class, λ = 0.05) on synthetic clusters: 8 classes
in 40 dimensions, each class two Gaussian sub-clusters, noise σ 1.0. The embedding net is a deep
MLP, 40 → 10 × Linear(64) → 16-d embedding, Xavier-initialised, then a linear softmax head.
SGD 0.05 momentum 0.9 for the network and SGD 0.5 (no momentum) for the centers, batch 64, 10
epochs of 4000 points; ``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``.
Bug: the hidden activation was written ``nn.Sigmoid`` ("keep the embeddings bounded"); ten
stacked sigmoid layers (derivative ≤ 0.25, outputs all positive) shrink the gradient by orders
of magnitude on its way down, so the first layers hardly move and the loss sits near log 8."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

IN, CLASSES, WIDTH, DEPTH, EMB = 40, 8, 64, 10, 16
ACT = nn.Sigmoid  # the bug: nn.Tanh is the control


def clusters(n, g):
    means = torch.randn(CLASSES, 2, IN, generator=g) * 0.9
    y = torch.randint(0, CLASSES, (n,), generator=g)
    sub = torch.randint(0, 2, (n,), generator=g)
    return means[y, sub] + torch.randn(n, IN, generator=g), y


class CenterLossNet(L.LightningModule):
    def __init__(self, lam=0.05, lr=0.05, center_lr=0.5):
        super().__init__()
        self.save_hyperparameters()
        layers, width = [], IN
        for _ in range(DEPTH):
            layers += [nn.Linear(width, WIDTH), ACT()]
            width = WIDTH
        layers.append(nn.Linear(WIDTH, EMB))
        self.embed = nn.Sequential(*layers)
        for m in self.embed:
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        self.head = nn.Linear(EMB, CLASSES)
        self.centers = nn.Parameter(torch.zeros(CLASSES, EMB))

    def forward(self, x):
        return self.head(self.embed(x))

    def losses(self, x, y):
        e = self.embed(x)
        ce = nn.functional.cross_entropy(self.head(e), y)
        center = 0.5 * (e - self.centers[y]).pow(2).sum(1).mean()
        return ce, center, self.head(e)

    def training_step(self, batch, _):
        ce, center, _ = self.losses(*batch)
        self.log("train_ce", ce, on_step=True, on_epoch=True)
        self.log("train_center", center, on_step=False, on_epoch=True)
        return ce + self.hparams.lam * center

    def validation_step(self, batch, _):
        x, y = batch
        ce, center, logits = self.losses(x, y)
        self.log("val_ce", ce)
        self.log("val_center", center)
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        net = [p for n, p in self.named_parameters() if n != "centers"]
        return torch.optim.SGD([{"params": net, "lr": self.hparams.lr, "momentum": 0.9},
                                {"params": [self.centers], "lr": self.hparams.center_lr,
                                 "momentum": 0.0}])


def build():
    torch.manual_seed(0)
    return CenterLossNet()


def main():
    from _fiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clusters(5000, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:4000], y[:4000]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[4000:], y[4000:]), batch_size=1000)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="center"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[4000:4128], y[4000:4128]), causes=["vanishing_gradients"],
           checkpoint="center/version_0/checkpoints/last.ckpt",
           log="center/version_0/metrics.csv",
           what="Lightning center-loss classifier, 10-layer sigmoid MLP embedding",
           complaint="center loss model on my clustered data: after 10 epochs val accuracy is "
                     "~12% and the cross-entropy is stuck at 2.08 from the start; a plain "
                     "logistic regression does far better on this data")


if __name__ == "__main__":
    main()
