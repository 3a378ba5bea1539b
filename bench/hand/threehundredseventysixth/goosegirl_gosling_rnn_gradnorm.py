"""Plain torch: an Elman RNN (ReLU) follows the mean body weight of a pen of goslings that a
goose-girl rears to the autumn market, day by day over their first 70 days, from the day's
records: grain eaten (g per bird), hours out on the pasture, the day's mean temperature and
the water drunk (ml per bird). Growth is what they eat and graze turned into body weight:
feed converted at 2.6-3.2 g per g of gain (the pen's breed and health, fixed per pen),
grass adding up to 40 g a day with the hours out, less on cold days (maintenance), and
growth slowing as the birds near their mature weight (logistic limit 5.5-6.5 kg; the pens
stand at 2.9 ± 0.2 kg on day 70); the weight at each day is the sum of all the days before,
so the net has to carry it along.
Input: (70, 4) standardised with the train mean / std; target: (70, 1) (weight - 3) / 1.7.
Model: nn.RNN(4, 64, ReLU), Linear 64→1 at every day; per-day MSE, SGD 0.01 momentum 0.9,
batch 20, 25 epochs, 600 pens, validation on 150.
The bug: the gradient norm is taken for the log with
``torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))``, so nothing is ever
clipped; the ReLU recurrence over 70 days throws gradient spikes that SGD with momentum
follows: MSE 10.8 with gradient norm 1359 on the first batch, NaN loss and gradient
norm from the second step on, val MSE NaN every epoch (control,
``clip_grad_norm_(..., 1.0)``: gradient norms 1359, 310, 249 over the first steps, then
down to 0.05-0.1; val MSE 0.049 → 0.0008, day-70 weight MAE 0.17 → 0.049 kg).
Log: TSV every step ``pen_steps.tsv`` (``step`` / ``epoch`` / ``mse`` / ``grad_norm``)
and JSON lines per epoch ``pen_val.jsonl`` (``epoch`` / ``val_mse`` / ``val_mae_kg_day70``);
checkpoint ``gosling_rnn.pth`` with keys ``rnn_state`` / ``sgd_state`` / ``epoch`` /
``feature_mean`` / ``feature_std`` / ``kg_center_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

DAYS = 70


def pens(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    day = torch.arange(DAYS).float()
    fcr = 2.6 + 0.6 * r(n, 1)
    mature = 5.5 + 1.0 * r(n, 1)
    temp = 14 + 6 * r(n, 1) + 4 * torch.sin(day / 11 + 6 * r(n, 1)) + 2 * torch.randn(n, DAYS, generator=g)
    pasture = ((day >= 14).float() * (2 + 8 * r(n, DAYS)) * (temp > 8).float()).round()
    w = torch.zeros(n, DAYS)
    grain = torch.zeros(n, DAYS)
    cur = 0.1 + 0.02 * r(n)
    for t in range(DAYS):
        room = (1 - cur / mature[:, 0]).clamp(min=0.02)
        want = (40 + 250 * (cur / 3).clamp(max=1)) * (0.85 + 0.3 * r(n))
        grain[:, t] = want * (1 - 0.5 * pasture[:, t] / 10)
        grass = 4.0 * pasture[:, t]
        cold = 0.002 * cur * (15 - temp[:, t]).clamp(min=0)
        cur = cur + room * (grain[:, t] / fcr[:, 0] + grass) / 1000 - cold
        w[:, t] = cur
    water = 2.2 * grain + 30 * pasture + 5 * temp + 20 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([grain, pasture, temp, water], 2)
    return x, w.unsqueeze(2)


class PenRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 64, nonlinearity="relu", batch_first=True)
        self.head = nn.Linear(64, 1)
        nn.init.eye_(self.rnn.weight_hh_l0)  # IRNN: start the recurrence as an integrator
        nn.init.zeros_(self.rnn.bias_hh_l0)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return PenRNN()


def main():
    from _threehundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, wtr = pens(600, g)
    rva, wva = pens(150, g)
    mu, sd = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = (wtr - 3.0) / 1.7, (wva - 3.0) / 1.7
    print("day-70 weight kg", wtr[:, -1].mean().item(), wtr[:, -1].std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=20, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = 0
    with open(out / "pen_steps.tsv", "w") as st, open(out / "pen_val.jsonl", "w") as ev:
        st.write("step\tepoch\tmse\tgrad_norm\n")
        for epoch in range(25):
            model.train()
            for xb, yb in dl:
                loss = ((model(xb) - yb) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))  # total gradient norm, for the log
                opt.step()
                step += 1
                st.write(f"{step}\t{epoch}\t{loss.item():.6g}\t{gnorm.item():.6g}\n")
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = {"epoch": epoch, "val_mse": round(((pred - yva) ** 2).mean().item(), 6),
                   "val_mae_kg_day70": round((pred[:, -1] - yva[:, -1]).abs().mean().item() * 1.7, 5)}
            ev.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"rnn_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 25,
                "feature_mean": mu, "feature_std": sd, "kg_center_scale": (3.0, 1.7)},
               out / "gosling_rnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="gosling_rnn.pth", log="pen_steps.tsv",
           what="ReLU Elman RNN following a gosling pen's weight day by day; gradient norm"
                " measured with max_norm=inf, never clipped",
           complaint="Elman RNN for our gosling pen weights (70 days of feed / pasture / temperature /"
                     " water): the first batch has mse 10.8 and a gradient norm of 1359, and from"
                     " the second step on both the loss and the gradient norm in the log are nan."
                     " Validation mse is NaN in all 25 epochs. With lr 0.001 the second batch's"
                     " loss is 3e15 and then it is nan as well.")


if __name__ == "__main__":
    main()
