"""R-GCN link predictor on a synthetic knowledge graph: 80 entities with hidden 6-d factors,
4 relations with their own diagonal factors; a triple (h, r, t) is true with a probability
that rises steeply with its DistMult score, giving ≈ 1400 true triples, 80 % of them train
(the graph the encoder sees), 20 % validation. Encoder: entity embeddings (32) and 2 R-GCN
layers (a self-loop weight plus one weight per relation and direction, 8 in all, messages
averaged per relation, ReLU between the layers); decoder: DistMult, score = Σ e_h ⊙ R_r ⊙ e_t.
Loss: BCE with 4 corrupted heads or tails per true triple, full batch, 150 steps; the log is a
CSV (``step,bce,val_mrr,val_hits10`` every 10 steps, MRR / hits@10 ranking each validation
triple's tail among all 80 entities).
Bug: Adam with ``lr=0.5`` (the R-GCN recipe is 1e-2): the loss jumps between steps and the
embeddings blow up instead of settling."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N, R, H = 80, 4, 32


def knowledge_graph(g):
    z = torch.randn(N, 6, generator=g)
    d = torch.randn(R, 6, generator=g)
    score = torch.einsum("hk,rk,tk->rht", z, d, z)
    p = torch.sigmoid(3 * (score - score.flatten().quantile(0.95)))
    keep = torch.rand(R, N, N, generator=g) < p
    keep &= ~torch.eye(N, dtype=torch.bool)
    r, h, t = keep.nonzero(as_tuple=True)
    trip = torch.stack([h, r, t], 1)
    return trip[torch.randperm(len(trip), generator=g)]


class RGCNLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_loop = nn.Linear(H, H)
        self.rel = nn.Parameter(torch.randn(2 * R, H, H) / H ** 0.5)

    def forward(self, h, edge_index, edge_type):
        src, dst = edge_index
        msg = torch.bmm(h[src][:, None], self.rel[edge_type]).squeeze(1)
        key = dst * 2 * R + edge_type
        count = torch.bincount(key, minlength=N * 2 * R).float()
        msg = msg / count[key][:, None]
        return self.self_loop(h) + torch.zeros_like(h).index_add_(0, dst, msg)


class RGCNLinkPredictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.entity = nn.Embedding(N, H)
        self.layers = nn.ModuleList([RGCNLayer(), RGCNLayer()])
        self.relation = nn.Parameter(torch.randn(R, H) * 0.1)

    def encode(self, edge_index, edge_type):
        h = self.entity.weight
        h = F.relu(self.layers[0](h, edge_index, edge_type))
        return self.layers[1](h, edge_index, edge_type)

    def forward(self, triples, edge_index, edge_type):
        e = self.encode(edge_index, edge_type)
        return (e[triples[:, 0]] * self.relation[triples[:, 1]] * e[triples[:, 2]]).sum(1)


def build():
    torch.manual_seed(0)
    return RGCNLinkPredictor()


def graph(train):
    h, r, t = train.T
    return torch.stack([torch.cat([h, t]), torch.cat([t, h])]), torch.cat([r, r + R])


def corrupt(pos, k, g):
    neg = pos.repeat(k, 1)
    ent = torch.randint(0, N, (len(neg),), generator=g)
    side = torch.rand(len(neg), generator=g) < 0.5
    neg[:, 0] = torch.where(side, ent, neg[:, 0])
    neg[:, 2] = torch.where(side, neg[:, 2], ent)
    return torch.cat([pos, neg]), torch.cat([torch.ones(len(pos)), torch.zeros(len(neg))])


def ranking(model, edge_index, edge_type, val):
    with torch.no_grad():
        e = model.encode(edge_index, edge_type)
        scores = (e[val[:, 0]] * model.relation[val[:, 1]]) @ e.T
        true = scores.gather(1, val[:, 2:3])
        rank = (scores >= true).sum(1)  # ties count against the true tail
    return (1 / rank.float()).mean().item(), (rank <= 10).float().mean().item()


def main():
    from _sixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    trip = knowledge_graph(g)
    cut = int(0.8 * len(trip))
    train, val = trip[:cut], trip[cut:]
    edge_index, edge_type = graph(train)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.5)
    f = open(out / "rgcn_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["step", "bce", "val_mrr", "val_hits10"])
    for step in range(1, 151):
        model.train()
        x, y = corrupt(train, 4, g)
        loss = F.binary_cross_entropy_with_logits(model(x, edge_index, edge_type), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0:
            model.eval()
            mrr, hits = ranking(model, edge_index, edge_type, val)
            log.writerow([step, round(loss.item(), 4), round(mrr, 4), round(hits, 4)])
            print(step, round(loss.item(), 4), round(mrr, 4), round(hits, 4))
    f.close()
    torch.save({"encoder_decoder": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "steps": step, "num_entities": N}, out / "rgcn.pt")
    x, y = corrupt(val, 4, g)
    finish(out, __file__, {"inputs": x, "edge_index": edge_index, "edge_type": edge_type,
                           "targets": y}, causes=["lr_too_high"], checkpoint="rgcn.pt",
           log="rgcn_log.csv",
           what="R-GCN + DistMult link predictor, Adam lr 0.5",
           complaint="the link predictor's BCE bounces around instead of going down and the "
                     "validation MRR is barely better than ranking entities at random")


if __name__ == "__main__":
    main()
