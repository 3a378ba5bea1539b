"""A DeepSurv-style survival model for ward patients: from 12 admission measurements (already
standardised) predict a log-risk score, trained with the Cox partial likelihood (risk sets from
the batch sorted by time, ``logcumsumexp``; Breslow, no ties). Event times are exponential with
a hazard that depends non-linearly on four of the measurements; 35.5 % of the patients are
censored. MLP 12-32-16-1 with dropout 0.1, Adagrad lr 0.05, batch 256, 30 epochs over 1800
patients, 600 held out; ``history.csv`` has the train loss, the val loss and Harrell's
concordance index.
Bug: ``cox_loss`` returns the partial log-likelihood itself (the author copied the formula of
the log-likelihood and forgot the minus), so minimising it pushes every event to the lowest
risk in its risk set. Train loss -9.4 (epoch 0) -> -7946, val loss
-31 -> -8711, falling without end; val c-index 0.405 -> 0.386, worse than a coin (the scores
rank the patients backwards). Control (``cox_wards_ok``, the minus in place): val c-index
0.69 -> 0.73, train loss 4.17 -> 3.87, val loss 5.31 -> 5.22."""
import csv

import torch
import torch.nn as nn


def patients(n, g):
    x = torch.randn(n, 12, generator=g)
    risk = 0.8 * x[:, 0] - 0.6 * x[:, 1] ** 2 + 0.5 * torch.tanh(2 * x[:, 2]) + 0.4 * x[:, 3] * x[
        :, 0]
    t_event = torch.empty(n).exponential_(generator=g) / risk.exp()
    t_cens = torch.empty(n).exponential_(generator=g) * 4.0
    time = torch.minimum(t_event, t_cens)
    return x, time, (t_event <= t_cens).float(), risk


def cox_loss(score, time, event):
    order = time.argsort(descending=True)
    score, event = score[order], event[order]
    log_risk_set = torch.logcumsumexp(score, 0)
    # partial log-likelihood over the events
    return ((score - log_risk_set) * event).sum() / event.sum().clamp(min=1)


def cindex(score, time, event):
    ok = event.bool()[:, None] & (time[:, None] < time[None, :])
    hits = (score[:, None] > score[None, :]).float() + 0.5 * (score[:, None] == score[None, :])
    return (hits * ok).sum().item() / ok.sum().item()


class RiskNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RiskNet()


def main():
    from _seventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, time, event, risk = patients(2400, g)
    tx, tt, te = x[:1800], time[:1800], event[:1800]
    vx, vt, ve = x[1800:], time[1800:], event[1800:]
    print("censored", round(1 - event.mean().item(), 3),
          "oracle c-index", round(cindex(risk[1800:], vt, ve), 3))
    model = build()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_cindex"])
        for epoch in range(30):
            model.train()
            losses = []
            for idx in torch.randperm(1800, generator=g).split(256):
                loss = cox_loss(model(tx[idx]), tt[idx], te[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
            model.eval()
            with torch.no_grad():
                s = model(vx)
                vl, ci = cox_loss(s, vt, ve).item(), cindex(s, vt, ve)
            row = [epoch, round(sum(losses) / len(losses), 4), round(vl, 4), round(ci, 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch},
               out / "risknet.pt")
    finish(out, __file__, (vx[:256], torch.stack([vt[:256], ve[:256]], 1)),
           causes=["loss_sign_error"], checkpoint="risknet.pt", log="history.csv",
           what="DeepSurv-style Cox model whose loss is the log-likelihood (minus forgotten)",
           complaint="生存分析的 Cox 模型：训练损失一直往负无穷走（到了 -8000），验证集的 "
                     "C-index 却只有 0.39，比随机猜还差")


if __name__ == "__main__":
    main()
