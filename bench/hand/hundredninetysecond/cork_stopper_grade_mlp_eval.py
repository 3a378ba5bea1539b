"""Plain torch: an MLP grades boiled cork planks stripped from cork oaks into 4 commercial
classes (stopper grade, 1st-3rd, 4th-6th, granulate) from 24 numbers a grading line measures
per plank: plank thickness, pore count and pore area in bands, lenticel density, bark-beetle
gallery marks, green-cork and belly-crack scores, colour, ..., of which only 8
matter (the rest are channels the grade does not depend on); 12 % of the grades are a
grader's neighbour class. 1000 training planks, MLP 24-256-256-4 with BatchNorm and dropout
0.5, Adam 1e-3, batch 32, 30 epochs.
The bug: ``model.train()`` is called once, before the epoch loop, and the per-epoch validation
ends with ``model.eval()``, so from epoch 2 on every training step runs in eval mode: dropout is
off and batch norm uses its epoch-1 running statistics. The wide MLP memorises the 1000 planks:
train loss 1.23 → 0.0046 (train accuracy 1.00 from epoch 16), val loss lowest 0.70 at epoch 6,
then 0.97 at 19 and 1.19 at 30; val accuracy 0.68. Control (``model.train()`` moved into the
loop by the one-line sed): train loss 0.60 at epoch 30, val loss still falling, 1.04 → 0.78 at
epoch 7 → 0.63 at 30, val accuracy 0.71."""
import torch
import torch.nn as nn

N = 1000


def planks(n, g, flip=0.0):
    x = torch.randn(n, 24, generator=g)
    s = (1.2 * x[:, 0] - 0.9 * x[:, 1] + 0.7 * torch.tanh(2 * x[:, 2]) + 0.6 * x[:, 3]
         - 0.5 * x[:, 4] ** 2 + 0.5 * x[:, 5] * x[:, 6] + 0.4 * x[:, 7])
    y = torch.bucketize(s, torch.tensor([-1.2, -0.2, 0.8]))
    wrong = torch.rand(n, generator=g) < flip
    step = torch.where(torch.rand(n, generator=g) < 0.5, -1, 1)
    y = torch.where(wrong, (y + step).clamp(0, 3), y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(256, 4))


def main():
    from _hundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = planks(N, g, flip=0.12)
    xva, yva = planks(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    lines = ["epoch\tloss\tacc\tval_loss\tval_acc"]
    model.train()
    for epoch in range(1, 31):
        perm = torch.randperm(N, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, N, 32):
            idx = perm[i:i + 32]
            if len(idx) < 2:
                continue
            logits = model(xtr[idx])
            loss = crit(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = crit(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        lines.append(f"{epoch}\t{tot / N:.4f}\t{hit / N:.4f}\t{vl:.4f}\t{va:.4f}")
        print(lines[-1])
    (out / "grading.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": 30},
               out / "plank_grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="plank_grader.pth", log="grading.tsv",
           what="cork plank grading MLP (BN + dropout 0.5) that trains in eval mode after epoch 1",
           complaint=("Cork plank grader, 1000 graded planks, 24 line measurements, 4 grades. I put "
                      "dropout 0.5 and batch norm in because the set is small, but it still "
                      "overfits hard: train loss goes to 0.005 while val loss is best at epoch 6 "
                      "(0.70) and then climbs to 1.19 by epoch 30, val accuracy 0.68. Should I "
                      "raise dropout further or add weight decay?"))


if __name__ == "__main__":
    main()
