"""Star-image quality triage for a small robotic telescope: 24×24 cut-outs around a guide
star, in sky-subtracted ADU (peak 800–6000, read noise + Poisson-ish noise ~ 30 ADU), sorted
into three classes: in focus (Gaussian PSF, FWHM 2–3 px), defocused (a donut: the secondary
mirror's shadow, radius 4–7 px) and trailed (tracking error: the PSF smeared along a random
angle over 5–10 px). A CNN whose first layer is a ``BatchNorm2d(1)`` on the raw counts (the
script relies on it instead of scaling the data), then 3 conv blocks (16/32/32, BatchNorm,
ReLU, max-pool), dropout 0.3, linear 3. SGD 0.01 momentum 0.9, batch 32, 8 epochs of 1200 cut-outs; a CSV
log per epoch (``;``-separated) via plain ``f.write``.
Bug: the script first reports the accuracy of the untrained net with ``evaluate()``, which
calls ``model.eval()``; the training loop never calls ``model.train()``, so the whole run trains
in eval mode: every BatchNorm normalises with its initial running statistics (mean 0, var 1,
never updated), the raw ADU reach the convs unscaled, and dropout is off. The untrained
baseline is loss 65.6 (logits in the hundreds); the first SGD steps blow up and the train loss
is NaN from epoch 1 (accuracy 0.32–0.33, val 0.307, all one class) for all 8 epochs. (With Adam
1e-3 the same bug still trained to val 0.99, so the recipe is the SGD one.) The control
(``model.train()`` at the top of each epoch) reaches train loss 0.004, val accuracy 0.997."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def cutouts(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float() - 11.5, torch.arange(S).float() - 11.5,
                            indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    img = torch.zeros(n, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        cx, cy = 3 * (r() - 0.5), 3 * (r() - 0.5)
        dx, dy = xx - cx, yy - cy
        if y[i] == 0:
            s = (2 + r()) / 2.355
            p = torch.exp(-(dx ** 2 + dy ** 2) / (2 * s ** 2))
        elif y[i] == 1:
            rad = 4 + 3 * r()
            rr = (dx ** 2 + dy ** 2).sqrt()
            p = torch.exp(-((rr - rad) / 1.2) ** 2) * (rr > rad * 0.4).float()
        else:
            a, ln = 3.1416 * r(), 5 + 5 * r()
            p = torch.zeros(S, S)
            for t in torch.linspace(-0.5, 0.5, 12):
                ex, ey = dx - t * ln * torch.cos(torch.tensor(a)), dy - t * ln * torch.sin(torch.tensor(a))
                p = p + torch.exp(-(ex ** 2 + ey ** 2) / 2.0)
        img[i] = p / p.max() * (800 + 5200 * r())
    img = img + torch.randn(img.shape, generator=g) * (30 + img.clamp(min=0).sqrt())
    return img[:, None], y


class DefocusNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inorm = nn.BatchNorm2d(1)

        def blk(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(),
                                 nn.MaxPool2d(2))
        self.body = nn.Sequential(blk(1, 16), blk(16, 32), blk(32, 32))
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(32 * 9, 3)

    def forward(self, x):
        return self.fc(self.drop(self.body(self.inorm(x)).flatten(1)))


def build():
    torch.manual_seed(0)
    return DefocusNet()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        lo = model(x)
    return F.cross_entropy(lo, y).item(), (lo.argmax(1) == y).float().mean().item()


def main():
    from _hundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cutouts(1200, g)
    xva, yva = cutouts(300, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    print("untrained baseline (loss, acc):", evaluate(model, xva, yva), file=sys.stderr)
    f = open(out / "focus_train_log.csv", "w")
    f.write("epoch;loss_train;acc_train;loss_val;acc_val\n")
    for epoch in range(1, 9):
        perm = torch.randperm(1200, generator=g)
        tot = cor = 0.0
        for i in range(0, 1200, 32):
            idx = perm[i:i + 32]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            cor += (lo.argmax(1) == ytr[idx]).sum().item()
        vl, va = evaluate(model, xva, yva)
        line = f"{epoch};{tot / 1200:.4f};{cor / 1200:.4f};{vl:.4f};{va:.4f}"
        f.write(line + "\n")
        print(line, file=sys.stderr)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epochs_done": 8,
                "classes": ["focused", "defocused", "trailed"]}, out / "defocusnet.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="defocusnet.pt", log="focus_train_log.csv",
           what="telescope star-image focus CNN trained entirely in eval mode (BatchNorm on raw "
                "ADU, dropout off)",
           complaint="Training my focus/defocus/trailed star classifier gives nan loss right from "
                     "the first epoch and it stays nan for all 8 epochs; accuracy is 0.32 (it "
                     "puts everything in one class). Even the untrained model printed a "
                     "baseline loss of 65. I'm using plain SGD lr 0.01 momentum 0.9 and the "
                     "network has BatchNorm right at the input, so scaling shouldn't matter?")


if __name__ == "__main__":
    main()
