"""Plain torch: a GRU reads the 24-day acclimatisation log of a Himalayan expedition member,
kept by the sirdar of the sherpa team (per day: altitude slept at, altitude reached, blood
oxygen, resting heart rate, headache score, wind at camp), and predicts how the summit push
will end: summit, turned back, or evacuated. Climbers who climbed high and slept low, whose
oxygen recovered between rotations and whose heart rate settled summit; a falling oxygen trend
with headaches late means evacuation; the rest turn back (the thresholds also depend on the
wind in the last week). GRU(6→48), Linear(48→48)-ReLU-Linear(48→3); cross-entropy, Adam 3e-3,
batch 64, 16 epochs of 1024 climbers, shuffled. Per-epoch JSON lines ``acclim_log.jsonl``
(ep, loss, val_loss, val_acc on 256 held-out climbers).
The bug: the script warms the head up for 3 epochs with the GRU frozen and builds the optimizer
from the parameters that require grad at that moment (``filter(lambda p: p.requires_grad,
...)``); at epoch 4 it sets ``requires_grad = True`` on the GRU again, but the optimizer was
never given those parameters, so the GRU gets gradients and is never stepped: the head learns
on random GRU features for all 16 epochs.
The summit/turned-back/evacuated split is 653/307/320 of 1280. The run: train loss 1.052
(epoch 1) → 0.958 (epoch 16), val loss 0.992 → 0.911, val accuracy 0.555 → 0.602 (the majority
class is 0.51).
Control (``sed 's/^    opt = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters())/
    opt = torch.optim.Adam(model.parameters()/'``; the frozen GRU then gets no gradients for 3
epochs, as planned, and trains after): the same first 3 epochs, then val accuracy 0.57-0.63
up to epoch 11 (the GRU finding the first week), 0.816 at epoch 12, 0.856 at epoch 16; train
loss 0.424, val loss 0.340."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 24


def logs(n, g):
    d = torch.linspace(0, 1, T)
    top = 4500 + 2500 * torch.rand(n, 1, generator=g)
    rot = 2 + torch.randint(0, 3, (n, 1), generator=g).float()
    reached = 3500 + (top - 3500) * d * (0.8 + 0.2 * torch.sin(rot * 3.1416 * d).abs())
    climb_high = torch.rand(n, 1, generator=g)
    slept = reached - 300 - 500 * climb_high
    first = torch.randn(n, 1, generator=g)  # how the first rotation went
    wk1 = (d < 0.3).float()
    spo2 = (90 - (reached - 3500) / 250 + 3 * first * wk1 + 0.5 * torch.randn(n, 1, generator=g)
            + 1.2 * torch.randn(n, T, generator=g))
    hr = 60 + (reached - 3500) / 150 - 4 * first * wk1 + 3 * torch.randn(n, T, generator=g)
    head = (0.6 * torch.rand(n, 1, generator=g) * d + 0.3 * torch.randn(n, T, generator=g)).clamp(
        min=0)
    wind = 20 + 25 * torch.rand(n, 1, generator=g) * d ** 3 + 5 * torch.randn(n, T, generator=g)
    x = torch.stack([(slept - 5000) / 1000, (reached - 5000) / 1000, (spo2 - 80) / 6,
                     (hr - 75) / 10, head, (wind - 25) / 10], 2)
    late_wind = wind[:, -7:].mean(1)
    score = first[:, 0] + 0.6 * climb_high[:, 0] - 0.05 * (late_wind - 30)
    evac = (first[:, 0] < -0.4) & (head[:, -8:].mean(1) > 0.2)
    y = torch.where(evac, 2, torch.where(score > 0.3, 0, 1))
    return x, y


class AcclimNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 48), nn.ReLU(), nn.Linear(48, 3))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return AcclimNet()


def main():
    from _twohundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = logs(1280, g)
    print("summit / turned back / evacuated", torch.bincount(y, minlength=3).tolist())
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    for p in model.gru.parameters():  # warm the head up first
        p.requires_grad = False
    opt = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=3e-3)
    f = open(out / "acclim_log.jsonl", "w")
    for ep in range(1, 17):
        if ep == 4:
            for p in model.gru.parameters():
                p.requires_grad = True
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rec = {"ep": ep, "loss": round(tot / 1024, 4),
               "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 16}, out / "acclim_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="acclim_gru.pt", log="acclim_log.jsonl",
           what="GRU predicting a climber's summit-push outcome from the acclimatisation log;"
                " the GRU is unfrozen after a head warm-up but was never in the optimizer",
           complaint=("我们给夏尔巴向导队做的登顶结果预测（24 天适应期记录 → 登顶/折返/撤离），GRU 训练了"
                      " 16 个 epoch，验证准确率一直在 0.55-0.60 之间，loss 从 1.05 只降到 0.96。"
                      "训练 loss 也几乎不降，多数类占比就有 0.51，等于模型几乎什么都没学到。"
                      "是数据不够还是模型太小？"))


if __name__ == "__main__":
    main()
