"""Hotel bookings: will the guest cancel or not show up? An MLP on a synthetic export of a
hotel's property-management system, one row per booking, in the units the PMS stores them:
lead time (days, 0–400), average daily rate in cents (4 000–60 000), nights, adults, children,
previous cancellations, loyalty points (0–90 000), a non-refundable-deposit flag, the number of
special requests, and the booking and arrival timestamps (Unix seconds, 2023–2025). Cancellation
odds rise with lead time, the rate and earlier cancellations, fall with the deposit, special
requests and loyalty; ~33 % of the bookings cancel. MLP 11-64-32-1, BCE with logits, SGD lr 0.01
momentum 0.9, batch 128, 10 epochs of 6000 bookings; a CSV log per epoch (``epoch``,
``batch_loss_mean``, ``val_logloss``, ``val_auc``, ``val_acc``); checkpoint keys
``model_state_dict`` / ``optimizer_state_dict`` / ``columns`` / ``epoch``.
Bug: the scaler statistics are computed (and even saved for serving) but ``to_input`` only casts
the raw columns to float, so the network sees cents, loyalty points and 1.7e9-second timestamps
unscaled. Mean batch loss 1.9e25 in epoch 1, then 0.651 flat; val logloss 0.657, AUC 0.51 and
accuracy 0.633 (every booking "not cancelled") in all 10 epochs; the control (``to_input``
standardising with the training mean/std) reaches val AUC 0.875, logloss 0.422, accuracy 0.80."""
import csv

import torch
import torch.nn as nn

COLUMNS = ["lead_time_days", "adr_cents", "nights", "adults", "children", "prev_cancellations",
           "loyalty_points", "non_refundable", "special_requests", "booked_ts", "arrival_ts"]


def bookings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lead = (r(n) ** 1.8 * 400).round()
    adr = (4000 + r(n) ** 1.5 * 56000).round()
    nights = torch.randint(1, 8, (n,), generator=g).float()
    adults = torch.randint(1, 4, (n,), generator=g).float()
    children = (r(n) < 0.2).float() * torch.randint(1, 3, (n,), generator=g).float()
    prev = torch.poisson(torch.full((n,), 0.3), generator=g)
    loyalty = (r(n) < 0.4).float() * (r(n) * 90000).round()
    deposit = (r(n) < 0.25).float()
    requests = torch.poisson(torch.full((n,), 0.7), generator=g)
    booked = 1672531200 + (r(n) * 2 * 365 * 86400).round()
    arrival = booked + lead * 86400
    z = (-1.2 + 2.2 * lead / 400 + 1.2 * (adr - 4000) / 56000 + 1.0 * prev - 2.0 * deposit
         - 0.6 * requests - 1.0 * loyalty / 90000 + 0.2 * children)
    y = (r(n) < torch.sigmoid(z * 1.5)).float()
    x = torch.stack([lead, adr, nights, adults, children, prev, loyalty, deposit, requests,
                     booked, arrival], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(len(COLUMNS), 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def auc(score, y):
    order = score.argsort()
    rank = torch.empty_like(score)
    rank[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y.sum()
    return float((rank[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos)))


def main():
    from _hundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bookings(7500, g)
    xtr, ytr, xva, yva = x[:6000], y[:6000], x[6000:], y[6000:]
    mean, std = xtr.mean(0), xtr.std(0)  # for the serving side
    torch.save({"mean": mean, "std": std, "columns": COLUMNS}, out / "scaler.pt")

    def to_input(raw):
        return raw.float()

    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.BCEWithLogitsLoss()
    with open(out / "noshow_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "batch_loss_mean", "val_logloss", "val_auc", "val_acc"])
        for epoch in range(10):
            net.train()
            perm = torch.randperm(len(xtr), generator=g)
            losses = []
            for i in range(0, len(xtr), 128):
                idx = perm[i:i + 128]
                opt.zero_grad()
                loss = loss_fn(net(to_input(xtr[idx])).squeeze(1), ytr[idx])
                loss.backward()
                opt.step()
                losses.append(loss.item())
            net.eval()
            with torch.no_grad():
                logit = net(to_input(xva)).squeeze(1)
                vl = loss_fn(logit, yva).item()
                va_auc = auc(logit, yva)
                acc = ((logit > 0).float() == yva).float().mean().item()
            row = [epoch, sum(losses) / len(losses), vl, va_auc, acc]
            print(row)
            w.writerow(row)
    torch.save({"model_state_dict": net.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "columns": COLUMNS, "epoch": 9}, out / "noshow_mlp.pth")
    finish(out, __file__, (to_input(xva[:256]), yva[:256]), causes=["input_not_normalized"],
           checkpoint="noshow_mlp.pth", log="noshow_log.csv",
           what="hotel cancellation MLP fed raw cents / points / Unix timestamps, no scaling, SGD",
           complaint=("酒店取消预订预测模型完全学不动：第一个 epoch 的平均 batch loss 是 1.9e25，之后一直"
                      "停在 0.651 左右；验证集 logloss 0.657，AUC 0.51，准确率 0.633，正好等于"
                      "不取消的比例，也就是模型把所有订单都预测成不取消。SGD lr 0.01，"
                      "momentum 0.9，跑了 10 个 epoch，为什么学不到东西？"))


if __name__ == "__main__":
    main()
