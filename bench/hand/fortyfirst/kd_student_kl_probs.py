"""Knowledge distillation on a synthetic loan-risk table: a fixed teacher (a 24 → 256 → 256
→ 6 MLP, "trained earlier", here built from seed 1 and frozen) labels 6 risk grades; the rows'
labels are drawn from the teacher's softmax at temperature 0.7, so the teacher's soft targets
carry more than the hard labels. The student (24 → 48 → 6, ReLU) learns from 600 labelled rows
with ``0.7 · T² · KL(teacher_T ‖ student_T) + 0.3 · CE`` at T = 3, Adam 2e-3, batch 64,
30 epochs; validated on 2000 rows (accuracy against the drawn labels, CE, and agreement with
the teacher's top grade). The log is JSON lines per epoch (``kd``, ``ce``, ``val_ce``,
``val_acc``, ``val_agree``).
Bug: the distillation term is written ``F.kl_div(F.softmax(s / T, 1), F.softmax(t / T, 1),
reduction="batchmean")`` — the student's *probabilities* where ``kl_div`` expects its
log-probabilities, so the term is Σ t·(log t − p_s), negative, minimised by piling the
student's mass onto the teacher's top grade instead of matching the teacher's distribution."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

FEAT, GRADES, T, ALPHA = 24, 6, 3.0, 0.7


def teacher():
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(FEAT, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(),
                        nn.Linear(256, GRADES))
    with torch.no_grad():
        net[4].weight.mul_(6.0)
    return net.eval().requires_grad_(False)


def table(n, g, net):
    x = torch.randn(n, FEAT, generator=g)
    with torch.no_grad():
        t = net(x)
    y = torch.multinomial(torch.softmax(t / 0.7, 1), 1, generator=g).squeeze(1)
    return x, t, y


class Student(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(FEAT, 48), nn.ReLU(), nn.Linear(48, GRADES))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return Student()


def main():
    from _fortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tnet = teacher()
    x, t, y = table(2600, g, tnet)
    tx, tt, ty, vx, vt, vy = x[:600], t[:600], y[:600], x[600:], t[600:], y[600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "distill.jsonl", "w")
    for epoch in range(30):
        model.train()
        kd_sum = ce_sum = 0.0
        for idx in torch.randperm(600, generator=g).split(64):
            s = model(tx[idx])
            kd = F.kl_div(F.softmax(s / T, 1), F.softmax(tt[idx] / T, 1),
                          reduction="batchmean") * T * T
            ce = F.cross_entropy(s, ty[idx])
            loss = ALPHA * kd + (1 - ALPHA) * ce
            opt.zero_grad()
            loss.backward()
            opt.step()
            kd_sum, ce_sum = kd_sum + kd.item() * len(idx), ce_sum + ce.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(vx)
            vce = F.cross_entropy(s, vy).item()
            acc = (s.argmax(1) == vy).float().mean().item()
            agree = (s.argmax(1) == vt.argmax(1)).float().mean().item()
        row = {"epoch": epoch, "kd": round(kd_sum / 600, 4), "ce": round(ce_sum / 600, 4),
               "val_ce": round(vce, 4), "val_acc": round(acc, 4), "val_agree": round(agree, 4)}
        log.write(json.dumps(row) + "\n")
        if epoch % 3 == 2:
            print(row)
    log.close()
    torch.save({"student": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch, "temperature": T, "alpha": ALPHA}, out / "student.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="student.pt", log="distill.jsonl",
           what="distilled student MLP, F.kl_div given the student's probabilities",
           complaint="蒸馏出来的学生模型验证集交叉熵越训越高，和老师的一致率也上不去，"
                     "而且 KD loss 一直是负数，不知道哪里出了问题")


if __name__ == "__main__":
    main()
