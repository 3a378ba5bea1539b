"""Lightning: chatbot intent detection (6 intents, utterances of 8-24 tokens) with an
embedding + bidirectional LSTM + linear head. The author read "use dropout against
over-fitting" and put ``nn.Dropout(0.8)`` on the embeddings and again on the LSTM output
(bug: 80 % of the input words are dropped in every step, and 80 % of the features after;
train acc 0.19 and val acc 0.30 after 8 epochs, where p=0.1 gives 0.99 / 0.98).
Adam 2e-3, CSVLogger + ModelCheckpoint."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

VOCAB, MAXLEN, INTENTS = 500, 24, 6


def utterances(n, g):
    y = torch.randint(0, INTENTS, (n,), generator=g)
    ids = torch.zeros(n, MAXLEN, dtype=torch.long)
    for i in range(n):
        length = int(torch.randint(8, MAXLEN, (1,), generator=g))
        words = torch.randint(100, VOCAB, (length,), generator=g)
        k = int(torch.randint(1, 3, (1,), generator=g))
        where = torch.randperm(length, generator=g)[:k]
        words[where] = 1 + 15 * int(y[i]) + torch.randint(0, 15, (k,), generator=g)
        ids[i, :length] = words
    return ids, y


class IntentLSTM(L.LightningModule):
    def __init__(self, dim=64, p=0.8, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=0)
        self.drop = nn.Dropout(p)  # BUG: 0.8 on the words and again on the features
        self.lstm = nn.LSTM(dim, dim, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * dim, INTENTS)

    def forward(self, ids):
        h, _ = self.lstm(self.drop(self.emb(ids)))
        return self.fc(self.drop(h.max(1).values))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return IntentLSTM()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = utterances(2000, g), utterances(400, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="intents"),
                        log_every_n_steps=10, callbacks=[ModelCheckpoint(save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=["over_regularization"],
           checkpoint="intents/version_0/checkpoints/last.ckpt",
           log="intents/version_0/metrics.csv",
           what="nn.Dropout(0.8) on the word embeddings and on the LSTM features",
           complaint="intent model: train accuracy is lower than val and both stay low")


if __name__ == "__main__":
    main()
