"""Lightning: which product reviews need a follow-up from support, a GRU over word ids
(synthetic reviews of 12-30 words; a review needs follow-up when it mentions one of 16 problem
words -- "broken", "refund", "late" ...). The labels come from crowd workers and about 15 % of
them, train and val alike, are flipped, so the loss flattens at ~0.41 (train) / 0.45 (val)
and val accuracy at 0.85 -- the noise floor, not a bug (healthy). Embedding 16, GRU 24, Adam
3e-3, batch 32, 6 epochs, ``pack_padded_sequence``; the step loss is noisy (0.24-0.60 in the
last epoch); CSVLogger + ModelCheckpoint(save_last)."""
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


def reviews(n, g, flip=0.15):
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


class ReviewGRU(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(VOCAB, 16, padding_idx=PAD)
        self.gru = nn.GRU(16, 24, batch_first=True)
        self.fc = nn.Linear(24, 2)

    def forward(self, words, lengths):
        packed = pack_padded_sequence(self.emb(words), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, h = self.gru(packed)
        return self.fc(h[-1])

    def step(self, batch, stage):
        words, lengths, y = batch
        logits = self(words, lengths)
        loss = F.cross_entropy(logits, y)
        on_step = stage == "train"
        self.log(f"{stage}_loss", loss, on_step=on_step, on_epoch=True)
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
    return ReviewGRU()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = reviews(3000, g), reviews(500, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="reviews"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), DataLoader(TensorDataset(*train), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(*val), batch_size=500))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (val[0][:128], val[2][:128]), causes=[],
           checkpoint="reviews/version_0/checkpoints/last.ckpt",
           log="reviews/version_0/metrics.csv",
           what="Lightning GRU review classifier, 15 % label noise: loss floor ~0.45 (healthy)")


if __name__ == "__main__":
    main()
