"""Plain torch: an autoencoder learns what a good score of straw plait looks like from its
width gauge, so a plait dealer can flag uneven work by its reconstruction error. A score (20
yards) is run through the gauge and read 64 times. The width follows from the plait: the
number of ends (4-7 straws) times the split straw's width (1.6-2.4 mm) times the overlap of
the fold (0.55-0.65); along the score the plaiter's hand drifts (a slow trend of ±0.4 mm and
a slower wave as she tires and rests), each splice of a new straw (every 6-12 readings)
leaves a short bump of 0.2-0.5 mm over 1-2 readings, and the gauge reads to 0.05 mm.
Input: (64,) = (width - 8 mm) / 2. Model: 64→48→ReLU→12 (code)→48→ReLU→64, MSE on the
profile, Adam 3e-3 with StepLR (halve every 15 epochs), batch 40, 45 epochs, 1200 scores,
validation on 300.
The bug: the scheduler is stepped with the optimizer, ``sched.step()  # next lr`` inside the
batch loop (30 batches an epoch), so the learning rate halves every 15 batches instead of
every 15 epochs and is below 1e-9 by the end of the fourth epoch: lr 3e-3 at epoch 0, 7.5e-4 at 1, 1.2e-5 at
4; train recon MSE 0.378 → 0.0152 and val 0.0366 → 0.0153, flat to four digits from epoch 4
(val RMSE 0.25 mm) (control, ``sched.step()`` once per epoch after the batch loop: val 0.0373
→ 0.0050, RMSE 0.14 mm, still falling when the lr halves at epochs 15 and 30).
Log: TSV per epoch ``gauge_ae.tsv`` (``epoch`` / ``lr`` / ``recon_mse`` / ``val_recon_mse``
/ ``val_rmse_mm``); checkpoint ``plait_gauge_ae.pt`` with keys ``ae`` / ``adam`` /
``steplr`` / ``epoch`` / ``width_center_mm`` / ``width_scale_mm``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

R = 64


def scores(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ends = torch.randint(4, 8, (n, 1), generator=g).float()
    split = 1.6 + 0.8 * r(n, 1)
    lap = 0.55 + 0.1 * r(n, 1)
    pos = torch.arange(R).float() / (R - 1)
    trend = 0.8 * (r(n, 1) - 0.5) * (pos - 0.5) * 2
    wave = 0.25 * r(n, 1) * torch.sin(2 * math.pi * (0.5 + r(n, 1)) * pos + 6.28 * r(n, 1))
    w = ends * split * lap + trend + wave
    for i in range(n):
        at = int(r(1).item() * 6)
        while at < R:
            h = 0.2 + 0.3 * r(1).item()
            w[i, at] += h
            if at + 1 < R and r(1).item() < 0.5:
                w[i, at + 1] += h * 0.6
            at += 6 + int(r(1).item() * 7)
    w = w + 0.05 * torch.randn(n, R, generator=g)
    return (w - 8) / 2


class GaugeAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(R, 48), nn.ReLU(), nn.Linear(48, 12))
        self.dec = nn.Sequential(nn.Linear(12, 48), nn.ReLU(), nn.Linear(48, R))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return GaugeAE()


def main():
    from _threehundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = scores(1200, g)
    xva = scores(300, g)
    print("width mm", (2 * xtr + 8).mean().item(), (2 * xtr + 8).std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=15, gamma=0.5)
    with open(out / "gauge_ae.tsv", "w") as f:
        f.write("epoch\tlr\trecon_mse\tval_recon_mse\tval_rmse_mm\n")
        for epoch in range(45):
            model.train()
            lr = opt.param_groups[0]["lr"]
            tot = 0.0
            for (xb,) in dl:
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()  # next lr
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                vm = nn.functional.mse_loss(model(xva), xva).item()
            f.write(f"{epoch}\t{lr:.4g}\t{tot / len(xtr):.6f}\t{vm:.6f}\t{2 * math.sqrt(vm):.5f}\n")
            print(epoch, lr, tot / len(xtr), vm)
    torch.save({"ae": model.state_dict(), "adam": opt.state_dict(), "steplr": sched.state_dict(),
                "epoch": 45, "width_center_mm": 8.0, "width_scale_mm": 2.0},
               out / "plait_gauge_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="plait_gauge_ae.pt", log="gauge_ae.tsv",
           what="autoencoder of straw plait width-gauge profiles; StepLR meant per epoch"
                " stepped every batch",
           complaint="草辫宽度量规的自编码器训练到第4个epoch左右就完全不动了：训练重建误差"
                     "停在0.0152，验证0.0153，后面40个epoch小数点后四位都一样，换算下来"
                     "验证RMSE大约0.25毫米，而量规本身的精度是0.05毫米。日志里的学习率也"
                     "很奇怪，第5个epoch就已经是1e-5量级，最后变成1e-29。模型是不是太小了？")


if __name__ == "__main__":
    main()
