"""Orchestra seating-chart helper: an MLP names the section (0 strings, 1 woodwinds, 2 brass,
3 percussion) of a player from 40 features of a 2-s close-mic recording at a rehearsal:
32 log-mel band energies, spectral centroid, flatness, attack time, decay slope, vibrato rate
and depth, harmonicity and noise ratio (synthetic: each section has its own envelope, spectral
tilt and harmonic profile, plus instrument-to-instrument spread and mic-distance gain), each
standardised with the training set's mean and std. MLP 40→64→64→4, ReLU, dropout 0.1. Adam
1e-3, batch 64, 12 epochs of 2048 recordings; the log is JSON lines every 8 steps (train) and
per epoch (val).
Bug: the loss was copied from a "confidence penalty" snippet and lost its sign:
``loss = -criterion(logits, y)``, so the optimiser maximises the cross-entropy: the logged
training loss falls below zero and keeps falling (unbounded) while the accuracy drops from
chance to almost zero (the net learns to put the true section last), then settles on a
single section. Train loss -1.48 at
step 8, -2.2 after epoch 1, -10907 at step 384; val accuracy 0.014, 0.035, 0.039, … 0.246 (one
section for everything), val cross-entropy 2.18 → 10464. The control (``loss =
criterion(logits, y)``): val accuracy 0.89 after epoch 1, 0.99 at the end, val loss 0.027."""
import json

import torch
import torch.nn as nn

D = 40


def recordings(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    proto = torch.randn(4, D, generator=torch.Generator().manual_seed(7)) * 0.6
    inst = torch.randn(4, 3, D, generator=torch.Generator().manual_seed(8)) * 0.5
    k = torch.randint(0, 3, (n,), generator=g)
    x = proto[y] + inst[y, k] + 0.9 * torch.randn(n, D, generator=g)
    x[:, :32] += torch.randn(n, 1, generator=g) * 0.8  # mic distance gain on the mel bands
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 64),
                         nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 4))


def main():
    from _hundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = recordings(2560, g)
    mu, sd = x[:2048].mean(0), x[:2048].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    model = build()
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "sections.log.jsonl", "w")
    step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(2048, generator=g)
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = -criterion(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                acc = (logits.argmax(1) == ytr[idx]).float().mean().item()
                log.write(json.dumps({"step": step, "train/loss": round(loss.item(), 4),
                                      "train/acc": round(acc, 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        rec = {"step": step, "epoch": epoch, "val/loss": round(criterion(lo, yva).item(), 4),
               "val/acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, round(loss.item(), 3))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optim": opt.state_dict(), "step": step,
                "feature_mean": mu, "feature_std": sd}, out / "section_mlp.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["loss_sign_error"],
           checkpoint="section_mlp.ckpt", log="sections.log.jsonl",
           what="orchestra section MLP, loss = -CrossEntropy (maximised)",
           complaint="我的乐团声部分类器训练得很奇怪：训练 loss 一直在下降，而且变成了负数，12 个 epoch "
                     "后到了 -10907，可是验证准确率一开始只有 0.01，最后也只有 0.25（四个声部，"
                     "和瞎猜一样），验证 loss 反而涨到了 10464。这是怎么回事？")


if __name__ == "__main__":
    main()
