"""Iterative magnitude pruning of an MLP for synthetic customer-churn data: 14 numeric
features (tenure, monthly charges, support calls, ... on their own scales), churn from a
noisy logistic rule on six of them (Bayes accuracy ≈ 0.85). MLP 14 → 128 → 128 → 2, Adam 1e-3,
batch 128; 4 pruning rounds of 5 epochs, each round removing 20 % more of the remaining
weights by global magnitude and training on with the masks re-applied after every step
(weights rewound to the round's start are not used: plain prune-and-fine-tune). Features are
standardised with the training split's mean and std. The log (CSV) holds per epoch the round,
the sparsity, train / val loss and val accuracy.
Bug: ``x = (x - mu) / sd`` with ``sd = train.std(0)``: the ``contract_type`` column is the
same (1.0, "monthly") for every customer in this extract, its std is 0 and the column becomes
0/0 = NaN for every row, so the very first loss is NaN and every weight with it."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATS = 14


def customers(n, g):
    scale = torch.tensor([24, 70, 2, 1500, 5, 1, 12, 3, 40, 1, 8, 100, 1, 6.0])
    shift = torch.tensor([30, 65, 1, 2000, 3, 0, 20, 1, 50, 0, 4, 300, 0, 10.0])
    z = torch.randn(n, FEATS, generator=g)
    x = z * scale + shift
    x[:, 12] = 1.0  # contract_type: every customer in this extract is on a monthly contract
    logit = (-1.2 * z[:, 0] + 0.9 * z[:, 1] + 1.1 * z[:, 2] * z[:, 4].abs() - 0.7 * z[:, 6]
             + 0.8 * torch.tanh(2 * z[:, 8]) + 0.6 * z[:, 10])
    y = (logit + 0.8 * torch.randn(n, generator=g) > 0).long()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(FEATS, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 2))


def prune(model, masks, fraction):
    """Remove ``fraction`` of the surviving weights, smallest magnitude first, over all layers."""
    names = [n for n, _ in model.named_parameters() if n in masks]
    params = dict(model.named_parameters())
    score = torch.cat([params[n].detach().abs().masked_fill(~masks[n], float("inf")).flatten()
                       for n in names])
    alive = int(sum(int(masks[n].sum()) for n in names))
    flat = torch.cat([masks[n].flatten() for n in names])
    flat[score.argsort()[:int(fraction * alive)]] = False
    start = 0
    for n in names:
        k = masks[n].numel()
        masks[n] = flat[start:start + k].view_as(masks[n])
        start += k


def main():
    from _fiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = customers(5000, g)
    tx, ty, vx, vy = x[:4000], y[:4000], x[4000:], y[4000:]
    mu, sd = tx.mean(0), tx.std(0)
    tx, vx = (tx - mu) / sd, (vx - mu) / sd
    model = build()
    masks = {n: torch.ones_like(p, dtype=torch.bool) for n, p in model.named_parameters()
             if n.endswith("weight")}
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "imp_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["round", "epoch", "sparsity", "train_loss", "val_loss", "val_acc"])
    for rnd in range(4):
        if rnd:
            prune(model, masks, 0.2)
        total = sum(m.numel() for m in masks.values())
        sparsity = 1 - sum(int(m.sum()) for m in masks.values()) / total
        for epoch in range(5):
            model.train()
            losses = []
            for idx in torch.randperm(4000, generator=g).split(128):
                loss = F.cross_entropy(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                with torch.no_grad():
                    for n, p in model.named_parameters():
                        if n in masks:
                            p.mul_(masks[n])
                losses.append(loss.item())
            model.eval()
            with torch.no_grad():
                logits = model(vx)
                vl = F.cross_entropy(logits, vy).item()
                acc = (logits.argmax(1) == vy).float().mean().item()
            w.writerow([rnd, rnd * 5 + epoch, round(sparsity, 3),
                        round(sum(losses) / len(losses), 4), round(vl, 4), round(acc, 4)])
            print(rnd, epoch, round(sparsity, 3), round(sum(losses) / len(losses), 4),
                  round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"model_state": model.state_dict(), "masks": masks,
                "optimizer_state": opt.state_dict(), "round": rnd, "sparsity": sparsity},
               out / "imp_round3.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["numerical_log_or_div_zero"],
           checkpoint="imp_round3.pt", log="imp_log.csv",
           what="iterative magnitude pruning MLP on churn data, std-0 column standardised",
           complaint="my pruning experiment prints nan for the loss from the first epoch on and "
                     "the validation accuracy is stuck at about 0.5 in every round")


if __name__ == "__main__":
    main()
