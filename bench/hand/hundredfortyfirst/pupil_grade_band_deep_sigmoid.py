"""An exam board's early-warning model: predict a pupil's final grade band (U, pass, merit,
distinction) from 16 numbers the school submits by spring — six coursework component marks
(out of 40), two mock paper percentages, attendance %, homework completion %, reading age minus
actual age, prior-attainment score, free-school-meal flag, SEN flag, term of birth and number
of school moves — standardised. The band comes from a weighted score with a mock × attendance
interaction, a penalty for attendance under 85 % and for school moves, cut at fixed
thresholds, plus 8 % of pupils re-banded by ±1 (a bad day on the exam). 6000 pupils for
training, 1500 held out. A deep "so it can learn anything" MLP: 14 Linear layers of width 64 with
``nn.Sigmoid()`` between them, PyTorch's default init, no normalisation, no skip
connections; SGD lr 0.1 momentum 0.9, batch 64, 15 epochs; JSON lines per epoch
(epoch, loss_tr, loss_va, acc_va).
Bug: 14 sigmoid layers with default init: the gradient reaching the first layers is orders of
magnitude smaller than at the last (first-layer weight gradient 1e-11 vs 0.02–0.2 at the head
after each epoch), so the net sits at the class prior: train loss 1.381 → 1.345–1.347 from
epoch 4 on (the band entropy is ~1.34), val loss 1.348–1.369, val accuracy 0.374 in all 15
epochs = "distinction" (the largest band, 38 %) for all 1500 pupils. The control
(``DEPTH = 3``: 2 hidden sigmoid layers) reaches val accuracy 0.688 after epoch 1, 0.81–0.84
from epoch 2 and 0.868 at epoch 15, val loss 0.428, train loss 0.406."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = ["U", "pass", "merit", "distinction"]
DEPTH = 14


def pupils(n, g):
    cw = torch.rand(n, 6, generator=g) * 40
    ability = torch.randn(n, generator=g)
    cw = (cw * 0.5 + 20 + 8 * ability[:, None]).clamp(0, 40)
    mock = (55 + 15 * ability[:, None] + 8 * torch.randn(n, 2, generator=g)).clamp(0, 100)
    att = (100 - torch.rand(n, generator=g).pow(3) * 40).clamp(50, 100)
    hw = (70 + 10 * ability + 15 * torch.randn(n, generator=g)).clamp(0, 100)
    reading = 1.5 * ability + torch.randn(n, generator=g)
    prior = 100 + 12 * ability + 6 * torch.randn(n, generator=g)
    fsm = (torch.rand(n, generator=g) < 0.2).float()
    sen = (torch.rand(n, generator=g) < 0.12).float()
    term = torch.randint(0, 3, (n,), generator=g).float()
    moves = torch.poisson(torch.full((n,), 0.4), generator=g)
    score = (cw.mean(1) / 40 * 2 + mock.mean(1) / 100 * (att / 100) * 3 + 0.1 * reading
             - 0.8 * (att < 85).float() - 0.15 * moves - 0.1 * fsm)
    band = torch.bucketize(score, torch.tensor([1.7, 2.45, 3.0]))
    slip = torch.rand(n, generator=g) < 0.08
    band = torch.where(slip, (band + torch.randint(0, 2, (n,), generator=g) * 2 - 1).clamp(0, 3),
                       band)
    x = torch.cat([cw, mock, att[:, None], hw[:, None], reading[:, None], prior[:, None],
                   fsm[:, None], sen[:, None], term[:, None], moves[:, None]], 1)
    return x, band


def build():
    torch.manual_seed(0)
    layers, width = [], 16
    for _ in range(DEPTH - 1):
        layers += [nn.Linear(width, 64), nn.Sigmoid()]
        width = 64
    return nn.Sequential(*layers, nn.Linear(width, 4))


def main():
    from _hundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x, y = pupils(7500, g)
    mu, sd = x[:6000].mean(0), x[:6000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:6000], y[:6000], x[6000:], y[6000:]
    print("band shares", (torch.bincount(y, minlength=4) / len(y)).tolist())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    log = open(out / "gradeband.jsonl", "w")
    for epoch in range(1, 16):
        model.train()
        perm = torch.randperm(6000)
        tot = 0.0
        for i in range(0, 6000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch, "loss_tr": round(tot / 6000, 4),
                   "loss_va": round(F.cross_entropy(lo, yva).item(), 4),
                   "acc_va": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, torch.bincount(lo.argmax(1), minlength=4).tolist(),
              f"{model[0].weight.grad.norm().item():.2e} {model[-1].weight.grad.norm().item():.2e}")
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "feature_mean": mu, "feature_std": sd, "bands": BANDS},
               out / "gradeband_mlp_e15.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="gradeband_mlp_e15.pt", log="gradeband.jsonl",
           what="14-layer sigmoid MLP, default init, no norm/skips: first-layer gradients vanish",
           complaint=COMPLAINT)


COMPLAINT = ("我们考试局的成绩等级预警模型（14 层全连接网络）完全没学到东西：训练 15 个 epoch，"
             "训练损失从 1.381 只降到 1.345 左右就不动了，验证准确率每个 epoch 都是 0.374，"
             "1500 个学生全部被预测成 distinction。特征我已经标准化了，"
             "按理说平时成绩和模拟考分数应该很有用。")

if __name__ == "__main__":
    main()
