"""Plain torch: a ReLU RNN with an identity start (IRNN) reads a road-mender's day book for
his length of water-bound macadam over a 120-day season and puts out, every day, the depth
of the wheel ruts (mm) he would find if he walked it that evening, so the parish can plan
his stone. Each day has the rain (mm), a frost flag, the count of loaded carts, and whether
he raked and re-stoned the length that day. Rule: ruts deepen with the cart count, three
times as fast on a soaked road (rain of the last days, held in the road with a 3-day decay)
and faster again after a frost-thaw; a mending day takes out 80 % of the depth; reading
noise 0.4 mm.
Input: (120, 4) standardised days. Target: rut mm / 10 per day. Model: nn.RNN 4→64 (ReLU,
recurrent weights started at the identity, input weights at std 0.1) → Linear 64→1 per
step; MSE, SGD 3e-3 momentum 0.9, batch 32, 12 epochs of 640 seasons, validation on 160.
The bug: the gradient-norm clip is commented out (``# torch.nn.utils.clip_grad_norm_(
model.parameters(), 1.0)  # off for this run, it held the loss back at the start``), and
the ReLU recurrence with an identity start over 120 days lets the back-propagated
gradient grow day after day: the grad norm is 1155 at the first step, the SGD step it
takes blows the weights up, the second batch's MSE is inf and every loss, grad norm and
val MSE after it is NaN; the checkpoint holds NaN weights (control, the clip line back in:
val MSE 0.570 → 0.096, MAE 5.8 → 2.2 mm, target variance 0.61).
Log: TSV per batch ``rut_steps.tsv`` (``epoch`` / ``batch`` / ``mse`` / ``grad_norm``) and a
JSON lines file per epoch ``rut_val.jsonl`` (``epoch`` / ``val_mse`` / ``val_mae_mm``);
checkpoint ``rut_irnn.ckpt`` with keys ``rnn`` / ``sgd_momentum`` / ``epoch`` /
``day_mean`` / ``day_std`` / ``mm_per_unit``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

DAYS = 120


def seasons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rain = torch.where(r(n, DAYS) < 0.35, 25 * r(n, DAYS) ** 2, torch.zeros(n, DAYS))
    frost = (r(n, DAYS) < 0.15 * (1 - torch.arange(DAYS) / DAYS)).float()  # frosts early on
    carts = torch.poisson(4 + 8 * r(n, 1).expand(n, DAYS), generator=g)
    gap = 10 + (20 * r(n, 1)).floor()
    mend = ((torch.arange(DAYS) + (gap * r(n, 1)).floor()) % gap == 0).float()
    depth = torch.zeros(n)
    wet = torch.zeros(n)
    thaw = torch.zeros(n)
    ys = []
    for d in range(DAYS):
        wet = 0.72 * wet + rain[:, d]
        thaw = torch.where(frost[:, d] > 0, torch.ones(n), 0.8 * thaw)
        soft = 1 + 2 * (wet / (wet + 10)) + 1.5 * thaw
        depth = depth + 0.05 * carts[:, d] * soft
        depth = torch.where(mend[:, d] > 0, 0.2 * depth, depth)
        ys.append(depth.clone())
    y = torch.stack(ys, 1) + 0.4 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([rain / 10, frost, carts / 10, mend], 2)
    return x, (y / 10).unsqueeze(2)


class RutIRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 64, nonlinearity="relu", batch_first=True)
        nn.init.eye_(self.rnn.weight_hh_l0)
        nn.init.normal_(self.rnn.weight_ih_l0, std=0.1)
        nn.init.zeros_(self.rnn.bias_hh_l0)
        nn.init.zeros_(self.rnn.bias_ih_l0)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return RutIRNN()


def main():
    from _threehundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = seasons(640, g)
    xva, yva = seasons(160, g)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
    with open(out / "rut_steps.tsv", "w") as steps, open(out / "rut_val.jsonl", "w") as val:
        steps.write("epoch\tbatch\tmse\tgrad_norm\n")
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr))
            for b in range(0, len(xtr), 32):
                idx = perm[b:b + 32]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
                # torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # off for this run, it held the loss back at the start
                opt.step()
                steps.write(f"{epoch}\t{b // 32}\t{loss.item():.6g}\t{gn.item():.6g}\n")
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"epoch": epoch, "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_mm": round(10 * (p - yva).abs().mean().item(), 4)}
            val.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"rnn": model.state_dict(), "sgd_momentum": opt.state_dict(), "epoch": 12,
                "day_mean": mu, "day_std": sd, "mm_per_unit": 10.0}, out / "rut_irnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="rut_irnn.ckpt", log="rut_steps.tsv",
           what="ReLU RNN (identity start) predicting daily rut depth on a road-mender's length"
                " over a season, trained without gradient clipping",
           complaint="My rut-depth RNN dies on the second batch. Batch 0: mse 3.26, grad_norm 1155;"
                     " batch 1: mse inf, and from there every mse, grad_norm and val_mse in my logs"
                     " is nan for all 12 epochs. Inputs are standardised, targets are rut mm / 10"
                     " (variance about 0.6), SGD lr 0.003 with momentum 0.9, which I would call"
                     " small. Saved weights are all nan. What is going on?")


if __name__ == "__main__":
    main()
