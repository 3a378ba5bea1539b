"""Lightning: an FT-Transformer (feature tokenizer + transformer encoder + [CLS] head) predicts
the compressive strength of concrete mixes from 8 standardised ingredients / age columns
(cement, slag, ash, water, plasticiser, coarse, fine, age): the strength is a smooth nonlinear
function of water/cement ratio, log age and two interactions plus noise, target standardised.
Each feature becomes a 32-d token (per-feature weight and bias), 2 encoder layers with 4 heads
(pre-norm), MSE; AdamW 1e-3 with an ``ExponentialLR`` stepped per epoch, batch 64, 20 epochs,
2400 / 600 mixes, ``CSVLogger`` + ``LearningRateMonitor`` + ``ModelCheckpoint(save_last=True)``.
Bug: ``gamma=0.3`` (the author meant 0.93 per epoch): the lr is 9e-5 at epoch 2, 2.2e-7 at
epoch 7 and 1.2e-13 at the end (``lr-AdamW`` in metrics.csv), so learning stops after three
epochs: train loss 0.69 -> 0.45 at epoch 2, then 0.43-0.45 to the end; val RMSE
(standardised target) 0.710 -> 0.677 at epoch 3, then 0.675 from epoch 5 to 19. Control
with ``gamma=0.93``: train loss 0.15, val RMSE 0.354 at the end, still falling slowly."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FEATURES, D = 8, 32
GAMMA = 0.3


def mixes(n, g):
    x = torch.randn(n, FEATURES, generator=g)
    wc = torch.sigmoid(x[:, 3] - x[:, 0])  # water / cement
    age = torch.log1p(torch.exp(x[:, 7]))
    y = (2.0 * (1 - wc) ** 2 + 1.2 * torch.tanh(age) + 0.6 * x[:, 1] * x[:, 4]
         - 0.5 * torch.relu(x[:, 2]) * wc + 0.3 * torch.sin(2 * x[:, 5]) + 0.25 * x[:, 6]
         + 0.25 * torch.randn(n, generator=g))
    return x, (y - y.mean()) / y.std()


class FTTransformer(L.LightningModule):
    def __init__(self, lr=1e-3, gamma=GAMMA):
        super().__init__()
        self.save_hyperparameters()
        self.weight = nn.Parameter(torch.randn(FEATURES, D) / D ** 0.5)
        self.bias = nn.Parameter(torch.zeros(FEATURES, D))
        self.cls = nn.Parameter(torch.randn(1, 1, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, 4, 64, dropout=0.1, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.LayerNorm(D), nn.ReLU(), nn.Linear(D, 1))

    def forward(self, x):
        tokens = x[:, :, None] * self.weight + self.bias
        tokens = torch.cat([self.cls.expand(len(x), -1, -1), tokens], 1)
        return self.head(self.encoder(tokens)[:, 0]).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        mse = F.mse_loss(self(x), y)
        self.log("val_loss", mse)
        self.log("val_rmse", mse.sqrt())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=self.hparams.gamma)
        return [opt], [sched]


def build():
    torch.manual_seed(0)
    return FTTransformer()


def main():
    from _fifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = mixes(3000, g)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(x[:2400], y[:2400]), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(x[2400:], y[2400:]), batch_size=600)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="ftt"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor(logging_interval="epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[2400:2528], y[2400:2528]), causes=["lr_decay_too_fast"],
           checkpoint="ftt/version_0/checkpoints/last.ckpt",
           log="ftt/version_0/metrics.csv",
           what="Lightning FT-Transformer, ExponentialLR(gamma=0.3) per epoch (meant 0.93)",
           complaint="FT-Transformer 回归混凝土强度：前两三个 epoch 还在下降，之后训练和验证损失"
                     "都完全不动了，验证 RMSE 停在 0.675")


if __name__ == "__main__":
    main()
