"""A circle-loss embedding model on synthetic face-like identity descriptors. Each of 60
identities has a latent face code (12-d); a sample is that code plus pose / lighting variation
(σ 0.5) pushed through a fixed random nonlinear "renderer" to a 48-d descriptor with sensor
noise. Embedder: an MLP 48 → 64 → … → 32 with ``DEPTH = 6`` hidden layers (He init, zero
biases), L2-normalised output. Circle loss (Sun et al. 2020) on P × K batches
(12 identities × 4 samples): pair
similarities re-weighted by α_p = [1 + m − s_p]+, α_n = [s_n + m]+, margins Δ_p = 1 − m,
Δ_n = m, m = 0.25, scale γ = 32. SGD 0.005 with momentum 0.9, 1500 steps; 40 identities train,
20 held-out identities for verification (600 same / different pairs, accuracy at the
cosine threshold 0.5, midway between the margins Δ_n and Δ_p).
JSON-lines log (``circle`` / ``grad_first`` / ``grad_last`` every 25 steps;
``verif_acc`` / ``pos_cos`` / ``neg_cos`` every 250); checkpoint dict ``model_weights`` /
``opt_state`` / ``step``.
Bug: ``ACT = nn.Sigmoid`` in every one of the 6 hidden layers (the MLP "like the classic face
nets"), no residual or normalisation, default init: each sigmoid passes at most 1/4 of the
gradient and shrinks the signal, so the first layer's gradient is orders of magnitude below the
last's and the loss hardly moves from its start; verification
accuracy at the 0.5 threshold stays at 0.14–0.18 (every pair judged "same")
(control ``ACT = nn.ReLU``)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

DIM_IN, DIM_OUT, WIDTH, DEPTH = 48, 32, 64, 6
ACT = nn.Sigmoid  # the bug: nn.ReLU is the control
M, GAMMA = 0.25, 32.0


def faces(ids, per, g, code, render):
    y = ids.repeat_interleave(per)
    z = code[y] + 0.5 * torch.randn(len(y), code.shape[1], generator=g)
    x = torch.tanh(z @ render[0]) @ render[1] + 0.2 * torch.randn(len(y), DIM_IN, generator=g)
    return x, y


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        layers, d = [], DIM_IN
        for _ in range(DEPTH):
            layers += [nn.Linear(d, WIDTH), ACT()]
            d = WIDTH
        layers.append(nn.Linear(d, DIM_OUT))
        self.net = nn.Sequential(*layers)
        for m in self.net:
            if isinstance(m, nn.Linear):  # He init throughout, zero biases
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return F.normalize(self.net(x), dim=1)


def build():
    torch.manual_seed(0)
    return Embedder()


def circle_loss(emb, y):
    sim = emb @ emb.t()
    same = y[:, None] == y[None]
    eye = torch.eye(len(y), dtype=torch.bool)
    sp, sn = sim[same & ~eye], sim[~same]
    ap, an = (1 + M - sp.detach()).clamp(min=0), (sn.detach() + M).clamp(min=0)
    logit_p = -GAMMA * ap * (sp - (1 - M))
    logit_n = GAMMA * an * (sn - M)
    return F.softplus(torch.logsumexp(logit_n, 0) + torch.logsumexp(logit_p, 0))


def verification(model, x, y, g):
    with torch.no_grad():
        e = model(x)
    i = torch.randint(0, len(y), (1200,), generator=g)
    j = torch.randint(0, len(y), (1200,), generator=g)
    same = y[i] == y[j]
    pos = torch.nonzero(same & (i != j)).squeeze(1)[:300]
    neg = torch.nonzero(~same).squeeze(1)[:300]
    keep = torch.cat([pos, neg])
    s, t = (e[i[keep]] * e[j[keep]]).sum(1), same[keep]
    acc = ((s > 0.5) == t).float().mean().item()  # the margins' midpoint (1 - m + m) / 2
    return acc, s[: len(pos)].mean().item(), s[len(pos):].mean().item()


def main():
    from _sixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    code = torch.randn(60, 12, generator=g)
    render = (torch.randn(12, 32, generator=g) / 12 ** 0.5,
              torch.randn(32, DIM_IN, generator=g) / 32 ** 0.5)
    xt, yt = faces(torch.arange(40), 30, g, code, render)
    xv, yv = faces(torch.arange(40, 60), 20, g, code, render)
    mu, sd = xt.mean(0), xt.std(0)
    xt, xv = (xt - mu) / sd, (xv - mu) / sd
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    first, last = model.net[0], model.net[-1]
    with open(out / "circle_log.jsonl", "w") as fh:
        for step in range(1, 1501):
            people = torch.randperm(40, generator=g)[:12]
            idx = torch.cat([p * 30 + torch.randperm(30, generator=g)[:4] for p in people])
            loss = circle_loss(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 25 == 0:
                fh.write(json.dumps({"step": step, "circle": round(loss.item(), 5),
                                     "grad_first": float(f"{first.weight.grad.norm():.4g}"),
                                     "grad_last": float(f"{last.weight.grad.norm():.4g}")})
                         + "\n")
            if step % 250 == 0:
                acc, pc, nc = verification(model, xv, yv, g)
                fh.write(json.dumps({"step": step, "verif_acc": round(acc, 4),
                                     "pos_cos": round(pc, 4), "neg_cos": round(nc, 4)}) + "\n")
                print(step, round(loss.item(), 3), f"{first.weight.grad.norm():.2e}",
                      f"{last.weight.grad.norm():.2e}", round(acc, 3), round(pc, 3), round(nc, 3))
    torch.save({"model_weights": model.state_dict(), "opt_state": opt.state_dict(),
                "step": 1500}, out / "circle.pt")
    finish(out, __file__, (xt[idx], yt[idx]), causes=["vanishing_gradients"],
           checkpoint="circle.pt", log="circle_log.jsonl",
           what="circle-loss face embedder, 6 sigmoid hidden layers, no normalisation or residual",
           complaint="我的 circle loss 人脸嵌入模型训练了 1500 步，损失几乎没怎么下降，"
                     "验证集上的人脸验证准确率一直只有 15% 左右（几乎所有对都被判成同一个人），"
                     "正负样本对的余弦相似度都是 1.0。"
                     "是不是 m 和 γ 设置得不对？")


if __name__ == "__main__":
    main()
