"""Plain torch: a deep MLP tells a garrison quartermaster which stores lines must be
reordered on today's convoy request (binary). The rule is the stores office's reorder point:
reorder when the stock on hand plus what is already on order falls below the demand over
lead time plus the review period, plus safety stock at a 95 % service level
(1.65 × σ_daily × √(lead + review)). Inputs (8): stock on hand, quantity on order, mean
daily issues over the last fortnight, their standard deviation, supplier lead time (days),
days to the next convoy (review period), shelf life left (days, not in the rule), unit
price (not in the rule), the quantities, rates and price as logs; the recorded decision was made on the true issue rate, which the
fortnight's mean only estimates, so cases near the reorder point are fuzzy. Standardised with
the train mean / std. Model: 8 hidden layers of 48 units, ``act`` between them, Linear
48→1, Glorot-uniform weights and zero biases; BCE with logits, SGD 0.1 momentum 0.9, batch 100, 20 epochs, 3000 lines, validation on
600 (reorder share about 0.4).
The bug: the hidden units are sigmoids (``act = nn.Sigmoid``) through 8 layers, so the
gradient that reaches the first layers is scaled down by a quarter or less per layer and the
net never gets past the base rate: train BCE 0.720 → 0.695 (ln 2 = 0.693), val BCE 0.693-0.721,
val accuracy 0.49 or 0.51 every epoch, reorder recall flipping between 1.0 and 0.0 (every line
or none), 0.0 at the end (control, ``act = nn.ReLU``: val BCE 0.380 → 0.142, val accuracy
0.850 → 0.945, reorder recall 0.966).
Log: CSV per epoch ``depot_epochs.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_recall_reorder``); checkpoint ``reorder_net.tar`` with keys
``net_state`` / ``sgd_state`` / ``epochs_done`` / ``feature_mean`` / ``feature_std`` /
``service_z``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

Z = 1.65
act = nn.Sigmoid  # smooth units between the layers


def stores_lines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rate = torch.exp(torch.log(torch.tensor(2.0)) + 3.5 * r(n))  # 2-66 a day
    sigma = rate * (0.2 + 0.6 * r(n))
    lead = 3 + torch.randint(0, 26, (n,), generator=g).float()
    review = torch.tensor([7.0, 14.0, 28.0])[torch.randint(0, 3, (n,), generator=g)]
    point = rate * (lead + review) + Z * sigma * torch.sqrt(lead + review)
    position = point * torch.exp(0.9 * torch.randn(n, generator=g))
    on_order = torch.where(r(n) < 0.3, position * r(n) * 0.6, torch.zeros(n))
    stock = position - on_order
    seen_rate = rate + sigma / 14 ** 0.5 * torch.randn(n, generator=g)
    seen_sigma = sigma * (1 + 0.2 * torch.randn(n, generator=g)).clamp(min=0.3)
    shelf = 30 + 700 * r(n)
    price = torch.exp(8 * r(n))
    y = (position < point).float()
    x = torch.stack([torch.log1p(stock), torch.log1p(on_order), torch.log(seen_rate.clamp(min=0.5)),
                     torch.log(seen_sigma), lead, review, shelf, torch.log(price)], 1)
    return x, y


class ReorderNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, d = [], 8
        for _ in range(8):
            layers += [nn.Linear(d, 48), act()]
            d = 48
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(48, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.out(self.body(x)).squeeze(1)


def build():
    torch.manual_seed(0)
    return ReorderNet()


def main():
    from _threehundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = stores_lines(3000, g)
    rva, yva = stores_lines(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("reorder share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with open(out / "depot_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_bce", "val_bce", "val_acc", "val_recall_reorder"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = [tot / len(xtr), F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (pred == yva).float().mean().item(), pred[yva == 1].mean().item()]
            log.writerow([epoch] + [f"{v:.5f}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"net_state": model.state_dict(), "sgd_state": opt.state_dict(),
                "epochs_done": 20, "feature_mean": mean, "feature_std": std, "service_z": Z},
               out / "reorder_net.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="reorder_net.tar", log="depot_epochs.csv",
           what="8-hidden-layer sigmoid MLP deciding which garrison stores lines to reorder;"
                " gradients vanish through the sigmoid stack",
           complaint="Reorder model for the depot's stores lines: training BCE sits at"
                     " 0.69-0.70 for all 20 epochs and validation accuracy is 0.49 or 0.51 every"
                     " epoch; it flips between calling every line a reorder and calling none."
                     " 3000 lines, inputs standardised, about half of them need reordering.")


if __name__ == "__main__":
    main()
