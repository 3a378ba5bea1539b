"""SR-GNN-lite next-click prediction on synthetic shop sessions: 60 items, clicks follow a
Markov chain (each item has one usual successor, p 0.6, and a second one, p 0.25), sessions of
2–6 clicks zero-padded to 32 (item 0 = padding). The session graph is the click chain, causal (the
next click is the target); one gated graph step (messages from the previous click on the chain's adjacency into a GRUCell), then each
node's state scores every item against the shared item embeddings (next click at every
position). Adam 3e-3, batch 64 sessions, 5 epochs of 2000 sessions; a JSON-lines log every
10 steps (step, loss) plus an epoch line (epoch, val_hit1, val_hit5 over real next clicks).
Bug: ``nn.CrossEntropyLoss()`` without ``ignore_index=0`` over all 32 positions, where ~88 % of
the targets are padding: the loss is mostly the model predicting "0 follows 0", and the
last-click positions teach it to put padding first. Loss 3.69 → 0.19, val hit@1 0.30 → 0.48 →
0.42 (padding ranked first at 33 % of real next clicks), hit@5 0.85. Control (``ignore_index=0``): loss 1.46 (over real
clicks only), val hit@1 0.56 (0.55–0.59; the chain's ceiling is ~0.6), hit@5 0.85."""
import json

import torch
import torch.nn as nn

N_ITEMS, L = 60, 32


def sessions(n, g):
    nxt1 = torch.randperm(N_ITEMS, generator=g) + 1
    nxt2 = torch.randperm(N_ITEMS, generator=g) + 1
    x = torch.zeros(n, L, dtype=torch.long)
    for s in range(n):
        k = int(torch.randint(2, 7, (1,), generator=g))
        it = int(torch.randint(1, N_ITEMS + 1, (1,), generator=g))
        for t in range(k):
            x[s, t] = it
            r = float(torch.rand(1, generator=g))
            it = int(nxt1[it - 1]) if r < 0.6 else int(nxt2[it - 1]) if r < 0.85 else int(
                torch.randint(1, N_ITEMS + 1, (1,), generator=g))
    y = torch.zeros_like(x)
    y[:, :-1] = x[:, 1:]          # next click; the last click and the padding get 0
    return x, y


class SRGNNLite(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.emb = nn.Embedding(N_ITEMS + 1, d, padding_idx=0)
        self.w_in, self.w_out = nn.Linear(d, d), nn.Linear(d, d)
        self.gru = nn.GRUCell(2 * d, d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        h = self.emb(x)
        real = (x > 0).float()
        link = real[:, 1:] * real[:, :-1]                       # chain edges t -> t+1
        m_in = torch.zeros_like(h)
        m_out = torch.zeros_like(h)
        m_in[:, 1:] = self.w_in(h[:, :-1]) * link[..., None]    # from the previous click
        m_out[:, 1:] = self.w_out(h[:, :-1] - h[:, 1:]) * link[..., None]  # the step taken
        b, t, d = h.shape
        h = self.gru(torch.cat([m_in, m_out], -1).reshape(b * t, 2 * d), h.reshape(b * t, d))
        return self.proj(h).reshape(b, t, d) @ self.emb.weight.T


def build():
    torch.manual_seed(0)
    return SRGNNLite()


def main():
    from _ninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = sessions(2500, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    crit = nn.CrossEntropyLoss()
    log = open(out / "train_log.jsonl", "w")
    step = 0
    for ep in range(5):
        model.train()
        perm = torch.randperm(2000, generator=g)
        for i in range(0, 2000, 64):
            b = perm[i:i + 64]
            loss = crit(model(x[b]).reshape(-1, N_ITEMS + 1), y[b].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            sc = model(x[2000:])
            m = y[2000:] > 0
            top = sc[m].topk(5, -1).indices
            t = y[2000:][m]
            hit1 = (top[:, 0] == t).float().mean().item()
            hit5 = (top == t[:, None]).any(1).float().mean().item()
        rec = {"epoch": ep, "step": step, "val_hit1": round(hit1, 4), "val_hit5": round(hit5, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, round(loss.item(), 4))
    log.close()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "n_items": N_ITEMS, "max_len": L}, out / "srgnn_lite.pt")
    finish(out, __file__, (x[2000:2064], y[2000:2064]), causes=["loss_ignores_padding"],
           checkpoint="srgnn_lite.pt", log="train_log.jsonl",
           what="SR-GNN-lite next click, CrossEntropyLoss without ignore_index over zero-padded sessions",
           complaint="My SR-GNN session recommender reports a tiny loss, 0.19 after 160 steps (from 3.7), "
                     "but the next-click hit@1 on validation sessions is only 0.42 and it was 0.48 two "
                     "epochs earlier; hit@5 is 0.85. The loss says it is nearly perfect, the metric says "
                     "it is not.")


if __name__ == "__main__":
    main()
