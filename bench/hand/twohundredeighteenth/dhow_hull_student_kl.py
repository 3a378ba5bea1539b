"""Plain torch: knowledge distillation for a dhow survey app. Surveyors in a dhow harbour
measure 12 things on a hull (length, beam, depth, stem rake, sternpost rake, transom width,
sheer, mast count, mast rake, deck-house length, planking width, displacement estimate) and the
app names the type: boom (double-ended, raked stem), sambuk (transom stern, curved stem),
baghlah (high transom, big deck house), jalibut (small, upright stem, transom) or zaruk (small,
slim, double-ended). A teacher MLP 12-128-128-5 is trained first on 1536 labelled hulls (Adam
1e-3, 12 epochs, cross-entropy); the student for the phone, MLP 12-24-5, learns only from the
teacher's softened outputs (temperature 3, KL divergence × T², Adam 3e-3, batch 64, 8 epochs
on the same hulls, shuffled). A JSON line per student epoch (``epoch``, ``kd_loss``,
``val_loss`` = student cross-entropy on 384 held-out hulls, ``val_acc``, ``teacher_val_acc``);
checkpoint ``student`` / ``optimizer`` / ``epoch`` / ``temperature``.
The bug: ``F.kl_div(F.softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean")``: the
student's *probabilities* go where ``kl_div`` expects log-probabilities.
Teacher val accuracy 0.984. Student: ``kd_loss`` negative and falling (−7.2 → −11.7), val
accuracy 0.82, 0.79, 0.78, 0.79, 0.81, 0.81, 0.81, 0.81, student val cross-entropy 1.10, 0.64,
0.82, 1.11, 1.26, 1.23, 1.08, 0.91 (up while the accuracy is flat).
Control (``F.log_softmax(s / T, 1)``): ``kd_loss`` 8.5 → 0.39, val accuracy 0.815, 0.80, 0.81,
0.84, 0.87, 0.90, 0.94, 0.96, val cross-entropy 1.10 → 0.126."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 3.0


def hulls(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    #         length beam depth stem  stern transom sheer masts mrake house plank disp
    proto = torch.tensor([
        [0.9, 0.6, 0.5, 1.2, 1.0, -1.2, 0.4, 0.8, 0.6, 0.0, 0.3, 0.8],    # boom
        [0.6, 0.7, 0.4, 0.5, -0.6, 0.6, 0.2, 0.8, 0.5, 0.2, 0.2, 0.6],    # sambuk
        [1.0, 0.9, 0.9, 0.3, -0.8, 1.2, 0.8, 0.8, 0.3, 1.2, 0.4, 1.1],    # baghlah
        [-0.6, -0.3, -0.4, -0.8, -0.5, 0.5, -0.3, -0.8, -0.2, -0.4, -0.2, -0.6],  # jalibut
        [-0.8, -0.9, -0.6, 0.4, 0.9, -1.0, -0.5, -0.8, 0.2, -0.8, -0.4, -0.9]])  # zaruk
    size = 0.5 * torch.randn(n, 1, generator=g)  # a big jalibut can be the size of a small sambuk
    x = proto[y] + 0.45 * torch.randn(n, 12, generator=g)
    x[:, [0, 1, 2, 11]] += size
    return x, y


def teacher_net():
    return nn.Sequential(nn.Linear(12, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 5))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 24), nn.ReLU(), nn.Linear(24, 5))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = hulls(1536, g)
    xva, yva = hulls(384, g)
    torch.manual_seed(1)
    teacher = teacher_net()
    topt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for _ in range(12):
        perm = torch.randperm(1536, generator=g)
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(teacher(xtr[idx]), ytr[idx])
            topt.zero_grad()
            loss.backward()
            topt.step()
    teacher.eval()
    with torch.no_grad():
        soft_all = teacher(xtr)
        t_acc = (teacher(xva).argmax(1) == yva).float().mean().item()
    student = build()
    opt = torch.optim.Adam(student.parameters(), lr=3e-3)
    lines = []
    for epoch in range(8):
        student.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            s = student(xtr[idx])
            loss = F.kl_div(F.softmax(s / T, 1), F.softmax(soft_all[idx] / T, 1),
                            reduction="batchmean") * T * T
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        student.eval()
        with torch.no_grad():
            lv = student(xva)
        rec = {"epoch": epoch + 1, "kd_loss": round(tot / 1536, 4),
               "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
               "teacher_val_acc": round(t_acc, 4)}
        print(rec)
        lines.append(json.dumps(rec))
    (out / "distill.jsonl").write_text("\n".join(lines) + "\n")
    torch.save({"student": student.state_dict(), "optimizer": opt.state_dict(), "epoch": 8,
                "temperature": T}, out / "hull_student.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="hull_student.pt", log="distill.jsonl",
           what="dhow hull-type student MLP distilled with kl_div fed probabilities",
           complaint=("我们用一个大模型（验证集准确率 98.4%）蒸馏出一个给手机用的小模型，"
                      "按船体测量数据识别单桅帆船（dhow）的类型。小模型训练了 8 个 epoch，"
                      "验证准确率一直卡在 0.78-0.81，验证交叉熵反而从 0.64 涨到 1.26，"
                      "而且蒸馏 loss 是负数，从 -7.2 一直降到 -11.7，这正常吗？"
                      "是小模型容量太小了吗？"))


if __name__ == "__main__":
    main()
