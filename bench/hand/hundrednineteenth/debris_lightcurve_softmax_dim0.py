"""Plain torch: classify tracked orbital objects (payload, rocket body, debris fragment,
tumbling defunct satellite) from 16 light-curve and orbit features (mean magnitude, amplitude,
dominant period, phase-folded harmonics, area-to-mass ratio, apogee/perigee, inclination, ...),
standardised; class shares 22/12/58/8 %, overlapping clusters, 4 % label noise. MLP 16-64-64-4 whose head ends in ``nn.Softmax``, then
``NLLLoss`` on ``torch.log`` of the probabilities; Adam 2e-3, batch 50, 2 000 objects, 15 epochs.
Broken: the head is ``nn.Softmax(dim=0)``, normalising each class column over the 50 objects of
the batch instead of over the 4 classes of each object; the loss falls (it pushes each class's
batch column onto its labelled objects) but stays at 3.12 train / 3.19 valid after 15 epochs,
far above a uniform guess's ln 4 = 1.39, while batched valid accuracy is 0.84; scored one object
at a time (as the tracking pipeline does) every object is "payload" (accuracy 0.20).
Control (``dim=1``): train NLL 0.32, valid NLL 0.41 (min 0.39), valid accuracy 0.85."""
import json

import torch
import torch.nn as nn


def objects(n, g):
    y = torch.multinomial(torch.tensor([0.22, 0.12, 0.58, 0.08]), n, replacement=True,
                          generator=g)
    centres = torch.randn(4, 16, generator=g) * 0.7
    x = centres[y] + torch.randn(n, 16, generator=g)
    y = torch.where(torch.rand(n, generator=g) < 0.04, torch.randint(0, 4, (n,), generator=g), y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4), nn.Softmax(dim=0))


def main():
    from _hundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = objects(2500, g)
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    nll = nn.NLLLoss()
    hist = []
    for epoch in range(15):
        model.train()
        perm = torch.randperm(2000, generator=g)
        tot = 0.0
        for i in range(0, 2000, 50):
            idx = perm[i:i + 50]
            loss = nll(torch.log(model(xtr[idx]) + 1e-9), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl, correct = 0.0, 0
            for i in range(0, 500, 50):
                p = model(xva[i:i + 50])
                vl += nll(torch.log(p + 1e-9), yva[i:i + 50]).item() * 50
                correct += (p.argmax(1) == yva[i:i + 50]).sum().item()
        hist.append({"epoch": epoch, "train_nll": round(tot / 2000, 4),
                     "valid_nll": round(vl / 500, 4), "valid_acc": round(correct / 500, 4)})
        print(hist[-1])
    with torch.no_grad():  # the tracking pipeline scores one object at a time
        one = torch.stack([model(xva[i:i + 1])[0] for i in range(500)]).argmax(1)
    print("one at a time:", torch.bincount(one, minlength=4).tolist(),
          round((one == yva).float().mean().item(), 4))
    with open(out / "rso_classifier_log.json", "w") as fh:
        json.dump(hist, fh, indent=1)
    torch.save({"state_dict": model.state_dict(), "optim": opt.state_dict(), "epoch": 14,
                "classes": ["payload", "rocket_body", "debris", "tumbling_sat"]},
               out / "rso_mlp_last.pth")
    finish(out, __file__, (xva[:50], yva[:50]), causes=["softmax_wrong_dim"],
           checkpoint="rso_mlp_last.pth", log="rso_classifier_log.json",
           what="orbital-object MLP, head nn.Softmax(dim=0) over the batch, log + NLLLoss",
           complaint="我的空间目标分类网络很奇怪：训练了15个epoch，NLL loss 一直在 3.1 以上"
                     "（验证集 3.19），比随机猜四类的 1.39 还高，可是整批验证的准确率有 0.84。"
                     "上线后一次只送一个目标进去，500 个目标全部被判成 payload，准确率只有 0.20。")


if __name__ == "__main__":
    main()
