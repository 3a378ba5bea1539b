"""Plain torch: a 1-D CNN without batch norm tells a struck silver coin from a cast
counterfeit by its ring: the coin is balanced on a fingertip and tapped, and a contact
microphone records 128 samples (8 kHz, 16 ms) of the tone. A struck coin of sterling rings
long and high: two plate modes (the second 1.6-1.75× the first), the first at 0.16-0.22 of
the sample rate, decaying over 40-110 samples. A coiner's cast piece (lead-tin or
pewter with a silver wash, with casting pores) is softer and damped: its modes sit lower
(0.11-0.18, overlapping the struck coins), the ratio spreads (1.45-1.8), and it dies in 8-45
samples, with a buzz of its pores on top. Tap strength, onset jitter (0-12 samples) and
room noise vary. 40 % of the tapped pieces are counterfeit.
Input: (1, 128) microphone signal / its peak. Model: Conv1d 1→16 (k7) + ReLU + MaxPool2,
Conv1d 16→32 (k5) + ReLU + MaxPool2, Conv1d 32→32 (k5) + ReLU, global max pool, Linear
32→1; BCE with logits, SGD 0.05 momentum 0.9, 12 epochs, 800 tapped pieces, validation on
300.
The bug: ``batch_size=2`` in the loader ("two coins per step fit the tapping rig's buffer"),
with the learning rate and momentum that suit a batch of 64; each step follows two coins,
the logged step loss jumps between 0.04 and 3.0 and the net never settles: val BCE 0.674 →
0.689, val acc 0.56 (the struck share) with every piece called struck, now and then every
piece called cast (recall 0 or 1); 400 steps per epoch, 6.8 s CPU (control,
``batch_size=64``: val BCE 0.672 → 0.080, val acc 0.97, cast recall 0.99, 3.4 s CPU).
Log: TSV every 25 steps ``ring_steps.tsv`` (``step`` / ``bce``) and a per-epoch TSV
``ring_epochs.tsv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_recall_cast``, named as
the log in the truth); checkpoint ``ringtest.pth`` with keys ``cnn_state`` / ``sgd_state`` /
``epochs_done`` / ``rate_hz`` / ``cast_share``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 128


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cast = (r(n) < 0.4).float()
    f1 = torch.where(cast > 0, 0.11 + 0.07 * r(n), 0.16 + 0.06 * r(n)).unsqueeze(1)
    ratio = torch.where(cast > 0, 1.45 + 0.35 * r(n), 1.6 + 0.15 * r(n)).unsqueeze(1)
    tau = torch.where(cast > 0, 8 + 37 * r(n), 40 + 70 * r(n)).unsqueeze(1)
    t0 = (12 * r(n, 1)).floor()
    t = torch.arange(N).float().unsqueeze(0) - t0
    on = (t >= 0).float()
    env = torch.exp(-t.clamp(min=0) / tau) * on
    ph1, ph2 = 2 * math.pi * r(n, 1), 2 * math.pi * r(n, 1)
    sig = env * (torch.sin(2 * math.pi * f1 * t + ph1)
                 + 0.5 * torch.exp(-t.clamp(min=0) / tau) * torch.sin(2 * math.pi * f1 * ratio * t + ph2))
    buzz = cast.unsqueeze(1) * 0.25 * env * torch.randn(n, N, generator=g)
    sig = (0.5 + r(n, 1)) * (sig + buzz) + 0.08 * torch.randn(n, N, generator=g)
    sig = sig / sig.abs().amax(1, keepdim=True)
    return sig.unsqueeze(1), cast.unsqueeze(1)


class RingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.feat(x).amax(-1))


def build():
    torch.manual_seed(0)
    return RingNet()


def main():
    from _fourhundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(800, g)
    xva, yva = taps(300, g)
    print("cast share", ytr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=2, shuffle=True)  # two coins per step fit the tapping rig's buffer
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    step = 0
    with open(out / "ring_steps.tsv", "w") as slog, open(out / "ring_epochs.tsv", "w") as elog:
        slog.write("step\tbce\n")
        elog.write("epoch\tval_bce\tval_acc\tval_recall_cast\n")
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 25 == 0:
                    slog.write(f"{step}\t{loss.item():.6f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            row = [F.binary_cross_entropy_with_logits(logit, yva).item(),
                   (pred == yva).float().mean().item(), pred[yva > 0].mean().item()]
            elog.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"cnn_state": model.state_dict(), "sgd_state": opt.state_dict(),
                "epochs_done": 12, "rate_hz": 8000, "cast_share": 0.4}, out / "ringtest.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_size_too_small"],
           checkpoint="ringtest.pth", log="ring_epochs.tsv",
           what="1-D CNN without batch norm telling struck coins from cast counterfeits by"
                " their ring; trained two coins per step at a batch-64 learning rate",
           complaint="我们用敲击声音来识别铸造的假币，一维卷积网络训练了12个epoch，"
                     "训练损失一直在0.04到3之间乱跳，验证损失一直停在0.69左右，"
                     "验证集准确率0.56，要么全部判成真币，要么全部判成假币。每个epoch都要跑好几秒，结果还不稳定。"
                     "换了随机种子也差不多，请问问题出在哪里？")


if __name__ == "__main__":
    main()
