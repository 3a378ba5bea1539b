"""Lightning: routing IT tickets to 3 queues (network / accounts / hardware) with a GRU over
word ids, ``forward(tokens, lengths)`` with ``pack_padded_sequence`` (tickets of 6-40 words,
padded to 40). Each queue has its own 12 keywords, but tickets are short and a keyword can be
missing (4 % of the tickets have none). Embedding 24, GRU 32, dropout 0.3 on the last
hidden state, AdamW 3e-3, batch 32, 6 epochs, shuffled; CSVLogger + ModelCheckpoint(save_last).
Healthy: val accuracy ~0.96 (the keyword-less tickets are guesses), train loss noisy per step."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, TensorDataset

VOCAB, MAXLEN, PAD, QUEUES = 300, 40, 0, 3


def tickets(n, g):
    lengths = torch.randint(6, MAXLEN + 1, (n,), generator=g)
    tokens = torch.randint(40, VOCAB, (n, MAXLEN), generator=g)
    y = torch.randint(0, QUEUES, (n,), generator=g)
    k = torch.randint(0, 3, (n,), generator=g) + (torch.rand(n, generator=g) > 0.04).long()
    for i in range(n):
        where = torch.randperm(int(lengths[i]), generator=g)[:int(k[i])]
        tokens[i, where] = 1 + 12 * y[i] + torch.randint(0, 12, (len(where),), generator=g)
    tokens = tokens.masked_fill(torch.arange(MAXLEN)[None] >= lengths[:, None], PAD)
    return tokens, lengths, y


class TicketRouter(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(VOCAB, 24, padding_idx=PAD)
        self.gru = nn.GRU(24, 32, batch_first=True)
        self.drop = nn.Dropout(0.3)
        self.out = nn.Linear(32, QUEUES)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.emb(tokens), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, h = self.gru(packed)
        return self.out(self.drop(h[-1]))

    def _shared(self, batch, stage):
        tokens, lengths, y = batch
        logits = self(tokens, lengths)
        loss = F.cross_entropy(logits, y)
        self.log(f"{stage}_loss", loss, on_step=stage == "train", on_epoch=True)
        self.log(f"{stage}_acc", (logits.argmax(1) == y).float().mean(), on_step=False,
                 on_epoch=True)
        return loss

    def training_step(self, batch, batch_idx):
        return self._shared(batch, "train")

    def validation_step(self, batch, batch_idx):
        self._shared(batch, "val")

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return TicketRouter()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = tickets(2400, g), tickets(400, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="tickets"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), DataLoader(TensorDataset(*train), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(*val), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, {"inputs": val[0][:128], "lengths": val[1][:128],
                           "targets": val[2][:128]}, causes=[],
           checkpoint="tickets/version_0/checkpoints/last.ckpt",
           log="tickets/version_0/metrics.csv",
           what="Lightning packed GRU ticket router, forward(tokens, lengths) (healthy)")


if __name__ == "__main__":
    main()
