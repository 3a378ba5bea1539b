"""RotatE knowledge-graph embeddings on a synthetic family-relations graph: 40 families of 7
people (a grandparent couple, their child and the child's spouse, three grandchildren), 280
entities, 4 relations (parent_of, spouse_of, sibling_of, grandparent_of; no inverse relations,
so a held-out fact must be reached by symmetry or composition), 960 triples, 10 % held out.
Entities are complex vectors of dimension 32, each relation a rotation (a phase per
dimension); the distance is the L1 norm of h ∘ r − t over the complex dimensions and the score
γ − distance with the fixed margin γ = 6. Negative sampling (32 uniform corrupted tails per
positive) with RotatE's margin loss −log σ(γ − d⁺) − mean log σ(d⁻ − γ), Adam 2e-3, batch 128,
80 epochs. The log (JSON lines) holds the train loss every 20 steps and, every 10 epochs, the
held-out loss (fixed negatives) and the filtered MRR / hits@1 / hits@10 of the held-out tails.
Healthy: the held-out MRR climbs from 0.03 to 0.86 (hits@10 0.98) and is still creeping up;
the held-out loss (0.21) sits well above the train loss (0.056) because a held-out fact can
only be inferred, never memorised — the gap is the task's, not an over-fit (the held-out loss
falls at every check)."""
import json

import torch
import torch.nn as nn

FAMILIES, PEOPLE, REL, DIM, GAMMA, NEG = 40, 7, 4, 32, 6.0, 32
ENT = FAMILIES * PEOPLE


def family_triples():
    rows = []
    for f in range(FAMILIES):
        g1, g2, p1, p2, *kids = (f * PEOPLE + i for i in range(PEOPLE))
        for par, ch in [(g1, p1), (g2, p1)] + [(p, k) for p in (p1, p2) for k in kids]:
            rows.append((par, 0, ch))
        rows += [(g1, 1, g2), (g2, 1, g1), (p1, 1, p2), (p2, 1, p1)]
        rows += [(a, 2, b) for a in kids for b in kids if a != b]
        rows += [(gp, 3, k) for gp in (g1, g2) for k in kids]
    return torch.tensor(rows)


class RotatE(nn.Module):
    def __init__(self):
        super().__init__()
        rng = (GAMMA + 2.0) / DIM
        self.ent = nn.Parameter(torch.empty(ENT, 2 * DIM).uniform_(-rng, rng))
        self.phase = nn.Parameter(torch.empty(REL, DIM).uniform_(-rng, rng))
        self.rng = rng

    def forward(self, hr):
        h = self.ent[hr[:, 0]]
        hre, him = h[:, :DIM], h[:, DIM:]
        th = self.phase[hr[:, 1]] / (self.rng / 3.14159265)
        rre, rim = torch.cos(th), torch.sin(th)
        qre, qim = hre * rre - him * rim, hre * rim + him * rre
        dre = qre[:, None] - self.ent[None, :, :DIM]
        dim = qim[:, None] - self.ent[None, :, DIM:]
        return GAMMA - torch.sqrt(dre ** 2 + dim ** 2 + 1e-9).sum(-1)


def build():
    torch.manual_seed(0)
    return RotatE()


def margin_loss(scores, t, neg):
    pos = scores.gather(1, t[:, None]).squeeze(1)
    negs = scores.gather(1, neg)
    return -(nn.functional.logsigmoid(pos).mean()
             + nn.functional.logsigmoid(-negs).mean(1).mean()) / 2


def main():
    from _fortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = family_triples()
    data = data[torch.randperm(len(data), generator=g)]
    n_val = len(data) // 10
    va, tr = data[:n_val], data[n_val:]
    known = {tuple(r) for r in data.tolist()}
    val_neg = torch.randint(0, ENT, (n_val, NEG), generator=g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "rotate_log.jsonl", "w")
    step = 0
    filt = torch.zeros(n_val, ENT, dtype=torch.bool)
    for i, (h, r, _) in enumerate(va.tolist()):
        filt[i] = torch.tensor([(h, r, e) in known for e in range(ENT)])
    for epoch in range(1, 81):
        for idx in torch.randperm(len(tr), generator=g).split(128):
            b = tr[idx]
            neg = torch.randint(0, ENT, (len(b), NEG), generator=g)
            loss = margin_loss(model(b[:, :2]), b[:, 2], neg)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0:
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 5)}) + "\n")
        if epoch % 10 == 0:
            with torch.no_grad():
                scores = model(va[:, :2])
                vloss = margin_loss(scores, va[:, 2], val_neg).item()
                true = scores.gather(1, va[:, 2:3])
                rank = ((scores > true) & ~filt).sum(1) + 1
            row = {"epoch": epoch, "step": step, "valid_loss": round(vloss, 5),
                   "valid_mrr": round((1.0 / rank.float()).mean().item(), 4),
                   "valid_hits@1": round((rank <= 1).float().mean().item(), 4),
                   "valid_hits@10": round((rank <= 10).float().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row, round(loss.item(), 4))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer_state": opt.state_dict(),
                "global_step": step}, out / "rotate_family.ckpt")
    finish(out, __file__, (va[:128, :2], va[:128, 2]), causes=[],
           checkpoint="rotate_family.ckpt", log="rotate_log.jsonl",
           what="RotatE on a family-relations graph, negative sampling, margin loss (healthy)")


if __name__ == "__main__":
    main()
