"""PyTorch Lightning: a 1-D CNN reads the paddle-raise trace of an online auction lot — 48
one-minute slots of 3 channels (new bids, distinct bidders, watchers joining) in the last
48 minutes before close — and predicts whether the lot sells (binary head, one logit). A lot
sells when a late surge of distinct bidders happens (a bump in the last 10–20 minutes) or the
watch list keeps growing; quiet lots and lots with only an early flurry go unsold. Lots are
drawn so both outcomes occur, plus 4 % mislabelled lots (bids withdrawn after close).
Conv1d(3→16,5)-ReLU, Conv1d(16→32,5,stride 2)-ReLU, Conv1d(32→32,3)-ReLU, global max + mean,
Linear(64→1), ``BCEWithLogitsLoss``; AdamW 3e-3 from ``configure_optimizers``, batch 32,
8 epochs of 1024 lots, shuffled. ``CSVLogger`` → ``metrics.csv`` (train loss every 4 steps,
val loss and accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
61 % of the lots sell (64 % of the 256 validation lots).
Healthy, and fast: val accuracy 0.88 after epoch 1, then 0.89, 0.87, 0.89, 0.89, 0.87, 0.89,
0.89 (a plateau set by the 4 % flipped lots and lots with an ambiguous late bump); val loss
0.354 → 0.32–0.35; the train loss every 4 steps is noisy (0.15–0.54 in the last epoch)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 48


def traces(n, g):
    t = torch.arange(T).float()
    base = 0.2 + 0.6 * torch.rand(n, 1, generator=g)
    surge_at = 28 + 14 * torch.rand(n, 1, generator=g)
    surge = (torch.rand(n, 1, generator=g) < 0.45).float()
    early = (torch.rand(n, 1, generator=g) < 0.5).float()
    grow = torch.rand(n, 1, generator=g) < 0.3
    bump = surge * 2.0 * torch.exp(-((t - surge_at) ** 2) / 18)
    flurry = early * 2.0 * torch.exp(-((t - 8) ** 2) / 18)
    watch = base * 0.3 + torch.where(grow, 0.04 * t, 0.01 * t)
    bids = torch.poisson((base + bump + flurry).clamp(min=0), generator=g)
    bidders = torch.poisson((0.6 * base + bump * 0.8 + flurry * 0.3).clamp(min=0), generator=g)
    watchers = torch.poisson(watch.clamp(min=0), generator=g)
    y = ((surge > 0) | grow).float().squeeze(1)
    flip = torch.rand(n, generator=g) < 0.04
    y = torch.where(flip, 1 - y, y)
    x = torch.stack([bids, bidders, watchers], 1)
    return (x - 0.8) / 1.0, y


class PaddleCNN(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        f = self.conv(x)
        return self.out(torch.cat([f.amax(2), f.mean(2)], 1)).squeeze(1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logit = self(x)
        self.log("val_loss", F.binary_cross_entropy_with_logits(logit, y))
        self.log("val_acc", ((logit > 0).float() == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)


def build():
    torch.manual_seed(0)
    return PaddleCNN()


def main():
    from _hundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = traces(1280, g)
    print("sold share", y.mean().item())
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="paddle_lots"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="paddle_lots/version_0/checkpoints/last.ckpt",
           log="paddle_lots/version_0/metrics.csv",
           what="Lightning 1-D CNN predicting whether an online auction lot sells (healthy)")


if __name__ == "__main__":
    main()
