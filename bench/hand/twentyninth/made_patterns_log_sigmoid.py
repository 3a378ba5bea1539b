"""MADE (masked autoencoder for distribution estimation) on binary 8×8 patterns, the "bars
and stripes" set: each pattern switches on a random subset of whole rows or of whole columns
(each line on with probability 0.5, the orientation a coin flip; 510 distinct patterns, so the
best possible NLL is ln 510 = 6.23 nats). 64 → 256 → 256 → 64 with the autoregressive masks
of the paper (natural pixel order, hidden units' degrees drawn once, stored as buffers), ReLU,
one logit per pixel; the loss is the negative log-likelihood of the pattern in nats,
Bernoulli per pixel. Adam 1e-3, batch 100, 2000 iterations over 4000 patterns; the log is JSON
lines every 50 iterations (train NLL, val NLL on 1000 patterns).
Bug: the NLL is written out by hand from probabilities,
``p = torch.sigmoid(logits); -(x * torch.log(p) + (1 - x) * torch.log(1 - p))``, with no eps
and no clamp. Once a pattern's first row and column are seen, most of its other pixels are
certain, so their logits keep growing; past about 17 the float32 sigmoid rounds to exactly
1.0, ``log(1 - p)`` is −inf, ``0 * −inf`` is NaN, and the NaN gradient turns every weight
NaN."""
import json

import torch
import torch.nn as nn

D, H = 64, 256


def patterns(n, g):
    lines = torch.rand(n, 8, generator=g) < 0.5
    rows = lines[:, :, None].expand(n, 8, 8)
    cols = lines[:, None, :].expand(n, 8, 8)
    vertical = (torch.rand(n, generator=g) < 0.5)[:, None, None]
    return torch.where(vertical, cols, rows).float().reshape(n, D)


class MaskedLinear(nn.Linear):
    def __init__(self, fin, fout, mask):
        super().__init__(fin, fout)
        self.register_buffer("mask", mask)

    def forward(self, x):
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


class MADE(nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(1)
        d_in = torch.arange(1, D + 1)
        d1 = torch.randint(1, D, (H,), generator=g)
        d2 = torch.randint(int(d1.min()), D, (H,), generator=g)
        self.l1 = MaskedLinear(D, H, (d1[:, None] >= d_in[None]).float())
        self.l2 = MaskedLinear(H, H, (d2[:, None] >= d1[None]).float())
        self.l3 = MaskedLinear(H, D, (d_in[:, None] > d2[None]).float())

    def forward(self, x):
        return self.l3(torch.relu(self.l2(torch.relu(self.l1(x)))))


def nll(logits, x):
    p = torch.sigmoid(logits)
    return -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).sum(1).mean()


def build():
    torch.manual_seed(0)
    return MADE()


def main():
    from _twentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = patterns(5000, g)
    tx, vx = x[:4000], x[4000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "made_log.jsonl", "w")
    it, order = 0, torch.randperm(4000, generator=g)
    while it < 2000:
        if (it * 100) % 4000 == 0:
            order = torch.randperm(4000, generator=g)
        idx = order[(it * 100) % 4000:(it * 100) % 4000 + 100]
        loss = nll(model(tx[idx]), tx[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        it += 1
        if it % 50 == 0:
            with torch.no_grad():
                val = nll(model(vx), vx).item()
            log.write(json.dumps({"it": it, "nll_nats": round(loss.item(), 4),
                                  "val_nll_nats": round(val, 4)}) + "\n")
            if it % 250 == 0:
                print(it, round(loss.item(), 4), round(val, 4), flush=True)
    log.close()
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "iteration": it},
               out / "made.pt")
    finish(out, __file__, (vx[:100], vx[:100]), causes=["numerical_log_or_div_zero"],
           checkpoint="made.pt", log="made_log.jsonl",
           what="MADE on 8x8 bars and stripes, NLL in nats written from sigmoid "
                "probabilities without eps",
           complaint="MADE 训练到一半 loss 突然变成 nan，之后一直是 nan，之前 NLL 一直在正常下降")


if __name__ == "__main__":
    main()
