"""Plain torch: an MLP grades the boundary stretches a parish haywarden walks each spring, the
hedges and fences that keep the commoners' cattle off the open fields: sound, mend this season,
breach (stock can get through now). 7 inputs from his survey sheet per 20 m stretch: hedge
height (m), base thickness (m), gaps per 10 m, widest gap (m), post lean of the fenced part
(degrees), years since the hedge was last laid, and stock pressure on the common (head / ha).
The grade follows the manor court's rules on those numbers (widest gap > 0.8 m, or height
< 0.9 m with more than 1.5 head / ha, is a breach; else more than 2 gaps per 10 m, base under
0.6 m, lean over 20° or more than 12 years since laying is mend; else sound), read with the
survey's measuring noise, so the boundaries are fuzzy. Input: (7,) standardised with the train
mean / std. Model: 7→64→ReLU→64→ReLU→3; SGD 0.05 (momentum 0.9) with StepLR(step_size=8,
gamma=0.5) meant per epoch, batch 32, 30 epochs, 1600 stretches, validation on 400.
The bug: ``sched.step()`` sits inside the batch loop, so the learning rate halves every 8
batches instead of every 8 epochs: 50 batches an epoch, the rate is 0.05 × 2^-6 after the
first epoch and below 1e-8 by the fifth, and training freezes where the first epoch left it:
train CE 0.757 → 0.624, val CE 0.603 → 0.594 (flat from epoch 1), val accuracy 0.78 → 0.785
from epoch 1 to 29 (control, the step moved out to the epoch loop: train CE 0.630 → 0.078, val
CE 0.372 → 0.217-0.26, val accuracy 0.855 → 0.9075; breach recall 0.916 in both, the
mend / sound border is what the frozen net never learns).
Log: TSV per epoch ``fence_log.tsv`` (``epoch`` / ``lr`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_recall_breach``); checkpoint ``hedge_rater.pth`` with keys ``weights`` /
``opt_state`` / ``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``grades``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["sound", "mend", "breach"]


def survey(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    noise = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    height = 0.6 + 1.4 * r(n)
    base = 0.3 + 0.7 * r(n)
    gaps = 4 * r(n) ** 1.5
    widest = torch.where(gaps > 0.3, 1.4 * r(n) ** 1.3, torch.zeros(n))
    lean = 30 * r(n) ** 2
    laid = 20 * r(n)
    stock = 0.4 + 1.8 * r(n)
    breach = (widest + noise(0.05) > 0.8) | ((height + noise(0.05) < 0.9) & (stock > 1.5))
    mend = ((gaps + noise(0.15) > 2) | (base + noise(0.04) < 0.6) | (lean + noise(1.5) > 20)
            | (laid + noise(0.8) > 12))
    grade = torch.where(breach, 2, torch.where(mend, 1, 0))
    return torch.stack([height, base, gaps, widest, lean, laid, stock], 1), grade


class HedgeRater(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                nn.Linear(64, 3))

    def forward(self, x):
        return self.fc(x)


def build():
    torch.manual_seed(0)
    return HedgeRater()


def main():
    from _threehundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = survey(1600, g)
    rva, yva = survey(400, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("grades", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    with open(out / "fence_log.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_ce\tval_ce\tval_acc\tval_recall_breach\n")
        for epoch in range(30):
            model.train()
            lr = opt.param_groups[0]["lr"]
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                sched.step()  # halve the rate every 8
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [lr, tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 2] == 2).float().mean().item()]
            f.write("\t".join([str(epoch)] + [f"{v:.6g}" for v in row]) + "\n")
            print(epoch, [f"{v:.4g}" for v in row])
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 30, "feat_mean": mean,
                "feat_std": std, "grades": GRADES}, out / "hedge_rater.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="hedge_rater.pth", log="fence_log.tsv",
           what="MLP grading hedge / fence stretches on a haywarden's survey; StepLR stepped"
                " every batch instead of every epoch",
           complaint="Hedge grading MLP for the parish survey: after the first epoch nothing"
                     " changes at all. Train loss 0.76 then 0.626, 0.624, 0.624 ... val accuracy"
                     " sits at exactly 0.785 for 29 epochs, val loss 0.594 to four decimals. I"
                     " tried 30 epochs instead of 10 and got the identical numbers. Is the"
                     " network too small?")


if __name__ == "__main__":
    main()
