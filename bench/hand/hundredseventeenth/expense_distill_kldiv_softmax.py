"""Accounting: expense-report lines coded to 8 general-ledger expense accounts (airfare,
lodging, meals, ground transport, software subscriptions, office supplies, training fees,
client entertainment). A teacher MLP (256-256, trained for 6 epochs on 3000 lines coded by
the AP team) is distilled into a small student (32 hidden) that will run inside the expense
tool, on an uncoded transfer set of 6000 lines from a newly acquired subsidiary: pure
distillation, temperature 4, ``nn.KLDivLoss(reduction="batchmean")`` · T², Adam 3e-3, batch 128,
8 epochs. Features per line (synthetic): the merchant-category-code group (embedding 6), log
amount, weekday, hour, travel-flag, attendee count, a hashed bag of 64 description tokens
(category-specific tokens plus common ones). Val = 1000 coded lines. JSON lines per epoch:
``kd_loss``, ``val_ce`` and ``val_acc`` of the student, ``teacher_val_acc``, and the agreement
of student and teacher on the transfer set.
Bug: the student side of the KL divergence is passed as probabilities,
``kd(F.softmax(s / T, 1), F.softmax(t / T, 1))``, where ``nn.KLDivLoss`` expects
log-probabilities as its input; the "loss" is then −H(teacher) − Σ teacher · student_prob,
negative, and minimising it drives the student to put all its mass on the teacher's top
class instead of matching the soft targets: kd_loss −24.8 → −30.4, the student's val CE 3.9 →
9.4 → 5.9 (over-confident) and val accuracy 0.80 against the teacher's 0.915."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

K, N_MCC, N_TOK, T = 8, 20, 64, 4.0


def expense_lines(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    gs = torch.Generator().manual_seed(3)
    mcc_of = torch.randint(0, N_MCC, (K, 3), generator=gs)
    tok_of = torch.randint(0, N_TOK, (K, 6), generator=gs)
    amt_mu = torch.tensor([6.0, 5.3, 3.6, 3.2, 4.2, 3.0, 5.8, 4.9])
    mcc = torch.where(torch.rand(n, generator=g) < 0.7,
                      mcc_of[y, torch.randint(0, 3, (n,), generator=g)],
                      torch.randint(0, N_MCC, (n,), generator=g))
    bag = (torch.rand(n, N_TOK, generator=g) < 0.04).float()
    for _ in range(3):
        hit = torch.rand(n, generator=g) < 0.6
        bag[torch.arange(n)[hit], tok_of[y[hit], torch.randint(0, 6, (int(hit.sum()),), generator=g)]] = 1
    amount = amt_mu[y] + 0.7 * torch.randn(n, generator=g)
    travel = (torch.rand(n, generator=g) < torch.where(y < 4, 0.8, 0.15)).float()
    att = torch.where(y == 7, 2 + torch.randint(0, 5, (n,), generator=g),
                      torch.ones(n, dtype=torch.long)).float()
    wd = torch.randint(0, 7, (n,), generator=g).float()
    hour = 8 + 12 * torch.rand(n, generator=g)
    x = torch.cat([torch.stack([amount - 4.5, travel, att / 3, wd / 6, (hour - 14) / 6], 1), bag], 1)
    return mcc, x, y


class LineNet(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.mcc = nn.Embedding(N_MCC, 6)
        self.mlp = nn.Sequential(nn.Linear(6 + 5 + N_TOK, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, K))

    def forward(self, mcc, x):
        return self.mlp(torch.cat([self.mcc(mcc), x], 1))


def build():
    torch.manual_seed(0)
    return LineNet(32)


def main():
    from _hundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    m_lab, x_lab, y_lab = expense_lines(3000, g)
    m_tf, x_tf, _ = expense_lines(6000, g)  # the subsidiary's uncoded lines
    m_va, x_va, y_va = expense_lines(1000, g)
    torch.manual_seed(1)
    teacher = LineNet(256)
    topt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for _ in range(6):
        perm = torch.randperm(3000, generator=g)
        for i in range(0, 3000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(teacher(m_lab[idx], x_lab[idx]), y_lab[idx])
            topt.zero_grad()
            loss.backward()
            topt.step()
    teacher.eval()
    with torch.no_grad():
        t_all = teacher(m_tf, x_tf)
        t_acc = (teacher(m_va, x_va).argmax(1) == y_va).float().mean().item()
    student = build()
    kd = nn.KLDivLoss(reduction="batchmean")
    opt = torch.optim.Adam(student.parameters(), lr=3e-3)
    log = open(out / "distill.jsonl", "w")
    for epoch in range(8):
        student.train()
        perm = torch.randperm(6000, generator=g)
        tot = 0.0
        for i in range(0, 6000, 128):
            idx = perm[i:i + 128]
            s = student(m_tf[idx], x_tf[idx])
            loss = kd(F.softmax(s / T, 1), F.softmax(t_all[idx] / T, 1)) * T * T
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        student.eval()
        with torch.no_grad():
            lo = student(m_va, x_va)
            agree = (student(m_tf, x_tf).argmax(1) == t_all.argmax(1)).float().mean().item()
        rec = {"epoch": epoch + 1, "kd_loss": round(tot / 6000, 5),
               "val_ce": round(F.cross_entropy(lo, y_va).item(), 5),
               "val_acc": round((lo.argmax(1) == y_va).float().mean().item(), 4),
               "teacher_val_acc": round(t_acc, 4), "agreement": round(agree, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"student": student.state_dict(), "optim": opt.state_dict(), "epoch": 8,
                "temperature": T, "gl_accounts": K}, out / "student_kd.pt")
    finish(out, __file__, {"inputs": m_va[:128], "x": x_va[:128], "targets": y_va[:128]},
           causes=["kl_div_wrong_inputs"], checkpoint="student_kd.pt", log="distill.jsonl",
           what="expense-line GL-account student distilled with nn.KLDivLoss fed softmax "
                "probabilities instead of log-probabilities",
           complaint="Distilling our expense-coding teacher (val acc 0.915) into the small student "
                     "for the expense tool: the KD loss is negative from the first epoch and keeps "
                     "falling (-24.8 to -30.4), the student's validation cross-entropy is 5.9 after "
                     "8 epochs (it was 9.4 at epoch 3) and its accuracy stops at 0.80; it agrees "
                     "with the teacher on only 83 % of the subsidiary's lines.")


if __name__ == "__main__":
    main()
