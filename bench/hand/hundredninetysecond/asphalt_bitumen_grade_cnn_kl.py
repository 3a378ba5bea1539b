"""Plain torch: a 1-D CNN reads an asphalt plant's binder-lab dynamic shear rheometer sweep
(log G*/sin δ and phase angle at 16 temperatures, 46-91 °C, 2 channels) and predicts the
performance-grade distribution over the 5 high-temperature grades PG 58/64/70/76/82. Targets
are the lab's soft labels: a softmax over how far the failure temperature (where G*/sin δ falls
to 1 kPa) lies from each grade, so a binder near a grade boundary is split between two grades.
Conv1d(2→16)-ReLU-Conv1d(16→32)-ReLU-Conv1d(32→32)-ReLU, global average, Linear(32→5);
Adam 2e-3, ``nn.KLDivLoss(reduction="batchmean")``, batch 32, 20 epochs of 1024 sweeps.
The bug: the loss is called as ``kl(torch.softmax(logits, 1), soft)``: KLDivLoss wants
log-probabilities as its input, so it gets probabilities and the logged "KL" is negative from
the first epoch (train −0.48 → −0.90, val −0.56 → −0.85, flat from epoch 5): the gradient only
pushes up the probabilities on the lab's likelier grades, the soft labels are never matched,
and the predictions collapse onto one-hot guesses; val top-1 agreement with the lab 0.29 →
0.64, true val KL (computed with log-probabilities after training) 14.6. Control
(``torch.log_softmax``, both calls, one sed): val KL 1.01 after epoch 1, 0.036 at epoch 5,
0.0068 at epoch 20, val top-1 0.98."""
import json

import torch
import torch.nn as nn

TEMPS = torch.linspace(46, 91, 16)
GRADES = torch.tensor([58.0, 64.0, 70.0, 76.0, 82.0])


def sweeps(n, g):
    tfail = 55 + 30 * torch.rand(n, 1, generator=g)
    slope = 0.045 + 0.02 * torch.rand(n, 1, generator=g)
    logg = -slope * (TEMPS[None] - tfail)  # log10 kPa, 0 at the failure temperature
    delta = 70 + 15 * torch.sigmoid((TEMPS[None] - tfail) / 6) + 3 * torch.randn(n, 1, generator=g)
    x = torch.stack([logg + 0.03 * torch.randn(n, 16, generator=g),
                     (delta - 80) / 10 + 0.05 * torch.randn(n, 16, generator=g)], 1)
    # the grade is the highest PG grade whose temperature the binder survives (+3 centre)
    soft = torch.softmax(-((tfail - (GRADES[None] + 3)) / 2.5) ** 2, 1)
    return x, soft


class GradeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv1d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.conv(x).mean(2))


def build():
    torch.manual_seed(0)
    return GradeCNN()


def main():
    from _hundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ptr = sweeps(1024, g)
    xva, pva = sweeps(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    kl = nn.KLDivLoss(reduction="batchmean")
    step = 0
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                logits = model(xtr[idx])
                loss = kl(torch.softmax(logits, 1), ptr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl = kl(torch.softmax(lv, 1), pva).item()
                top1 = (lv.argmax(1) == pva.argmax(1)).float().mean().item()
            rec = {"epoch": epoch + 1, "step": step, "train_kl": round(tot / 1024, 4),
                   "val_kl": round(vl, 4), "val_top1": round(top1, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    with torch.no_grad():
        true_kl = nn.functional.kl_div(torch.log_softmax(model(xva), 1), pva,
                                       reduction="batchmean").item()
    print("true val KL", round(true_kl, 4))
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 20,
                "step": step, "grades": GRADES}, out / "binder_grade_cnn.pt")
    finish(out, __file__, (xva[:64], pva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="binder_grade_cnn.pt", log="history.jsonl",
           what="asphalt binder PG-grade CNN trained with KLDivLoss on probabilities instead of"
                " log-probabilities",
           complaint=("我们沥青拌合站的胶结料分级模型（1维CNN，输入DSR温度扫描，输出5个PG高温等级的"
                      "分布，用实验室给的软标签训练）有问题：KL散度损失从第一个epoch就是负数，"
                      "训练从 -0.48 降到 -0.90，验证集到 -0.85 就不动了。KL不是应该大于等于0吗？"
                      "而且预测的分布和实验室的软标签对不上，验证集top-1一致率只有0.64左右。"))


if __name__ == "__main__":
    main()
