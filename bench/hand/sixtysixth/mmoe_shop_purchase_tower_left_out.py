"""MMoE multi-task recommender on synthetic shop impressions: 60 users and 50 items with hidden
4-d taste / style factors, 6 dense context features (hour, device, price, …); match = u·v / 2.
A click is Bernoulli(σ(3·match + dense·w_c − 0.5)) (≈ 45 %), a purchase (observed on every
impression, ≈ 24 %) Bernoulli(σ(2.5·match − 1.5·(price sensitivity of the user)·price +
dense·w_p − 2.5)): the two
tasks share the taste match but differ in the rest. Model: user and item embeddings (16 each) +
the dense features → 4 shared experts (MLP 38 → 32 → 16), one softmax gate per task over the
experts, a click tower and a purchase tower (MLP 16 → 16 → 1 each, the last layer started at
zero weights and the task's base-rate log-odds as bias); loss: BCE with logits of
both tasks, summed. Adam 3e-3, batch 256, 6 epochs over 16000 impressions (4000 for
validation). Log: CSV ``epoch,batches,bce_click,bce_buy,val_bce_click,val_bce_buy,
val_auc_click,val_auc_buy`` per epoch.
Bug: the purchase tower was added to a click-only model and the optimizer line that lists the
modules was not updated — ``Adam([*features, *experts, *gates, *click_tower], lr)`` — so the
purchase tower keeps its initial weights."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

USERS, ITEMS, DENSE, E = 60, 50, 6, 16


def impressions(n, g):
    u_f = torch.randn(USERS, 4, generator=g)
    i_f = torch.randn(ITEMS, 4, generator=g)
    sens = torch.rand(USERS, generator=g)
    w_c, w_p = torch.randn(DENSE, generator=g) * 0.5, torch.randn(DENSE, generator=g) * 0.5
    user = torch.randint(0, USERS, (n,), generator=g)
    item = torch.randint(0, ITEMS, (n,), generator=g)
    dense = torch.randn(n, DENSE, generator=g)
    match = (u_f[user] * i_f[item]).sum(1) / 2
    click = torch.bernoulli(torch.sigmoid(3 * match + dense @ w_c - 0.5), generator=g)
    buy_logit = 2.5 * match - 1.5 * sens[user] * dense[:, 2] + dense @ w_p - 2.5
    buy = torch.bernoulli(torch.sigmoid(buy_logit), generator=g)
    return user, item, dense, torch.stack([click, buy], 1)


def auc(score, y):
    order = score.argsort()
    rank = torch.empty_like(score)
    rank[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y.bool()
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return ((rank[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)).item()


def tower(prior):
    t = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    nn.init.zeros_(t[-1].weight)  # start every impression at the task's base rate
    nn.init.constant_(t[-1].bias, prior)
    return t


class MMoE(nn.Module):
    def __init__(self, experts=4):
        super().__init__()
        self.features = nn.ModuleDict({"user": nn.Embedding(USERS, E),
                                       "item": nn.Embedding(ITEMS, E)})
        d = 2 * E + DENSE
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, 16),
                                                    nn.ReLU()) for _ in range(experts)])
        self.gates = nn.ModuleList([nn.Linear(d, experts) for _ in range(2)])
        self.click_tower = tower(-0.22)  # log-odds of the ≈ 45 % click rate
        self.purchase_tower = tower(-1.16)  # and of the ≈ 24 % purchase rate

    def forward(self, user, item, dense):  # → (B, 2) logits: click, purchase
        x = torch.cat([self.features["user"](user), self.features["item"](item), dense], 1)
        ex = torch.stack([e(x) for e in self.experts], 1)  # (B, 4, 16)
        mix = [(g(x).softmax(-1)[:, :, None] * ex).sum(1) for g in self.gates]
        return torch.cat([self.click_tower(mix[0]), self.purchase_tower(mix[1])], 1)


def build():
    torch.manual_seed(0)
    return MMoE()


def main():
    from _sixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    user, item, dense, y = impressions(20000, g)
    model = build()
    params = [*model.features.parameters(), *model.experts.parameters(),
              *model.gates.parameters(), *model.click_tower.parameters()]
    opt = torch.optim.Adam(params, lr=3e-3)
    f = open(out / "mmoe_epochs.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["epoch", "batches", "bce_click", "bce_buy", "val_bce_click", "val_bce_buy",
                  "val_auc_click", "val_auc_buy"])
    batches = 0
    for epoch in range(6):
        model.train()
        perm = torch.randperm(16000, generator=g)
        tot = torch.zeros(2)
        for b in range(0, 16000, 256):
            idx = perm[b:b + 256]
            logits = model(user[idx], item[idx], dense[idx])
            per_task = F.binary_cross_entropy_with_logits(logits, y[idx], reduction="none").mean(0)
            loss = per_task.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            batches += 1
            tot += per_task.detach() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(user[16000:], item[16000:], dense[16000:])
            vb = F.binary_cross_entropy_with_logits(logits, y[16000:], reduction="none").mean(0)
            a = [auc(logits[:, k], y[16000:, k]) for k in range(2)]
        row = [epoch, batches, *[round(v, 4) for v in (tot / 16000).tolist()],
               *[round(v, 4) for v in vb.tolist()], round(a[0], 4), round(a[1], 4)]
        log.writerow(row)
        print(row)
    f.close()
    torch.save({"mmoe": model.state_dict(), "adam": opt.state_dict(), "epochs": epoch + 1,
                "tasks": ["click", "purchase"]}, out / "mmoe_last.pt")
    finish(out, __file__, {"inputs": user[16000:16256], "item": item[16000:16256],
                           "dense": dense[16000:16256], "targets": y[16000:16256]},
           causes=["params_not_in_optimizer"], checkpoint="mmoe_last.pt", log="mmoe_epochs.csv",
           what="MMoE click + purchase recommender, purchase tower left out of the optimizer",
           complaint="the click head of my MMoE is fine but the purchase head is much worse "
                     "than our old single-task purchase model; its validation BCE is stuck and "
                     "the purchase AUC is low")


if __name__ == "__main__":
    main()
