"""Matching network for 5-way 1-shot recognition of hand-drawn glyphs from unseen alphabets:
every glyph class is a random stroke pattern on a 16×16 grid (3 strokes, each a random walk of
7 points, 1 px wide); a drawing of a class is its pattern shifted by up to ±1 px (each drawing
its own shift), with 20 % of its stroke pixels dropped, a random thickness blur and pixel noise
σ 0.25. 300 training classes, 100 unseen validation classes. Embedding: 3 blocks of conv 3×3
(24 channels) → batch norm → ReLU → max-pool 2, flattened to 96; the query is classified by a softmax over
its cosine similarity to the 5 support embeddings (scaled by a learnt temperature, 10 at the
start), i.e. a matching network without full context embeddings. Adam 2e-3, one episode of
5 classes × (1 support + 6 queries) per step, 300 steps; every 50 steps a JSON line with the
mean train loss over those steps and the loss / accuracy on 40 fixed validation episodes.
Healthy: val 5-way 1-shot accuracy 0.92 on unseen classes (0.84 after 50 episodes), val NLL
0.25, the train NLL a little noisy (0.235 → 0.258 over the last two windows)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, WAYS, QUERIES = 16, 5, 6


def glyph_classes(n, g):
    pats = torch.zeros(n, SIZE, SIZE)
    moves = torch.tensor([[0, 1], [1, 0], [0, -1], [-1, 0], [1, 1], [-1, -1], [1, -1], [-1, 1]])
    for s in range(3):  # noqa: B007
        pos = torch.randint(3, SIZE - 3, (n, 2), generator=g)
        for _ in range(7):
            pats[torch.arange(n), pos[:, 0], pos[:, 1]] = 1.0
            step = moves[torch.randint(0, 8, (n,), generator=g)]
            pos = (pos + step).clamp(1, SIZE - 2)
    return pats


def draw(pats, k, g):
    """k drawings of each pattern: (n, k, 1, SIZE, SIZE)."""
    n = len(pats)
    x = pats[:, None].expand(n, k, SIZE, SIZE).clone()
    x = x * (torch.rand(n, k, SIZE, SIZE, generator=g) > 0.2)
    sh = torch.randint(-1, 2, (n, k, 2), generator=g)
    x = torch.stack([torch.stack([torch.roll(x[i, j], (int(sh[i, j, 0]), int(sh[i, j, 1])), (0, 1))
                                  for j in range(k)]) for i in range(n)])
    blur = torch.tensor([[0.05, 0.1, 0.05], [0.1, 0.4, 0.1], [0.05, 0.1, 0.05]])
    thick = F.conv2d(x.view(-1, 1, SIZE, SIZE), blur[None, None], padding=1).view(n, k, SIZE, SIZE)
    mixw = torch.rand(n, k, 1, 1, generator=g)
    x = mixw * x + (1 - mixw) * thick * 2.5 + 0.25 * torch.randn(n, k, SIZE, SIZE, generator=g)
    return x[:, :, None]


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.MaxPool2d(2))


class MatchingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(block(1, 24), block(24, 24), block(24, 24), nn.Flatten())
        self.log_temp = nn.Parameter(torch.tensor(2.303))

    def forward(self, support, query):
        s = F.normalize(self.encoder(support), dim=-1)
        q = F.normalize(self.encoder(query), dim=-1)
        return self.log_temp.exp() * q @ s.T


def episode(pats, g):
    cls = torch.randperm(len(pats), generator=g)[:WAYS]
    x = draw(pats[cls], 1 + QUERIES, g)
    support = x[:, 0]
    query = x[:, 1:].reshape(-1, 1, SIZE, SIZE)
    return support, query, torch.arange(WAYS).repeat_interleave(QUERIES)


def build():
    torch.manual_seed(0)
    return MatchingNet()


def main():
    from _seventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_pats, val_pats = glyph_classes(300, g), glyph_classes(100, g)
    gv = torch.Generator().manual_seed(1)
    val_eps = [episode(val_pats, gv) for _ in range(40)]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "fewshot_log.jsonl", "w")
    run = []
    for step in range(1, 301):
        model.train()
        support, query, y = episode(train_pats, g)
        loss = F.cross_entropy(model(support, query), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.append(loss.item())
        if step % 50 == 0:
            model.eval()
            with torch.no_grad():
                ls, accs = [], []
                for s, q, yv in val_eps:
                    logits = model(s, q)
                    ls.append(F.cross_entropy(logits, yv).item())
                    accs.append((logits.argmax(1) == yv).float().mean().item())
            rec = {"episode": step, "train_nll": round(sum(run) / len(run), 4),
                   "val_nll": round(sum(ls) / len(ls), 4),
                   "val_5way_1shot_acc": round(sum(accs) / len(accs), 4)}
            run = []
            log.write(json.dumps(rec) + "\n")
            print(rec)
    log.close()
    torch.save({"encoder_and_temp": model.state_dict(), "adam_state": opt.state_dict(),
                "episodes_seen": step, "ways": WAYS, "shots": 1},
               out / "matchingnet_300.pt")
    s, q, yv = val_eps[0]
    finish(out, __file__, {"inputs": s, "query": q, "targets": yv}, causes=[],
           checkpoint="matchingnet_300.pt", log="fewshot_log.jsonl",
           what="matching network 5-way 1-shot glyphs, unseen alphabets (healthy)")


if __name__ == "__main__":
    main()
