"""Lightning: which product reviews need a follow-up from support (a review needs one when it
mentions one of 16 problem words among 170 ordinary ones; 12-30 words), a 2-layer
bidirectional LSTM (embedding 64, hidden 96, 0.38 M parameters) + MLP head, Adam 2e-3, batch
16, 30 epochs, no dropout, no weight decay, no early stopping; CSVLogger +
ModelCheckpoint(save_last). Bug: over-fitting -- only 64 labelled reviews: train accuracy is
1.0 from epoch 5 and the train loss reaches ~0, while val loss rises from 0.69 to 3.3 and val
accuracy stays at ~0.53; the last checkpoint is the one kept."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, TensorDataset

VOCAB, MAXLEN, PAD = 200, 30, 0
PROBLEM = torch.arange(10, 26)  # "broken", "refund", "late", "missing", ...


def reviews(n, g, flip=0.0):
    lengths = torch.randint(12, MAXLEN + 1, (n,), generator=g)
    words = torch.randint(30, VOCAB, (n, MAXLEN), generator=g)
    y = (torch.rand(n, generator=g) < 0.5).long()
    k = torch.randint(1, 4, (n,), generator=g)
    for i in torch.nonzero(y).flatten().tolist():
        where = torch.randperm(int(lengths[i]), generator=g)[:int(k[i])]
        words[i, where] = PROBLEM[torch.randint(0, len(PROBLEM), (len(where),), generator=g)]
    noisy = torch.rand(n, generator=g) < flip
    y = torch.where(noisy, 1 - y, y)
    words = words.masked_fill(torch.arange(MAXLEN)[None] >= lengths[:, None], PAD)
    return words, lengths, y


class ReviewBiLSTM(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(VOCAB, 64, padding_idx=PAD)
        self.lstm = nn.LSTM(64, 96, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Sequential(nn.Linear(192, 96), nn.ReLU(), nn.Linear(96, 2))

    def forward(self, words, lengths):
        packed = pack_padded_sequence(self.emb(words), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.fc(torch.cat([h[-2], h[-1]], 1))

    def step(self, batch, stage):
        words, lengths, y = batch
        logits = self(words, lengths)
        loss = F.cross_entropy(logits, y)
        self.log(f"{stage}_loss", loss, on_step=False, on_epoch=True)
        self.log(f"{stage}_acc", (logits.argmax(1) == y).float().mean(), on_step=False,
                 on_epoch=True)
        return loss

    def training_step(self, batch, batch_idx):
        return self.step(batch, "train")

    def validation_step(self, batch, batch_idx):
        self.step(batch, "val")

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return ReviewBiLSTM()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = reviews(64, g), reviews(200, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=30, logger=CSVLogger(str(out), name="bilstm"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=1)
    trainer.fit(build(), DataLoader(TensorDataset(*train), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(*val), batch_size=200))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (val[0][:128], val[2][:128]), causes=["overfitting"],
           checkpoint="bilstm/version_0/checkpoints/last.ckpt",
           log="bilstm/version_0/metrics.csv",
           what="0.38 M-parameter 2-layer BiLSTM on 64 labelled reviews, 30 epochs",
           complaint="train accuracy is 100% but validation accuracy is much lower and the "
                     "val loss keeps increasing")


if __name__ == "__main__":
    main()
