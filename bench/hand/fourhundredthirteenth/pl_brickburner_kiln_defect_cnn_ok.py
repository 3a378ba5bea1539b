"""PyTorch Lightning: a 1-D CNN with batch norm reads a brickworks kiln's firing record and
flags the defects the burner should expect when the kiln is drawn, so the setter can sort
the load before the yard does: black coring, bloating, under-firing and dunting (cooling
cracks), any number of them at once (multi-label). A firing is 96 h logged every 1.5 h (64
points) with two channels, the kiln temperature (°C / 1000) and the flue oxygen (% / 21):
water-smoking to 200 °C, a ramp to 700 °C, the oxidation stretch 700-900 °C at its own rate
and oxygen, a ramp to the peak (980-1180 °C), a soak (2-10 h) and cooling, fast or slow
through quartz inversion (573 °C). The burner's rules behind the labels: black core when
the oxidation stretch is faster than 45 °C/h with flue oxygen under 5 %; bloating when the
peak passes 1130 °C; under-fired when the peak is under 1010 °C or the soak under 4 h;
dunting when cooling through 650-500 °C is faster than 55 °C/h. Thermocouple and analyser
noise on top.
Input: (2, 64). Model: Conv1d 2→24 (k5) + BN + ReLU + MaxPool2, Conv1d 24→48 (k5) + BN +
ReLU + MaxPool2, Conv1d 48→48 (k3) + BN + ReLU, global max pool, Linear 48→4;
BCE-with-logits, Adam 3e-3 with CosineAnnealingLR over 10 epochs from
``configure_optimizers``, batch 48, 10 epochs, 1440 firings, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``kilnlog/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact`` / ``val_recall_blackcore`` / ``val_recall_dunting`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``kilnlog/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 64
DT = 1.5
DEFECTS = ["black_core", "bloating", "underfired", "dunting"]


def firings(n, g):
    r = lambda *s: torch.rand(1, generator=g).item()  # noqa: E731
    x = torch.zeros(n, 2, T)
    y = torch.zeros(n, 4)
    t = torch.arange(T) * DT
    for i in range(n):
        ox_rate, ox_o2 = 25 + 40 * r(), 2 + 8 * r()
        peak, soak = 980 + 200 * r(), 2 + 8 * r()
        cool = 30 + 50 * r()
        knots = [(0, 20, 12), (10, 200, 12)]
        knots.append((knots[-1][0] + 500 / (40 + 20 * r()), 700, 10))
        knots.append((knots[-1][0] + 200 / ox_rate, 900, ox_o2))
        knots.append((knots[-1][0] + (peak - 900) / (30 + 20 * r()), peak, 4 + 4 * r()))
        knots.append((knots[-1][0] + soak, peak, 4 + 4 * r()))
        knots.append((knots[-1][0] + (peak - 650) / 60, 650, 15))
        knots.append((knots[-1][0] + 150 / cool, 500, 18))
        knots.append((200.0, 20, 20))
        kt = torch.tensor([k[0] for k in knots])
        kv = torch.tensor([k[1] for k in knots], dtype=torch.float)
        ko = torch.tensor([k[2] for k in knots], dtype=torch.float)
        idx = torch.searchsorted(kt, t, right=True).clamp(1, len(kt) - 1)
        w = ((t - kt[idx - 1]) / (kt[idx] - kt[idx - 1])).clamp(0, 1)
        temp = kv[idx - 1] + w * (kv[idx] - kv[idx - 1])
        o2 = ko[idx - 1] + w * (ko[idx] - ko[idx - 1])
        x[i, 0] = (temp + 6 * torch.randn(T, generator=g)) / 1000
        x[i, 1] = (o2 + 0.4 * torch.randn(T, generator=g)).clamp(0, 21) / 21
        y[i] = torch.tensor([float(ox_rate > 45 and ox_o2 < 5), float(peak > 1130),
                             float(peak < 1010 or soak < 4), float(cool > 55)])
    return x, y


class KilnCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(2, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(24, 48, 5, padding=2),
                                 nn.BatchNorm1d(48), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(48, 48, 3, padding=1), nn.BatchNorm1d(48), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(48, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_recall_blackcore", pred[y[:, 0] == 1, 0].mean())
        self.log("val_recall_dunting", pred[y[:, 3] == 1, 3].mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)]


def build():
    torch.manual_seed(0)
    return KilnCNN()


def main():
    from _fourhundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = firings(1440, g)
    xva, yva = firings(360, g)
    print("defect rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="kilnlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="kilnlog/version_0/checkpoints/last.ckpt",
           log="kilnlog/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging black coring / bloating /"
                " under-firing / dunting from a brick kiln's firing record (healthy)")


if __name__ == "__main__":
    main()
