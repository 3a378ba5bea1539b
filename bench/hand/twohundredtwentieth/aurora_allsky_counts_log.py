"""Plain torch: a GRU tells an aurora-tour operator whether the all-sky camera will show an
aurora overhead in the next hour (binary), from the last 8 hours at 10-minute cadence (48
steps) of five readings: photon counts in the green (557.7 nm) and red (630.0 nm) oxygen
lines from the photometer, the magnetometer's H-component deflection (nT), the solar-wind Bz
(nT) and cloud cover. Tonight's aurora comes after a southward Bz turning followed by a growing
negative magnetometer bay and rising green counts; clouds hide it. Photon counts are
log-scaled as photometer counts usually are. GRU(5, 48) on the sequence, last hidden state,
Linear(48, 1), BCE with logits, Adam 2e-3, batch 64, 10 epochs of 1536 nights, 256
validation nights. Per-10-step TSV ``allsky.tsv`` (it, loss, val_loss, val_acc).

Bug: the counts are log-scaled with ``torch.log(counts)``; the photometer reads exactly 0
counts when it is shuttered against the moon or saturated headlights (about 2 % of the
10-minute readings), so those readings become -inf and every night with a shutter gap feeds
the GRU -inf. Numbers: 63 % of the nights have at least one
shutter gap; the training loss is nan from the first logged value (step 10) on, so are the
val loss and the weights in the checkpoint; val accuracy 0.715 at every evaluation (every
night predicted 'no aurora', the majority class, 71.5 %). Control (``torch.log1p(counts)``):
train loss 0.649 (steps 1-10) → 0.385 (40) → 0.153 (240), val loss 0.581 → 0.173 (80) → 0.102
(240), val accuracy 0.715 → 0.938 (80) → 0.973 (240)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 48


def nights(n, g):
    t = torch.arange(T).float()
    turn = torch.randint(0, T, (n, 1), generator=g).float()
    strength = torch.rand(n, 1, generator=g)
    bz = 2 - 8 * strength * (t >= turn).float() + 1.5 * torch.randn(n, T, generator=g)
    lag = (t - turn - 6).clamp(min=0)
    bay = -400 * strength * (1 - torch.exp(-lag / 6)) + 20 * torch.randn(n, T, generator=g)
    green = 50 + 3000 * strength * (1 - torch.exp(-lag / 8)) + 30 * torch.randn(n, T, generator=g)
    red = 20 + 600 * strength * (1 - torch.exp(-lag / 10)) + 15 * torch.randn(n, T, generator=g)
    cloud = (torch.rand(n, 1, generator=g) + 0.2 * torch.randn(n, T, generator=g)).clamp(0, 1)
    green, red = green.clamp(min=1).round(), red.clamp(min=1).round()
    shut = torch.rand(n, T, generator=g) < 0.02
    green, red = green.masked_fill(shut, 0.0), red.masked_fill(shut, 0.0)
    storm = strength[:, 0] * (1 - torch.exp(-lag[:, -1] / 8))
    y = ((storm > 0.3) & (cloud[:, -6:].mean(1) < 0.6)).float()
    return torch.stack([green, red, bay, bz, cloud], 2), y


def prepare(raw):
    counts = raw[..., :2]
    logc = torch.log(counts)
    return torch.cat([(logc - 5) / 2, raw[..., 2:3] / 200, raw[..., 3:4] / 5, raw[..., 4:]], 2)


class AuroraGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h[:, -1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return AuroraGRU()


def main():
    from _twohundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw, y = nights(1792, g)
    x = prepare(raw)
    print("aurora share", y.mean().item(), "nights with a shutter gap",
          (raw[..., 0] == 0).any(1).float().mean().item())
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "allsky.tsv", "w")
    f.write("it\tloss\tval_loss\tval_acc\n")
    it, run = 0, []
    for _ep in range(10):
        perm = torch.randperm(1536, generator=g)
        for i in range(0, 1536, 64):
            model.train()
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            run.append(loss.item())
            if it % 10 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                row = [it, sum(run) / len(run), F.binary_cross_entropy_with_logits(lv, yva).item(),
                       ((lv > 0).float() == yva).float().mean().item()]
                f.write("\t".join(str(round(v, 4)) for v in row) + "\n")
                print(json.dumps(row))
                run = []
    f.close()
    torch.save({"params": model.state_dict(), "optim_state": opt.state_dict(), "it": it,
                "epoch": 10}, out / "aurora_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="aurora_gru.pt", log="allsky.tsv",
           what="GRU predicting aurora visibility from photometer counts, magnetometer, Bz and"
                " cloud; counts log-scaled with log() and some are 0",
           complaint="极光预报的GRU模型从第一次记录开始损失就是nan，验证损失也是nan，"
                     "验证准确率一直是0.715，十个epoch完全没变化。学习率从2e-3降到1e-4也一样。"
                     "数据我检查过，没有缺失的文件。问题出在哪里？")


if __name__ == "__main__":
    main()
