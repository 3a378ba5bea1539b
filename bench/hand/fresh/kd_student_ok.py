"""Knowledge distillation: a wide teacher MLP is trained first on 10-class clustered data,
then a small student learns from its softened outputs (T = 4, alpha = 0.7) plus the hard
labels; KL on log-probabilities vs probabilities, times T^2 (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T, ALPHA = 4.0, 0.7


def clusters(n, seed):
    centres = torch.randn(30, 16, generator=torch.Generator().manual_seed(5)) * 1.3
    g = torch.Generator().manual_seed(seed)
    k = torch.randint(0, 30, (n,), generator=g)
    return centres[k] + torch.randn(n, 16, generator=g), k % 10  # 3 clusters per class


def mlp(width):
    return nn.Sequential(nn.Linear(16, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                         nn.Linear(width, 10))


def build():
    """The student (what the checkpoint holds)."""
    torch.manual_seed(0)
    return mlp(24)


def distill_loss(student_logits, teacher_logits, labels):
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=1),
                    F.softmax(teacher_logits / T, dim=1), reduction="batchmean") * T * T
    return ALPHA * soft + (1 - ALPHA) * F.cross_entropy(student_logits, labels)


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    x, y = clusters(4000, 0)
    vx, vy = clusters(1000, 1)
    torch.manual_seed(1)
    teacher = mlp(256)
    topt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for _ in range(400):
        idx = torch.randint(0, len(x), (128,))
        topt.zero_grad()
        F.cross_entropy(teacher(x[idx]), y[idx]).backward()
        topt.step()
    teacher.eval()
    with torch.no_grad():
        teacher_acc = (teacher(vx).argmax(1) == vy).float().mean().item()
    student = build()
    opt = torch.optim.Adam(student.parameters(), lr=3e-3)
    log = csv.writer(open(out / "distill.csv", "w", newline=""))
    log.writerow(["step", "kd_loss", "student_val_acc", "teacher_val_acc"])
    for step in range(600):
        idx = torch.randint(0, len(x), (128,))
        with torch.no_grad():
            t_logits = teacher(x[idx])
        loss = distill_loss(student(x[idx]), t_logits, y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 25 == 0 or step == 599:
            with torch.no_grad():
                acc = (student(vx).argmax(1) == vy).float().mean().item()
            log.writerow([step, loss.item(), acc, teacher_acc])
    print(f"teacher acc {teacher_acc:.3f}  student acc {acc:.3f}  last loss {loss.item():.3f}")
    torch.save({"student": student.state_dict(), "optimizer": opt.state_dict(), "step": 600},
               out / "student.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="student.pt",
           log="distill.csv", what="KD student, kl_div(log_softmax, softmax) * T^2: healthy")


if __name__ == "__main__":
    main()
