"""Prototypical network for few-shot classification of synthetic "parts" (64 training classes,
16 held-out classes for validation). A class is a 12-D latent mean; a sample is that mean plus
noise of std 0.9, pushed through a fixed random 2-layer tanh mixing into 48 features, so the
classes overlap in the raw space and the encoder has to learn a metric. Episodes are 5-way
5-shot with 10 queries a class; the encoder (MLP 48-128-128-32) embeds support and query, the
prototypes are the support means in the order the classes were sampled, logits are minus the
squared Euclidean distance, cross-entropy on the queries. Adam 1e-3, 600 training episodes,
validation every 50 episodes on 60 fixed episodes of the novel classes. The log
(``proto_log.jsonl``) holds ``episode`` / ``loss`` / ``acc`` every 10 episodes and
``val_loss`` / ``val_acc`` rows.
Bug: the query labels come from the sampler's global class ids through
``torch.unique(yq, return_inverse=True)``, i.e. ranked by global class id, while the
prototypes are stacked in the (random) order the classes were drawn: in each episode the labels
are a random permutation of the prototype order (the validation episodes share the helper)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES, N_NOVEL, LATENT, FEAT = 64, 16, 12, 48
WAY, SHOT, QUERY = 5, 5, 10


def make_world(g):
    means = 1.6 * torch.randn(N_CLASSES + N_NOVEL, LATENT, generator=g)
    w1 = torch.randn(LATENT, 64, generator=g) / LATENT ** 0.5
    w2 = torch.randn(64, FEAT, generator=g) / 8
    return means, w1, w2


def sample(world, cls, n, g):
    means, w1, w2 = world
    z = means[cls].repeat_interleave(n, 0) + 0.9 * torch.randn(len(cls) * n, LATENT, generator=g)
    return torch.tanh(torch.tanh(z @ w1) @ w2 * 2.0)


def episode(world, pool, g):
    """Support (WAY, SHOT, FEAT), queries (WAY * QUERY, FEAT) and their labels."""
    cls = pool[torch.randperm(len(pool), generator=g)[:WAY]]
    support = sample(world, cls, SHOT, g).view(WAY, SHOT, FEAT)
    query = sample(world, cls, QUERY, g)
    yq = cls.repeat_interleave(QUERY)  # global class ids of the queries
    labels = torch.unique(yq, return_inverse=True)[1]  # 0..WAY-1
    return support, query, labels


class ProtoNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(FEAT, 128), nn.ReLU(), nn.Linear(128, 128),
                                     nn.ReLU(), nn.Linear(128, 32))

    def forward(self, query, support):
        protos = self.encoder(support.flatten(0, 1)).view(*support.shape[:2], -1).mean(1)
        return -torch.cdist(self.encoder(query), protos).pow(2)


def build():
    torch.manual_seed(0)
    return ProtoNet()


def main():
    from _thirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    world = make_world(g)
    train_pool, novel_pool = torch.arange(N_CLASSES), torch.arange(N_CLASSES, N_CLASSES + N_NOVEL)
    val_eps = [episode(world, novel_pool, g) for _ in range(60)]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "proto_log.jsonl", "w")
    run_loss = run_acc = 0.0
    for ep in range(1, 601):
        support, query, labels = episode(world, train_pool, g)
        logits = model(query, support)
        loss = F.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run_loss += loss.item()
        run_acc += (logits.argmax(1) == labels).float().mean().item()
        if ep % 10 == 0:
            log.write(json.dumps({"episode": ep, "loss": round(run_loss / 10, 4),
                                  "acc": round(run_acc / 10, 4)}) + "\n")
            run_loss = run_acc = 0.0
        if ep % 50 == 0:
            model.eval()
            with torch.no_grad():
                vl = va = 0.0
                for s, q, lab in val_eps:
                    lo = model(q, s)
                    vl += F.cross_entropy(lo, lab).item() / len(val_eps)
                    va += (lo.argmax(1) == lab).float().mean().item() / len(val_eps)
            model.train()
            log.write(json.dumps({"episode": ep, "val_loss": round(vl, 4),
                                  "val_acc": round(va, 4)}) + "\n")
            print(ep, round(vl, 4), round(va, 4))
    log.close()
    torch.save({"encoder_state": model.state_dict(), "adam": opt.state_dict(), "episodes": ep,
                "way": WAY, "shot": SHOT}, out / "protonet.pth")
    s, q, lab = val_eps[0]
    finish(out, __file__, {"inputs": q, "support": s, "targets": lab},
           causes=["labels_wrong"], checkpoint="protonet.pth", log="proto_log.jsonl",
           what="prototypical network, 5-way 5-shot, query labels ranked by global class id "
                "while the prototypes follow the sampled order",
           complaint="My prototypical network never gets off the ground: the episode loss sits "
                     "at 1.61 from the first episodes to the last and the 5-way validation "
                     "accuracy stays at 0.19-0.21 for all 600 episodes.")


if __name__ == "__main__":
    main()
