"""Knowledge distillation on 8x8 "digits" (10 stroke prototypes, random shifts of the ink,
per-pixel noise, as 64 features): a teacher MLP 64-256-256-10 (dropout 0.2) is trained first
with plain cross-entropy, then a student 64-96-10 learns from
``alpha * T^2 * KL(softmax(s/T) || softmax(t/T)) + (1 - alpha) * CE(s, y)`` with T = 4,
alpha 0.7, the teacher frozen in eval mode and its logits computed on the same batch. Adam
3e-3, batch 64, 12 epochs for the student. The saved checkpoint and log are the student's.
Healthy: student val accuracy 0.946, teacher 0.97."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def digits(n, g, protos):
    y = torch.randint(0, 10, (n,), generator=g)
    img = protos[y].clone()
    shift = torch.randint(-1, 2, (n, 2), generator=g)
    for i in range(n):
        img[i] = torch.roll(img[i], tuple(shift[i].tolist()), dims=(0, 1))
    img = img + 0.5 * torch.randn(n, 8, 8, generator=g)
    return img.flatten(1), y


def prototypes(g):
    return (torch.rand(10, 8, 8, generator=g) < 0.3).float()


def teacher_net():
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 256),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, 96), nn.ReLU(), nn.Linear(96, 10))


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    protos = prototypes(g)
    x, y = digits(6000, g, protos)
    vx, vy = digits(1000, g, protos)

    torch.manual_seed(1)
    teacher = teacher_net()
    topt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for _ in range(8):
        teacher.train()
        for idx in torch.randperm(len(x), generator=g).split(64):
            loss = F.cross_entropy(teacher(x[idx]), y[idx])
            topt.zero_grad()
            loss.backward()
            topt.step()
    teacher.eval()
    with torch.no_grad():
        t_acc = (teacher(vx).argmax(1) == vy).float().mean().item()
    print("teacher val acc", t_acc)

    T, alpha = 4.0, 0.7
    student = build()
    opt = torch.optim.Adam(student.parameters(), lr=3e-3)
    with open(out / "student_metrics.csv", "w", newline="") as f:
        wr = csv.DictWriter(f, ["epoch", "loss", "kd_loss", "ce_loss", "val_loss", "val_acc",
                                "teacher_val_acc"])
        wr.writeheader()
        for epoch in range(12):
            student.train()
            sums = [0.0, 0.0, 0.0]
            for idx in torch.randperm(len(x), generator=g).split(64):
                s = student(x[idx])
                with torch.no_grad():
                    t = teacher(x[idx])
                kd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1),
                              reduction="batchmean") * T * T
                ce = F.cross_entropy(s, y[idx])
                loss = alpha * kd + (1 - alpha) * ce
                opt.zero_grad()
                loss.backward()
                opt.step()
                for k, v in enumerate((loss, kd, ce)):
                    sums[k] += v.item() * len(idx)
            student.eval()
            with torch.no_grad():
                o = student(vx)
            rec = {"epoch": epoch, "loss": sums[0] / len(x), "kd_loss": sums[1] / len(x),
                   "ce_loss": sums[2] / len(x), "val_loss": F.cross_entropy(o, vy).item(),
                   "val_acc": (o.argmax(1) == vy).float().mean().item(), "teacher_val_acc": t_acc}
            wr.writerow(rec)
            print({k: round(v, 4) for k, v in rec.items()})
    torch.save({"student": student.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch, "T": T, "alpha": alpha}, out / "student.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=[], checkpoint="student.pt",
           log="student_metrics.csv",
           what="distillation of an MLP teacher into a small student, T 4 on both sides "
                "(healthy)")


if __name__ == "__main__":
    main()
