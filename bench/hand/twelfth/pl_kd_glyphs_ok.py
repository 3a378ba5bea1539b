"""Lightning: knowledge distillation of a glyph classifier (10 shop-sign glyphs, 12x12, drawn
from per-class stroke templates with a random shift of up to 1 px, stroke-width jitter and
noise). The teacher (MLP 144-256-256-10, trained first for 6 epochs in a plain loop, val acc
0.96) is frozen in eval mode; the student (MLP 144-48-10) learns from
``alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) + (1 - alpha) * CE`` with T = 4, alpha =
0.7 (``F.kl_div(log_softmax(s/T), softmax(t/T), reduction="batchmean")``). AdamW 3e-3, weight
decay 0.05, ``CosineAnnealingLR`` per epoch, batch 64, 12 epochs, ``CSVLogger`` +
``ModelCheckpoint(save_last=True)``; logged: the KD part, the CE part, the total, val loss
(CE) and val acc. Healthy: student val acc 0.96 at epoch 1, 0.948 at the end, val loss flat
at 0.09-0.10 from epoch 2; the KD part starts at 14.1 (T^2 times a KL against a confident
teacher) and ends at 0.066, 3.5x the CE part."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S, C = 12, 10


def glyphs(n, g):
    templates = (torch.rand(C, S, S, generator=g) < 0.25).float()
    templates = F.avg_pool2d(templates[:, None], 3, 1, 1)[:, 0].gt(0.3).float()
    y = torch.randint(0, C, (n,), generator=g)
    x = templates[y]
    dx, dy = torch.randint(-1, 2, (2, n), generator=g)
    x = torch.stack([torch.roll(im, (int(a), int(b)), (0, 1))
                     for im, a, b in zip(x, dy, dx, strict=True)])
    width = 0.5 + torch.rand(n, 1, 1, generator=g)
    x = F.avg_pool2d(x[:, None], 3, 1, 1)[:, 0] * width + 0.5 * x
    x = x + 0.7 * torch.randn(n, S, S, generator=g)
    return x.flatten(1), y


def teacher_net():
    return nn.Sequential(nn.Linear(S * S, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, C))


class Student(L.LightningModule):
    def __init__(self, teacher=None, T=4.0, alpha=0.7, lr=3e-3, epochs=12):
        super().__init__()
        self.save_hyperparameters(ignore=["teacher"])
        self.net = nn.Sequential(nn.Linear(S * S, 48), nn.ReLU(), nn.Linear(48, C))
        self.teacher = [teacher]  # a list: not a submodule, not in the checkpoint

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        s = self(x)
        with torch.no_grad():
            t = self.teacher[0](x)
        T = self.hparams.T
        kd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean") * T * T
        ce = F.cross_entropy(s, y)
        loss = self.hparams.alpha * kd + (1 - self.hparams.alpha) * ce
        self.log_dict({"kd_loss": kd, "ce_loss": ce, "train_loss": loss}, on_step=False,
                      on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        s = self(x)
        self.log("val_loss", F.cross_entropy(s, y))
        self.log("val_acc", (s.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.05)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def train_teacher(x, y, vx, vy, g):
    torch.manual_seed(1)
    teacher = teacher_net()
    opt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for _ in range(6):
        for idx in torch.randperm(len(x), generator=g).split(64):
            loss = F.cross_entropy(teacher(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    teacher.eval()
    with torch.no_grad():
        print("teacher val acc", (teacher(vx).argmax(1) == vy).float().mean().item())
    return teacher


def build():
    torch.manual_seed(0)
    return Student()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = glyphs(3500, g)
    tx, ty, vx, vy = x[:3000], y[:3000], x[3000:], y[3000:]
    teacher = train_teacher(tx, ty, vx, vy, g)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(tx, ty), batch_size=64, shuffle=True)
    torch.manual_seed(0)
    model = Student(teacher)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="kd"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, train, DataLoader(TensorDataset(vx, vy), batch_size=500))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=[],
           checkpoint="kd/version_0/checkpoints/last.ckpt", log="kd/version_0/metrics.csv",
           what="Lightning KD, MLP student from a frozen MLP teacher, T=4 (healthy)")


if __name__ == "__main__":
    main()
