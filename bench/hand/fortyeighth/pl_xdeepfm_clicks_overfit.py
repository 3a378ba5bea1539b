"""PyTorch Lightning: xDeepFM (a compressed interaction network beside a deep tower and a
linear part) predicting ad clicks from 8 synthetic categorical fields (cardinalities 10–60;
the click probability comes from field effects and two pairwise interactions, CTR about 0.3).
Embedding 32, CIN layers [128, 128], DNN [400, 400], BCE on the logit, Adam 1e-3, batch 32,
``CSVLogger`` → ``metrics.csv`` (train_loss per epoch, val_loss, val_auc),
``ModelCheckpoint(save_last=True)``.
Bug: the pilot campaign's log has only 300 labelled impressions and the full-size model is
trained on them for 60 epochs with no dropout, no weight decay and no early stopping."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

CARD = [10, 20, 30, 40, 50, 60, 15, 25]
FIELDS, EMB, N_TRAIN, EPOCHS = len(CARD), 32, 300, 60


def impressions(n, g):
    x = torch.stack([torch.randint(0, c, (n,), generator=g) for c in CARD], 1)
    effects = [torch.randn(c, generator=g) * 0.8 for c in CARD]
    inter1 = torch.randn(CARD[0], CARD[1], generator=g)
    inter2 = torch.randn(CARD[2], CARD[6], generator=g)
    logit = -1.0 + sum(effects[f][x[:, f]] for f in range(FIELDS))
    logit = logit + inter1[x[:, 0], x[:, 1]] + inter2[x[:, 2], x[:, 6]]
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    return x, y


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score).scatter_(0, order, torch.arange(1, len(score) + 1.0))
    pos = y.sum()
    return ((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


class XDeepFM(L.LightningModule):
    def __init__(self, cin=(128, 128), dnn=(400, 400), lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.offsets = torch.tensor([0] + CARD[:-1]).cumsum(0)
        self.emb = nn.Embedding(sum(CARD), EMB)
        self.linear = nn.Embedding(sum(CARD), 1)
        self.cin = nn.ModuleList()
        prev = FIELDS
        for h in cin:
            self.cin.append(nn.Conv1d(prev * FIELDS, h, 1))
            prev = h
        layers, d = [], FIELDS * EMB
        for h in dnn:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        self.dnn = nn.Sequential(*layers, nn.Linear(d, 1))
        self.cin_out = nn.Linear(sum(cin), 1)

    def forward(self, x):
        idx = x + self.offsets
        e = self.emb(idx)
        x0, xk, pooled = e, e, []
        for conv in self.cin:
            z = torch.einsum("bhd,bmd->bhmd", xk, x0).reshape(len(x), -1, EMB)
            xk = torch.relu(conv(z))
            pooled.append(xk.sum(-1))
        out = self.linear(idx).sum(1) + self.cin_out(torch.cat(pooled, 1))
        return (out + self.dnn(e.flatten(1))).squeeze(1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        self.log("val_loss", nn.functional.binary_cross_entropy_with_logits(z, y))
        self.log("val_auc", auc(z, y))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return XDeepFM()


def main():
    from _fortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = impressions(N_TRAIN + 2000, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:N_TRAIN], y[:N_TRAIN]), batch_size=32,
                                        shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[-2000:], y[-2000:]), batch_size=2000)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="ctr"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    model = build()
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[-256:], y[-256:]), causes=["overfitting"],
           checkpoint="ctr/version_0/checkpoints/last.ckpt", log="ctr/version_0/metrics.csv",
           what="Lightning xDeepFM on 300 pilot impressions, 60 epochs, no regularisation",
           complaint="the xDeepFM click model looks great on training (loss almost zero) but "
                     "the validation loss gets worse every epoch after the first few and the "
                     "AUC is mediocre")


if __name__ == "__main__":
    main()
