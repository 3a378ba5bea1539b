"""PyTorch Lightning: a GRU reads the ringing trial a bellhanger runs after rehanging a tower
bell (a rotary encoder on the headstock and a load cell on the rope) and names what the
hanging needs: nothing (good), stiff gudgeon bearings, an odd-struck clapper, or a bell out
of balance on its stock. 32 strokes, handstroke and backstroke in turn, 3 numbers per
stroke: the swing time (s), the strike delay after bottom dead centre (ms) and the peak rope
pull (kg). A good bell swings in 2.0-2.3 s with an even strike (about 120 ms late) and a
10-14 kg pull; stiff bearings need 45-70 % more pull and shorten the swing a little; an
odd-struck clapper strikes 30-60 ms late on one stroke and early on the other; an unbalanced
bell swings 0.14-0.24 s longer at one stroke than the other and needs 2.5 kg more pull on it.
Ringer noise on every stroke; about one trial in five has a clumsy ringer (twice the
noise).
Input: (32, 3) standardised with the train mean / std per feature. Model: GRU 3→40, 1 layer,
last hidden state → Linear 40→4; cross-entropy, Adam 2e-3 with CosineAnnealingLR(T_max=12)
from ``configure_optimizers``, batch 48, 12 epochs, 960 trials, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``towerlog/version_0/metrics.csv`` (``ce_step`` every 5 steps, ``ce_epoch`` /
``val_ce`` / ``val_acc`` / ``val_acc_oddstruck`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``towerlog/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STROKES = 32


def trials(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    hand = (torch.arange(STROKES) % 2 == 0).float()  # handstroke, backstroke in turn
    swing = 2.0 + 0.3 * r(n, 1) + torch.zeros(n, STROKES)
    delay = 120 + 10 * (r(n, 1) - 0.5) + torch.zeros(n, STROKES)
    pull = 10 + 4 * r(n, 1) + torch.zeros(n, STROKES)
    stiff, odd, unbal = [(cls == k).float().unsqueeze(1) for k in (1, 2, 3)]
    pull = pull * (1 + stiff * (0.45 + 0.25 * r(n, 1)))
    swing = swing - stiff * 0.08
    sgn = torch.where(torch.rand(n, 1, generator=g) < 0.5, -1.0, 1.0)
    delay = delay + odd * sgn * (30 + 30 * r(n, 1)) * (2 * hand - 1)
    lop = (0.14 + 0.1 * r(n, 1)) * (2 * hand - 1) * sgn
    swing = swing + unbal * lop / 2
    pull = pull + unbal * 2.5 * torch.where(sgn > 0, hand, 1 - hand)
    clumsy = 1 + (r(n, 1) < 0.2).float()
    swing = swing + clumsy * 0.03 * torch.randn(n, STROKES, generator=g)
    delay = delay + clumsy * 12 * torch.randn(n, STROKES, generator=g)
    pull = pull + clumsy * 0.8 * torch.randn(n, STROKES, generator=g)
    return torch.stack([swing, delay, pull], 2), cls


class RingingGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 40, batch_first=True)
        self.out = nn.Linear(40, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_oddstruck", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return RingingGRU()


def main():
    from _fourhundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = trials(960, g)
    rva, yva = trials(240, g)
    mu, sd = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="towerlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="towerlog/version_0/checkpoints/last.ckpt",
           log="towerlog/version_0/metrics.csv",
           what="Lightning GRU naming a rehung tower bell's fault (good / stiff bearings /"
                " odd-struck clapper / out of balance) from a ringing trial (healthy)")


if __name__ == "__main__":
    main()
