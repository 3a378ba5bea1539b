"""ESMM (entire-space multi-task model) on a synthetic shop impression log: user segment,
item, item category and hour bucket ids; a click with probability from a logistic model
(segment × category affinity, item quality, hour), about 14 % clicks; a purchase after a click
with its own logistic model (segment × category and item price tier), about 25 % of clicks.
Shared embeddings (8 dims per field), a CTR tower and a CVR tower (MLPs 32-16-1), pCTCVR =
pCTR × pCVR; the model outputs the pair (pCTR, pCTCVR) and is trained on the entire impression
space with BCE on both against (click, click & purchase). SGD 0.5 momentum 0.9 (tuned on
batches of 128), micro-batches of 128 accumulated 8 at a time (an effective batch of 1024),
6 epochs; the JSON-lines log holds the mean train loss per optimizer step every 5 steps and
per epoch the val log loss and AUC of CTR and CTCVR.
Bug: the accumulation loop calls ``loss.backward()`` on each of the 8 micro-batches without
dividing the loss by 8, so the summed gradient is 8× the mean one and with the lr tuned for one
batch every step is 8× too large."""
import json

import torch
import torch.nn as nn

CARD = [8, 200, 12, 6]  # segment, item, category, hour bucket
ACCUM = 8


def impressions(n, g):
    gen = torch.Generator().manual_seed(11)
    item_cat = torch.randint(0, CARD[2], (CARD[1],), generator=gen)
    item_q = torch.randn(CARD[1], generator=gen) * 0.7
    price = torch.randint(0, 3, (CARD[1],), generator=gen).float()
    aff = torch.randn(CARD[0], CARD[2], generator=gen)
    buy_aff = torch.randn(CARD[0], CARD[2], generator=gen)
    hour = torch.randn(CARD[3], generator=gen) * 0.5
    seg = torch.randint(0, CARD[0], (n,), generator=g)
    item = torch.randint(0, CARD[1], (n,), generator=g)
    cat = item_cat[item]
    hr = torch.randint(0, CARD[3], (n,), generator=g)
    p_click = torch.sigmoid(-2.3 + aff[seg, cat] + item_q[item] + hour[hr])
    click = (torch.rand(n, generator=g) < p_click).float()
    p_buy = torch.sigmoid(-1.2 + 1.2 * buy_aff[seg, cat] - 0.6 * price[item])
    buy = click * (torch.rand(n, generator=g) < p_buy).float()
    return torch.stack([seg, item, cat, hr], 1), torch.stack([click, buy], 1)


def tower():
    return nn.Sequential(nn.Linear(8 * len(CARD), 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                         nn.Linear(16, 1))


class ESMM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList(nn.Embedding(c, 8) for c in CARD)
        self.ctr = tower()
        self.cvr = tower()

    def forward(self, ids):
        e = torch.cat([emb(ids[:, i]) for i, emb in enumerate(self.embs)], 1)
        p_ctr = torch.sigmoid(self.ctr(e)).squeeze(-1)
        p_cvr = torch.sigmoid(self.cvr(e)).squeeze(-1)
        return torch.stack([p_ctr, p_ctr * p_cvr], 1)


def build():
    torch.manual_seed(0)
    return ESMM()


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y.sum()
    return ((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


def main():
    from _sixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = impressions(40000, g)
    ntr = 32768
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    bce = nn.BCELoss()
    log = open(out / "esmm_log.jsonl", "w")
    step = 0
    for epoch in range(6):
        model.train()
        micro = torch.randperm(ntr, generator=g).split(128)
        for k in range(0, len(micro), ACCUM):
            opt.zero_grad()
            tot = 0.0
            for idx in micro[k:k + ACCUM]:
                p = model(ids[idx]).clamp(1e-6, 1 - 1e-6)
                loss = bce(p[:, 0], y[idx, 0]) + bce(p[:, 1], y[idx, 1])
                loss.backward()
                tot += loss.item() / ACCUM
            opt.step()
            step += 1
            if step % 5 == 0:
                log.write(json.dumps({"epoch": epoch, "step": step,
                                      "loss_total": round(tot, 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            p = model(ids[ntr:]).clamp(1e-6, 1 - 1e-6)
            yv = y[ntr:]
            rec = {"epoch": epoch, "step": step,
                   "val_ctr_logloss": round(bce(p[:, 0], yv[:, 0]).item(), 4),
                   "val_ctcvr_logloss": round(bce(p[:, 1], yv[:, 1]).item(), 4),
                   "val_ctr_auc": round(auc(p[:, 0], yv[:, 0]), 4),
                   "val_ctcvr_auc": round(auc(p[:, 1], yv[:, 1]), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer": opt.state_dict(),
                "global_step": step}, out / "esmm.pth")
    finish(out, __file__, (ids[ntr:ntr + 512], y[ntr:ntr + 512]),
           causes=["grad_accum_unscaled"], checkpoint="esmm.pth", log="esmm_log.jsonl",
           what="ESMM CTR/CTCVR, 8 accumulated micro-batches, loss not divided by 8",
           complaint="Since we moved to accumulating 8 micro-batches to mimic the big-batch "
                     "setup, the CTR AUC sits at 0.51 and CTCVR is worse than before.")


if __name__ == "__main__":
    main()
