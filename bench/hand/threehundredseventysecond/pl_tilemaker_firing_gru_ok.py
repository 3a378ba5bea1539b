"""PyTorch Lightning: a GRU reads a roof-tile works' kiln log (thermocouple temperature and
flue oxygen every 20 min over 24 h) and names how that car of clay tiles came out of the
firing, so the sorters know which cars to check tile by tile: sound, dunted (cracked by
cooling too fast through the quartz inversion at 573 °C, faster than 120 °C/h), black-cored
(the burnout from 700 to 900 °C run faster than 160 °C/h with the damper shut, flue oxygen
under 6 %, leaving carbon in the body) or underfired (peak under 1000 °C); the first rule
that applies, in the order underfired, black-cored, dunted. Firings: a first ramp to 700 °C
(80-150 °C/h), the burnout ramp (60-250 °C/h, oxygen 2-14 %), a ramp at 100 °C/h to the
peak (960-1120 °C), one hour's soak, and Newtonian cooling whose rate at 573 °C is
50-200 °C/h; oxygen 8-10 % outside the burnout; 3 °C and 0.3 % sensor noise.
Input: (72, 3): (temperature - 600) / 300, its rate (°C/h, as the kiln controller shows it)
/ 200 and oxygen / 21 per reading. Model: GRU 3→32 (one layer), its last state and its max
over the 72 steps → Linear 64→4; cross-entropy, Adam with OneCycleLR (peak 1e-2) per step
from ``configure_optimizers``, batch 48, 16 epochs, 960 firings, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``kilnlog/version_0/metrics.csv`` (``train_ce`` every 5 steps, ``lr-Adam`` every
5 steps, ``val_ce`` / ``val_acc`` / ``val_acc_dunted`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``kilnlog/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 72
DT = 1 / 3  # hours between readings


def firings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    r1, r2 = 80 + 70 * r(n), 60 + 190 * r(n)
    o2_burn, peak = 2 + 12 * r(n), 960 + 160 * r(n)
    cool = 50 + 150 * r(n)
    k = cool / 553  # Newtonian cooling constant that gives that rate at 573 °C
    temp, phase, soak = torch.full((n,), 20.0), torch.zeros(n, dtype=torch.long), torch.zeros(n)
    temps, oxys = [], []
    for _ in range(T):
        rate = torch.stack([r1, r2, torch.full((n,), 100.0)], 1)
        heating = phase < 3
        step = rate.gather(1, phase.clamp(max=2).unsqueeze(1)).squeeze(1) * DT
        temp = torch.where(heating, temp + step, temp)
        temp = torch.where(phase == 5, 20 + (temp - 20) * torch.exp(-k * DT), temp)
        soak = soak + (phase == 4).float() * DT
        phase = torch.where((phase == 0) & (temp >= 700), torch.ones_like(phase), phase)
        phase = torch.where((phase == 1) & (temp >= 900), torch.full_like(phase, 2), phase)
        hit = (phase == 2) & (temp >= peak)
        temp = torch.where(hit, peak, temp)
        phase = torch.where(hit, torch.full_like(phase, 4), phase)
        phase = torch.where((phase == 4) & (soak >= 1.0), torch.full_like(phase, 5), phase)
        oxy = torch.where(phase == 1, o2_burn, 9.0 + 0 * temp)
        temps.append(temp + 3 * torch.randn(n, generator=g))
        oxys.append(oxy + 0.3 * torch.randn(n, generator=g))
    tc = torch.stack(temps, 1)
    rate = torch.cat([torch.zeros(n, 1), tc.diff(dim=1)], 1) / DT  # °C/h, as the controller shows
    x = torch.stack([(tc - 600) / 300, rate / 200, torch.stack(oxys, 1) / 21], 2)
    y = torch.zeros(n, dtype=torch.long)
    y = torch.where(cool > 120, torch.ones_like(y), y)
    y = torch.where((r2 > 160) & (o2_burn < 6), torch.full_like(y, 2), y)
    y = torch.where(peak < 1000, torch.full_like(y, 3), y)
    return x, y


class FiringGRU(L.LightningModule):
    def __init__(self, steps_total=240):
        super().__init__()
        self.steps_total = steps_total
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(64, 4)

    def forward(self, x):
        seq, h = self.gru(x)
        return self.out(torch.cat([h[-1], seq.amax(1)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_ce", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_dunted", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2,
                                                    total_steps=self.steps_total)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return FiringGRU(steps_total=16 * 20)


def main():
    from _threehundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = firings(960, g)
    xva, yva = firings(240, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="kilnlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="kilnlog/version_0/checkpoints/last.ckpt",
           log="kilnlog/version_0/metrics.csv",
           what="Lightning GRU naming sound / dunted / black-cored / underfired tile-kiln"
                " firings from the temperature and flue-oxygen log (healthy)")


if __name__ == "__main__":
    main()
