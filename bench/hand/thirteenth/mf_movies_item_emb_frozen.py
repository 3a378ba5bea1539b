"""Matrix-factorisation recommender for a small film club: 300 members, 200 films, a rating
1-5 from a user vector . item vector (dim 16) plus user and item biases plus the global
mean; 12,000 observed ratings (20 %), rating noise std 0.5. Trained with MSE on the centred
rating plus an L2 term 0.05 * (|p_u|^2 + |q_i|^2) on the looked-up vectors, Adam 5e-3,
batch 256, 12 epochs, a JSON-lines log per epoch (train and val RMSE). Bug:
``model.item_emb.weight.requires_grad_(False)`` -- left from an experiment that warm-started
the film vectors from genre tags, then dropped; the film vectors stay at their random init
and only the user side and the biases learn: the val RMSE goes 1.06 -> 0.97 and stays there
while the train RMSE falls to 0.86 (control, film vectors trained: train 0.42, val 0.69 and
still falling; rating noise 0.5)."""
import json

import torch
import torch.nn as nn

USERS, ITEMS, DIM = 300, 200, 16
REG = 0.05
FREEZE_ITEMS = True  # BUG: left over from the genre-tag warm start


def ratings(g):
    u_true = torch.randn(USERS, 4, generator=g)
    i_true = torch.randn(ITEMS, 4, generator=g)
    ub, ib = 0.4 * torch.randn(USERS, generator=g), 0.5 * torch.randn(ITEMS, generator=g)
    pairs = torch.randperm(USERS * ITEMS, generator=g)[:12000]
    u, i = pairs // ITEMS, pairs % ITEMS
    r = 3.4 + ub[u] + ib[i] + 0.45 * (u_true[u] * i_true[i]).sum(1) \
        + 0.5 * torch.randn(len(u), generator=g)
    return u, i, r.clamp(1, 5)


class MF(nn.Module):
    def __init__(self, mean=3.4):
        super().__init__()
        self.user_emb, self.item_emb = nn.Embedding(USERS, DIM), nn.Embedding(ITEMS, DIM)
        self.user_bias, self.item_bias = nn.Embedding(USERS, 1), nn.Embedding(ITEMS, 1)
        nn.init.normal_(self.user_emb.weight, std=0.1)
        nn.init.normal_(self.item_emb.weight, std=0.1)
        nn.init.zeros_(self.user_bias.weight)
        nn.init.zeros_(self.item_bias.weight)
        self.mean = mean

    def forward(self, pairs):
        u, i = pairs[:, 0], pairs[:, 1]
        pu, qi = self.user_emb(u), self.item_emb(i)
        self.penalty = (pu.pow(2).sum(1) + qi.pow(2).sum(1)).mean()  # for the L2 term
        return self.mean + (pu * qi).sum(1) + self.user_bias(u).squeeze(1) \
            + self.item_bias(i).squeeze(1)


def build():
    torch.manual_seed(0)
    model = MF()
    if FREEZE_ITEMS:
        model.item_emb.weight.requires_grad_(False)
    return model


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    u, i, r = ratings(g)
    pairs = torch.stack([u, i], 1)
    tp, tr, vp, vr = pairs[:10000], r[:10000], pairs[10000:], r[10000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    log = open(out / "mf_log.jsonl", "w")
    for epoch in range(12):
        model.train()
        se = 0.0
        for idx in torch.randperm(10000, generator=g).split(256):
            mse = nn.functional.mse_loss(model(tp[idx]), tr[idx])
            loss = mse + REG * model.penalty
            opt.zero_grad()
            loss.backward()
            opt.step()
            se += mse.item() * len(idx)
        model.eval()
        with torch.no_grad():
            val_rmse = (model(vp) - vr).pow(2).mean().sqrt().item()
        rec = {"epoch": epoch, "train_rmse": round((se / 10000) ** 0.5, 4),
               "val_rmse": round(val_rmse, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "mf.pt")
    finish(out, __file__, (vp[:256], vr[:256]), causes=["gradient_not_flowing"],
           checkpoint="mf.pt", log="mf_log.jsonl",
           what="matrix factorisation, item embeddings frozen by a leftover requires_grad_(False)",
           complaint="film recommender (user and film embeddings): train RMSE keeps going down "
                     "but validation RMSE is stuck around 0.9, barely better than predicting "
                     "each film's average rating")


if __name__ == "__main__":
    main()
