"""CosFace (large-margin cosine) identity classifier on synthetic identity clusters: 100
identities, each a unit centre in a 48-d descriptor space, 24 samples per identity drawn as
centre + noise (σ 0.11 per dimension) then mixed by a fixed random linear map with a little
nonlinearity (tanh), as a face front-end's raw descriptor would be. An MLP 48 → 128 → 64 gives
the embedding; the CosFace head has 100 class weights, logits = s · (cos θ − m on the true
class), s = 16, m = 0.2. Targets are label-smoothed (ε 0.1) and the loss is ``F.kl_div`` against
them, batchmean. Adam 2e-3, batch 100, 14 epochs; CSV log per epoch (train_loss, val_loss
computed the same way, val_top1 from the plain cosines, val_verif_acc: same/different pairs at
a cosine threshold of 0.5).
Bug: the model's distribution is passed to ``F.kl_div`` as probabilities,
``F.kl_div(F.softmax(logits, 1), smooth, reduction="batchmean")``, where kl_div expects
log-probabilities as its first argument; the "loss" becomes Σ t·log t − Σ t·p (negative,
bounded, its gradient a p-weighted fraction of cross-entropy's), a mean-absolute-error on the
probabilities that stalls with 100 classes."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

IDS, PER, DIM, EMB = 100, 24, 48, 64
S, M, EPS = 16.0, 0.2, 0.1


def descriptors(g):
    centres = F.normalize(torch.randn(IDS, DIM, generator=g), dim=1)
    mix = torch.randn(DIM, DIM, generator=g) / DIM ** 0.5
    y = torch.arange(IDS).repeat_interleave(PER)
    z = centres[y] + 0.11 * torch.randn(IDS * PER, DIM, generator=g)
    x = torch.tanh(2 * z @ mix) + 0.5 * z @ mix
    order = torch.randperm(len(y), generator=g)
    return x[order], y[order]


class CosFaceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(DIM, 128), nn.BatchNorm1d(128), nn.ReLU(),
                                  nn.Linear(128, EMB))
        self.weight = nn.Parameter(torch.randn(IDS, EMB) * 0.05)

    def embed(self, x):
        return F.normalize(self.body(x), dim=1)

    def forward(self, x):
        return self.embed(x) @ F.normalize(self.weight, dim=1).T  # cosines, (n, IDS)


def cosface_logits(cos, y):
    return S * (cos - M * F.one_hot(y, IDS))


def loss_fn(cos, y):
    smooth = torch.full_like(cos, EPS / (IDS - 1)).scatter_(1, y[:, None], 1 - EPS)
    return F.kl_div(F.softmax(cosface_logits(cos, y), 1), smooth, reduction="batchmean")


def build():
    torch.manual_seed(0)
    return CosFaceNet()


def main():
    from _fiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = descriptors(g)
    n_tr = 2000
    tx, ty, vx, vy = x[:n_tr], y[:n_tr], x[n_tr:], y[n_tr:]
    pairs = torch.randint(0, len(vy), (2, 2000), generator=g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "cosface_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_top1", "val_verif_acc"])
        for epoch in range(14):
            model.train()
            tot, nb = 0.0, 0
            for idx in torch.randperm(n_tr, generator=g).split(100):
                loss = loss_fn(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                cos = model(vx)
                vl = loss_fn(cos, vy).item()
                top1 = (cos.argmax(1) == vy).float().mean().item()
                e = model.embed(vx)
                same = vy[pairs[0]] == vy[pairs[1]]
                sim = (e[pairs[0]] * e[pairs[1]]).sum(1)
                verif = ((sim > 0.5) == same).float().mean().item()
            w.writerow([epoch, round(tot / nb, 4), round(vl, 4), round(top1, 4), round(verif, 4)])
            print(epoch, round(tot / nb, 4), round(vl, 4), round(top1, 4), round(verif, 4),
                  flush=True)
    torch.save({"params": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epochs_done": 14, "scale": S, "margin": M}, out / "cosface_ids.pth")
    finish(out, __file__, (vx[:100], vy[:100]), causes=["kl_div_wrong_inputs"],
           checkpoint="cosface_ids.pth", log="cosface_metrics.csv",
           what="CosFace identity classifier, label-smoothed targets through F.kl_div given "
                "softmax probabilities instead of log-probabilities",
           complaint="我的CosFace人脸识别模型训练了14个epoch,loss是负数而且几乎不动,验证集top-1准确率"
                     "一直很低,换了学习率也没用")


if __name__ == "__main__":
    main()
