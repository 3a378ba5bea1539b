"""An Evoformer-style pair stack predicting residue–residue contacts (Cβ distance < 8 Å) of
synthetic 24-residue protein chains. A chain is a persistent random walk of 3.8 Å steps (a new
direction = the old one + 0.9 × Gaussian noise, renormalised); each residue has one of 20 types.
Inputs: the residue types and a template from a distant homologue: its distance matrix (the true
distances plus Gaussian noise σ 2.5 Å, clipped at 0, symmetric, 0 on the diagonal) given as 12
one-hot distogram bins of 2 Å plus an inverse-distance channel 4 / d. The pair representation z
(24 × 24 × 16) = outer sum of residue embeddings + a linear embedding of the 13 template channels
+ a relative-position embedding (±8 clipped); then 2 Evoformer pair blocks (triangle
multiplicative update "outgoing" with gates, triangle self-attention around the starting node, 2
heads of 8, with the pair bias, a pair transition ×2), each a residual with a pre-LayerNorm; a
symmetrised linear head to one contact logit per pair, ``F.binary_cross_entropy_with_logits``.
Adam 5e-3, batch 16, 480 training chains, 4 epochs (120 steps); a JSON-lines log every 10 steps
(train BCE; every 40 steps also the val BCE and the precision of the top-L predicted long-range
contacts, |i − j| ≥ 6).

The bug: the inverse-distance channel is computed in the data preparation as ``4.0 / noisy``
with no floor: the template's own diagonal is 0 (and a few noisy off-diagonal distances clip to
0), so the template holds +inf. The inf goes through the template embedding into z, LayerNorm
turns it into NaN, the loss is NaN from the first step, the first Adam step writes NaN into every
weight, and the whole run (every logged BCE, the val BCE) is NaN; the val top-L precision 0.055
is the base rate of a NaN ranking. The control (``4.0 / noisy.clamp(min=1.0)``) trains to val BCE
0.064 and long-range top-L precision 0.40.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

L, TYPES, BINS, C = 24, 20, 12, 16


def chains(n, g):
    d = F.normalize(torch.randn(n, 3, generator=g), dim=1)
    pos = [torch.zeros(n, 3)]
    for _ in range(L - 1):
        d = F.normalize(d + 0.9 * torch.randn(n, 3, generator=g), dim=1)
        pos.append(pos[-1] + 3.8 * d)
    pos = torch.stack(pos, 1)
    dist = torch.cdist(pos, pos)
    contacts = (dist < 8.0).float()
    noisy = (dist + 2.5 * torch.randn(n, L, L, generator=g)).clamp(min=0)
    noisy = (noisy + noisy.transpose(1, 2)) / 2 * (1 - torch.eye(L))  # 0 on the diagonal
    bins = (noisy / 2).long().clamp(max=BINS - 1)
    inverse = 4.0 / noisy  # "contact-ness": large when close, ~0.3 at 12 Å
    types = torch.randint(0, TYPES, (n, L), generator=g)
    template = torch.cat([F.one_hot(bins, BINS).float(), inverse[..., None]], -1)
    return {"residues": types, "template": template}, contacts


class TriangleMultiplication(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = nn.LayerNorm(c)
        self.a, self.b = nn.Linear(c, c), nn.Linear(c, c)
        self.ga, self.gb, self.g = nn.Linear(c, c), nn.Linear(c, c), nn.Linear(c, c)
        self.out_norm, self.out = nn.LayerNorm(c), nn.Linear(c, c)

    def forward(self, z):
        z = self.norm(z)
        a = self.a(z) * torch.sigmoid(self.ga(z))
        b = self.b(z) * torch.sigmoid(self.gb(z))
        x = torch.einsum("bikc,bjkc->bijc", a, b) / z.shape[1]
        return torch.sigmoid(self.g(z)) * self.out(self.out_norm(x))


class TriangleAttention(nn.Module):
    def __init__(self, c, heads=2, dim=8):
        super().__init__()
        self.h, self.d = heads, dim
        self.norm = nn.LayerNorm(c)
        self.qkv = nn.Linear(c, 3 * heads * dim, bias=False)
        self.bias = nn.Linear(c, heads, bias=False)
        self.gate = nn.Linear(c, heads * dim)
        self.out = nn.Linear(heads * dim, c)

    def forward(self, z):
        b, n = z.shape[:2]
        z = self.norm(z)
        q, k, v = self.qkv(z).view(b, n, n, 3, self.h, self.d).unbind(3)
        logits = torch.einsum("bijhd,bikhd->bhijk", q, k) / self.d ** 0.5
        logits = logits + self.bias(z).permute(0, 3, 1, 2)[:, :, None]  # b h (i) j k
        o = torch.einsum("bhijk,bikhd->bijhd", logits.softmax(-1), v).reshape(b, n, n, -1)
        return self.out(torch.sigmoid(self.gate(z)) * o)


class PairBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.tri_mul = TriangleMultiplication(c)
        self.tri_att = TriangleAttention(c)
        self.trans = nn.Sequential(nn.LayerNorm(c), nn.Linear(c, 2 * c), nn.ReLU(),
                                   nn.Linear(2 * c, c))

    def forward(self, z):
        z = z + self.tri_mul(z)
        z = z + self.tri_att(z)
        return z + self.trans(z)


class ContactNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.left, self.right = nn.Embedding(TYPES, C), nn.Embedding(TYPES, C)
        self.template = nn.Linear(BINS + 1, C)
        self.relpos = nn.Embedding(17, C)
        self.blocks = nn.ModuleList([PairBlock(C), PairBlock(C)])
        self.head = nn.Sequential(nn.LayerNorm(C), nn.Linear(C, 1))

    def forward(self, residues, template):
        r, t = residues, template
        idx = torch.arange(r.shape[1])
        rel = (idx[None] - idx[:, None]).clamp(-8, 8) + 8
        z = self.left(r)[:, :, None] + self.right(r)[:, None] + self.template(t) + self.relpos(rel)
        for blk in self.blocks:
            z = blk(z)
        logits = self.head(z).squeeze(-1)
        return (logits + logits.transpose(1, 2)) / 2


def build():
    torch.manual_seed(0)
    return ContactNet()


def pair_bce(logits, y):
    return F.binary_cross_entropy_with_logits(logits, y)


def top_l_precision(logits, y):
    sep = (torch.arange(L)[None] - torch.arange(L)[:, None]).abs() >= 6
    s = logits.masked_fill(~sep, -1e9).flatten(1)
    top = s.topk(L, dim=1).indices
    return y.flatten(1).gather(1, top).mean().item()


def main():
    from _eightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = chains(480, g)
    xva, yva = chains(160, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    log = open(out / "contacts_train.jsonl", "w")
    step = 0
    for epoch in range(4):
        model.train()
        for idx in torch.randperm(480, generator=g).split(16):
            loss = pair_bce(model(xtr["residues"][idx], xtr["template"][idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                row = {"step": step, "epoch": epoch, "bce": round(loss.item(), 5)}
                if step % 40 == 0:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva["residues"], xva["template"])
                        row["val_bce"] = round(pair_bce(lv, yva).item(), 5)
                        row["val_prec_topL_long"] = round(top_l_precision(lv, yva), 4)
                    model.train()
                log.write(json.dumps(row) + "\n")
                print(row)
    log.close()
    torch.save({"contact_net": model.state_dict(), "adam": opt.state_dict(), "step": step,
                "crop": L, "distogram_bins": BINS}, out / "contacts_step120.pt")
    finish(out, __file__, {"inputs": xva["residues"][:16], "template": xva["template"][:16],
                           "targets": yva[:16]},
           causes=["numerical_log_or_div_zero"], checkpoint="contacts_step120.pt",
           log="contacts_train.jsonl",
           what="Evoformer-style pair stack, contacts; template inverse distance 4 / d with "
                "d = 0 on the diagonal",
           complaint="The contact model's loss is nan from the very first line of the log and "
                     "never becomes a number; I already lowered the learning rate from 1e-2 to "
                     "5e-3 and it makes no difference.")


if __name__ == "__main__":
    main()
