"""PyTorch Lightning: a GRU estimates the sending speed (words a minute) of a telegraphist from
2.4 s of the keyed tone envelope (50 samples a second, 120 samples), so a receiving station
can set its tape speed and grade its operators. Speed follows the PARIS standard: one dot
lasts 1.2 / wpm s, a dash three dots, gaps of one dot between elements, three between
letters and seven between words. Each window is random letters and words of plain-language
traffic sent at 12-32 wpm with the operator's fist (dashes 2.7-3.3 dots, element jitter
±10 %, letter gaps 2.6-3.6 dots), a random start, a tone level of 0.7-1.0 and receiver noise
(σ 0.1). Input (120, 2): the envelope and its first difference (the key edges). Target: (wpm - 22) / 6. Model: GRU 2→48 (one layer), its outputs averaged over time,
Linear 48→32, ReLU, Linear 32→1; MSE, Adam 6e-3 with ExponentialLR (×0.85 an epoch) from
``configure_optimizers``, batch 40, 12 epochs, 1200 windows, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``keying/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch``,
``val_mse`` / ``val_mae_wpm`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``keying/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 50.0
N = 120
LETTERS = [".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..",
           "--", "-.", "---", ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-",
           "-.--", "--.."]


def keyed(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    x = torch.zeros(n, N)
    wpm = 12 + 20 * torch.rand(n, generator=g)
    t = torch.arange(N).float() / FS
    for i in range(n):
        dot = 1.2 / wpm[i].item()
        dash = dot * (2.7 + 0.6 * r())
        level = 0.7 + 0.3 * r()
        at = -2.0 * r()
        while at < N / FS:
            for _ in range(int(torch.randint(2, 7, (1,), generator=g))):
                code = LETTERS[int(torch.randint(0, 26, (1,), generator=g))]
                for el in code:
                    d = (dot if el == "." else dash) * (0.9 + 0.2 * r())
                    x[i] += level * ((t >= at) & (t < at + d)).float()
                    at += d + dot * (0.9 + 0.2 * r())
                at += dot * (1.6 + r())
            at += dot * 4
    x = x + 0.1 * torch.randn(n, N, generator=g)
    edges = torch.diff(x, dim=1, prepend=x[:, :1])  # key-down / key-up edges
    return torch.stack([x, edges], -1), ((wpm - 22) / 6).unsqueeze(1)


class SpeedGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        seq, _ = self.gru(x)
        return self.head(seq.mean(1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_wpm", (pred - y).abs().mean() * 6)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=6e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return SpeedGRU()


def main():
    from _threehundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = keyed(1200, g)
    xva, yva = keyed(300, g)
    print("target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="keying"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=150))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="keying/version_0/checkpoints/last.ckpt",
           log="keying/version_0/metrics.csv",
           what="Lightning GRU estimating a telegraphist's sending speed (wpm) from the keyed"
                " tone envelope (healthy)")


if __name__ == "__main__":
    main()
