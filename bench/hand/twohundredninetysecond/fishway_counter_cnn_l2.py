"""Plain torch: a 1-D CNN (no batch norm) sorts the traces of a resistivity fish counter in the
fishway of a river weir into what swam through the counter tunnel: 0 shad (a short sharp
up-then-down pulse), 1 eel (a long, low, wavering signal as the body snakes through), 2
lamprey (long, low and smooth, often with a stop-and-go), 3 debris (leaves and sticks:
a slow drift one way with no return swing). A fish body is more conductive than the
water, so its trace is a bipolar pulse whose height grows with body cross-section and whose
length grows with body length over swimming speed; the counter electronics add 50 Hz hum
and white noise, and the baseline drifts with river conductivity.
Input: 1 channel × 96 samples (normalised counter volts); Conv1d 1→16 k7-ReLU-maxpool2,
16→32 k5-ReLU-maxpool2, 32→32 k3-ReLU, global average pool → linear 32→4; cross-entropy,
Adam 2e-3, batch 64, 15 epochs, 2400 traces, validation on 480.
Bug: an explicit L2 penalty on all weights is added to the loss with ``lam = 0.05`` (``# L2 so
it does not learn the counter noise``) on a summed, not averaged, square norm, far above the
cross-entropy it guards, so the weights are held near zero and the net can barely leave the
class prior. Control (``lam = 0.0005``, one-line sed): val CE 1.18 → 0.020, val accuracy 0.70 → 0.99
(1.0 in epochs 5, 7, 9, 10, 13), last logged CE 0.014 with the penalty 114 on the square
norm. With the bug: val CE 1.386 → 1.3857 (ln 4 = 1.3863), val accuracy 0.277 then 0.231
(every trace called debris) in all other epochs, train CE 1.38-1.39 throughout with the
square norm squeezed to 0.0002.
Log: CSV every 15 steps ``counter_steps.csv`` (``step`` / ``ce`` / ``l2`` / ``total``) and a
separate JSON lines per epoch ``counter_val.jsonl`` (``epoch`` / ``val_ce`` / ``val_acc`` /
``acc_by_class``); checkpoint ``counter_cnn.ckpt`` with keys ``weights`` / ``adam`` /
``epoch`` / ``classes`` / ``lam``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["shad", "eel", "lamprey", "debris"]


def traces(n, g):
    t = torch.arange(96).float()
    cls = torch.randint(0, 4, (n,), generator=g)
    centre = 40 + 16 * torch.rand(n, 1, generator=g)
    height = torch.tensor([1.0, 0.45, 0.4, 0.35])[cls].unsqueeze(1) * (
        0.7 + 0.6 * torch.rand(n, 1, generator=g))
    width = torch.tensor([4.0, 18.0, 16.0, 22.0])[cls].unsqueeze(1) * (
        0.75 + 0.5 * torch.rand(n, 1, generator=g))
    u = (t - centre) / width
    bipolar = -u * torch.exp(0.5 - 0.5 * u ** 2) * 1.6
    wave = 1 + 0.5 * torch.sin(2 * math.pi * t / (5 + 3 * torch.rand(n, 1, generator=g)))
    stop = 1 - 0.6 * torch.exp(-((t - centre - 3) / 4) ** 2)
    drift = torch.tanh(u)
    sig = torch.where((cls == 0).unsqueeze(1), bipolar,
                      torch.where((cls == 1).unsqueeze(1), bipolar * wave,
                                  torch.where((cls == 2).unsqueeze(1), bipolar * stop, drift)))
    hum = 0.08 * torch.sin(2 * math.pi * t / 4 + 6.28 * torch.rand(n, 1, generator=g))
    x = (height * sig + hum + 0.1 * torch.randn(n, 96, generator=g)
         + 0.3 * torch.randn(n, 1, generator=g))
    return x.unsqueeze(1), cls


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(2400, g)
    xva, yva = traces(480, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    lam = 0.05  # L2 so it does not learn the counter noise
    fs = open(out / "counter_steps.csv", "w")
    fs.write("step,ce,l2,total\n")
    fv = open(out / "counter_val.jsonl", "w")
    step = 0
    for epoch in range(15):
        model.train()
        for xb, yb in loader:
            ce = F.cross_entropy(model(xb), yb)
            l2 = sum((p ** 2).sum() for n, p in model.named_parameters() if n.endswith("weight"))
            loss = ce + lam * l2
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 15 == 0:
                fs.write(f"{step},{ce.item():.5f},{l2.item():.4f},{loss.item():.5f}\n")
            step += 1
        model.eval()
        with torch.no_grad():
            z = model(xva)
            vce = F.cross_entropy(z, yva).item()
            hit = z.argmax(1) == yva
        by = [round(hit[yva == c].float().mean().item(), 4) for c in range(4)]
        rec = {"epoch": epoch, "val_ce": round(vce, 5),
               "val_acc": round(hit.float().mean().item(), 4), "acc_by_class": by}
        fv.write(json.dumps(rec) + "\n")
        print(rec)
    fs.close()
    fv.close()
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epoch": 15,
                "classes": CLASSES, "lam": lam}, out / "counter_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="counter_cnn.ckpt", log="counter_val.jsonl",
           what="1-D CNN sorting fishway counter traces into shad / eel / lamprey / debris;"
                " an L2 penalty of 0.05 on the summed squared weights",
           complaint="我们给鱼道里的电阻式计数器训练了一个小卷积网络，用来区分西鲱、鳗鲡、七鳃鳗和"
                     "漂浮杂物。训练损失从头到尾一直停在1.386左右，几乎一点都不降，验证准确率只有"
                     "23%，所有的信号都被判成杂物，连那些又尖又短、一看就是西鲱的也一样。"
                     "调了学习率、多训练几轮都没有变化。")


if __name__ == "__main__":
    main()
