"""FixMatch-style semi-supervised classifier (Sohn et al.) on synthetic 2-D clusters: 6
Gaussian clusters on a ring (a parcel-sorting robot's 2-D grip features), 3000 training
points of which 5 % (150) carry a label. MLP 2 → 128 → 128 → 6 (ReLU). Each step takes 32
labelled and 96 unlabelled points; weak view = the point + N(0, 0.05²) noise, strong view =
+ N(0, 0.3²) noise and a random 0.8–1.2 scale; pseudo-labels from the weak view where the
softmax confidence is ≥ 0.95, cross-entropy on the strong view, lambda_u 1. SGD lr 0.1
momentum 0.9 (nesterov), weight decay 5e-4, gradients accumulated over 4 micro-batches per
optimizer step, 150 optimizer steps. The log is JSON lines (``it``, ``loss_x``, ``loss_u``,
``mask_rate`` per step, ``test_acc`` every 10 steps).
Bug: the accumulation loop calls ``(loss_x + loss_u).backward()`` on each of the 4
micro-batches without dividing by 4, so every optimizer step is 4× what lr 0.1 was tuned
for; with momentum 0.9 the run blows up early: loss_x 0.18 at step 4, 9.2 at step 7, then it
sits at ln 6 ≈ 1.78 with mask rate 0 and test acc 0.16–0.18 (chance) from step 30 on. The
control that divides by ACCUM: test acc 0.97 from step 10 to 150, mask rate ~0.9."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

K, ACCUM = 6, 4
SCALE = 1.0  # the control uses 1 / ACCUM


def clusters(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    ang = 2 * torch.pi * y / K
    centers = torch.stack([torch.cos(ang), torch.sin(ang)], 1) * 2.0
    return centers + 0.45 * torch.randn(n, 2, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, K))


def main():
    from _fortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clusters(4000, g)
    tx, ty, test_x, test_y = x[:3000], y[:3000], x[3000:], y[3000:]
    lab = torch.randperm(3000, generator=g)[:150]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    log = open(out / "fixmatch_log.jsonl", "w")
    for it in range(1, 151):
        model.train()
        opt.zero_grad()
        for _ in range(ACCUM):
            li = lab[torch.randint(0, 150, (32,), generator=g)]
            ui = torch.randint(0, 3000, (96,), generator=g)
            xl = tx[li] + 0.05 * torch.randn(32, 2, generator=g)
            loss_x = F.cross_entropy(model(xl), ty[li])
            weak = tx[ui] + 0.05 * torch.randn(96, 2, generator=g)
            strong = (tx[ui] + 0.3 * torch.randn(96, 2, generator=g)) * (
                0.8 + 0.4 * torch.rand(96, 1, generator=g))
            with torch.no_grad():
                conf, pseudo = torch.softmax(model(weak), 1).max(1)
                mask = (conf >= 0.95).float()
            loss_u = (F.cross_entropy(model(strong), pseudo, reduction="none") * mask).mean()
            ((loss_x + loss_u) * SCALE).backward()
        opt.step()
        row = {"it": it, "loss_x": round(loss_x.item(), 4), "loss_u": round(loss_u.item(), 4),
               "mask_rate": round(mask.mean().item(), 3)}
        if it % 10 == 0:
            model.eval()
            with torch.no_grad():
                acc = (model(test_x).argmax(1) == test_y).float().mean().item()
                row["test_acc"] = round(acc, 4)
            print(row)
        log.write(json.dumps(row) + "\n")
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "iteration": it},
               out / "fixmatch_ckpt.pth")
    finish(out, __file__, (tx[lab[:32]], ty[lab[:32]]), causes=["grad_accum_unscaled"],
           checkpoint="fixmatch_ckpt.pth", log="fixmatch_log.jsonl",
           what="FixMatch MLP on 2-D clusters, 4 accumulated micro-batches, loss not divided",
           complaint="my FixMatch run is all over the place: the supervised loss jumps around, "
                     "the test accuracy goes up and down between evaluations and ends "
                     "much lower than I expected with 150 labels")


if __name__ == "__main__":
    main()
