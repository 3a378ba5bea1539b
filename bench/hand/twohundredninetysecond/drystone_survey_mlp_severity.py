"""Plain torch: an MLP reads a drystone wall condition survey (per 10 m length: height, age,
lean, face stone size, through-stone count, sheep rubbing, tree roots, frost days, water
seeping at the foot) and flags four defects a waller checks for, as a multi-label head:
a bulge, a lean out of plumb, lost cope stones, and a "rotten" core (hearting washed out).
Each defect is present when a rule on the survey numbers crosses a threshold (a logistic with
scatter); the survey sheet codes each defect as 0 (none), 1 (slight) or 2 (needs rebuilding).
MLP 9→64-ReLU-64-ReLU→4 logits, BCE-with-logits per defect, SGD momentum 0.9 at 0.01, batch
64, 20 epochs, 2400 lengths, validation on 480.
Bug: the survey's 0/1/2 severity codes go straight in as the BCE targets (``# severity
0/1/2 as the target``), so a "needs rebuilding" length asks for a probability of 2: the loss
has no floor there and the net pushes those logits up without end. Control (``(str_ > 0)
.float()``, one-line sed): train BCE 0.683 → 0.386, val BCE 0.675 → 0.396, val accuracy
0.59 → 0.819, mean val logit about 0.09. With the bug: train BCE 0.523 → 0.069 → -1.44 →
-143 at epoch 3 and NaN from epoch 4 on; val BCE (on present/absent) 0.736 → 1.15 → 2.91 →
556, mean val logit 0.98 → 3.0 → 12.8 → 3667, then NaN; val accuracy 0.53, 0.53, 0.57, 0.60,
then 0.472 (every defect flagged "absent" on NaN) for the last 16 epochs.
Log: TSV per epoch ``survey_log.tsv`` (``epoch`` / ``bce_train`` / ``bce_val`` / ``acc_val`` /
``mean_logit_val``); checkpoint ``survey_mlp.pt`` with keys ``net`` / ``sgd`` / ``epoch`` /
``defects``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DEFECTS = ["bulge", "lean", "cope_lost", "core_washed"]


def survey(n, g):
    def u(a, b):
        return a + (b - a) * torch.rand(n, generator=g)
    h, age, lean, stone = u(0.8, 2.0), u(20, 250), u(0, 8), u(0.1, 0.5)
    through, sheep, roots = u(0, 6), u(0, 1), u(0, 1)
    frost, seep = u(10, 90), u(0, 1)
    z = torch.stack([
        3 * h - 0.6 * through - 6 * stone + 2.5 * seep + age / 100 - 2.8,
        0.7 * lean + 1.5 * roots - 4.0,
        2.5 * sheep + frost / 30 + age / 150 - 3.8,
        3 * seep + age / 80 - 4 * stone - 1.5,
    ], 1)
    p = torch.sigmoid(1.8 * z + 0.6 * torch.randn(n, 4, generator=g))
    present = (torch.rand(n, 4, generator=g) < p)
    severe = present & (torch.rand(n, 4, generator=g) < torch.sigmoid(z))
    sev = present.long() + severe.long()
    x = torch.stack([(h - 1.4) / 0.35, (age - 135) / 66, (lean - 4) / 2.3, (stone - 0.3) / 0.12,
                     (through - 3) / 1.7, (sheep - 0.5) / 0.29, (roots - 0.5) / 0.29,
                     (frost - 50) / 23, (seep - 0.5) / 0.29], 1)
    return x, sev


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, str_ = survey(2400, g)
    xva, sva = survey(480, g)
    print("severity shares", [torch.bincount(str_[:, j], minlength=3).tolist() for j in range(4)])
    ytr = str_.float()  # severity 0/1/2 as the target
    yva = (sva > 0).float()
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    log = open(out / "survey_log.tsv", "w")
    log.write("epoch\tbce_train\tbce_val\tacc_val\tmean_logit_val\n")
    for epoch in range(20):
        net.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.binary_cross_entropy_with_logits(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        net.eval()
        with torch.no_grad():
            z = net(xva)
            bv = F.binary_cross_entropy_with_logits(z, yva).item()
            acc = ((z > 0).float() == yva).float().mean().item()
        log.write(f"{epoch}\t{tot / len(xtr):.5f}\t{bv:.5f}\t{acc:.4f}\t{z.mean().item():.4f}\n")
        print(epoch, round(tot / len(xtr), 4), round(bv, 4), round(acc, 4),
              round(z.mean().item(), 3))
    log.close()
    torch.save({"net": net.state_dict(), "sgd": opt.state_dict(), "epoch": 20,
                "defects": DEFECTS}, out / "survey_mlp.pt")
    finish(out, __file__, (xva[:64], sva[:64].float()), causes=["label_out_of_range"],
           checkpoint="survey_mlp.pt", log="survey_log.tsv",
           what="multi-label MLP flagging drystone wall defects from a survey; 0/1/2 severity"
                " codes used as BCE targets",
           complaint="We trained a small net on our drystone wall survey sheets to flag bulges,"
                     " leans, lost copes and washed-out cores. The training loss drops fast,"
                     " then goes below zero in the third epoch (which I did not think a loss"
                     " could do), then to -143, and from the fifth epoch everything is NaN."
                     " Before it blew up the scores were climbing on every length at once."
                     " A lower learning rate only made it blow up a little later.")


if __name__ == "__main__":
    main()
