"""Plain torch: an MLP predicts, for a tuba coming off the bench in a tuba-making workshop,
how far (in cents) each of its first 6 open-horn partials (2nd–7th) will sit from equal
temperament, from 10 bore measurements: leadpipe entry/exit diameter, main tuning slide
bore, the four valve-section bores, bell-throat diameter, bell flare rate and total tube
length deviation. The targets come from the measurements through a few nonlinear
mechanisms, mostly interactions: leadpipe taper × flare rate raises the low partials and
lowers the high ones, the squared flare rate bends the series, a throat/flare interaction
pulls the 5th partial flat (the familiar flat 5th), valve bores × taper detune the upper
partials, the tuning-slide bore sharpens the 6th–7th, and length error shifts every partial;
plus 2 cents of noise.
Inputs and targets standardised. MLP 10→HIDDEN→HIDDEN→6 (tanh), ``HIDDEN = 2``; Adam 3e-3,
batch 64, 60 epochs of 1536 horns.
The bug: ``HIDDEN = 2`` (the author shrank the net while it was overfitting an earlier, 200-horn
data set and never grew it back): two tanh units cannot carry the four mechanisms, so train
and val MSE stop high: train MSE 1.01 at epoch 5, 0.847 at epoch 60, val MSE 1.16 → 1.000
(the variance of the standardised target), val MAE 5.9 → 5.27 cents, flat from epoch 40.
Control (``HIDDEN = 64``): train MSE 0.118, val MSE 0.180, val MAE 2.12 cents (the noise is
2 cents).
Checkpoint ``model`` / ``optim`` / ``epoch`` / ``step``; log ``fit_log.jsonl`` per epoch (ep,
tr_mse, va_mse, va_mae_cents)."""
import json

import torch
import torch.nn as nn

HIDDEN = 2


def horns(n, g):
    m = torch.randn(n, 10, generator=g)
    taper = m[:, 1] - m[:, 0]
    flare = m[:, 8]
    throat = m[:, 7]
    length = m[:, 9]
    valves = m[:, 3:7].mean(1)
    k = torch.arange(2, 8).float()[None]
    cents = (6 * (taper * flare)[:, None] * torch.tanh((4.5 - k) / 1.5)
             + 4 * (flare ** 2 - 1)[:, None] * ((k - 4.5) / 2.5) ** 2
             - 10 * (k == 5).float() * torch.sigmoid(2 * throat * flare)[:, None]
             + 2 * length[:, None] + 5 * torch.sin(2 * valves * taper)[:, None] * (k / 7)
             + 3 * m[:, 2:3] * torch.abs(m[:, 2:3]) * (k > 5).float())
    return m, cents + 2 * torch.randn(n, 6, generator=g)


class Intonation(nn.Module):
    def __init__(self, hidden=HIDDEN):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(10, hidden), nn.Tanh(), nn.Linear(hidden, hidden),
                                 nn.Tanh(), nn.Linear(hidden, 6))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return Intonation()


def main():
    from _twohundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, c = horns(1792, g)
    mu, sd = c[:1536].mean(0), c[:1536].std(0)
    y = (c - mu) / sd
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    optim = torch.optim.Adam(model.parameters(), lr=3e-3)
    mse = nn.MSELoss()
    log = open(out / "fit_log.jsonl", "w")
    step = 0
    for ep in range(60):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = mse(model(xb), yb)
            optim.zero_grad()
            loss.backward()
            optim.step()
            step += 1
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            rec = {"ep": ep, "tr_mse": round(tot / len(xtr), 4),
                   "va_mse": round(mse(p, yva).item(), 4),
                   "va_mae_cents": round(((p - yva) * sd).abs().mean().item(), 3)}
        log.write(json.dumps(rec) + "\n")
        if ep % 5 == 4:
            print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "epoch": 60,
                "step": step}, out / "intonation_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="intonation_mlp.pt", log="fit_log.jsonl",
           what="MLP tuba partial-intonation regression with 2 hidden units: train and val MSE"
                " both stall high",
           complaint=("I'm predicting tuba intonation (cents off for partials 2-7) from 10 bore "
                      "measurements, 1536 horns. The error won't come down: after 60 epochs the "
                      "validation MSE is 1.00 (standardised targets, so no better than predicting "
                      "the mean), train MSE 0.85, mean error 5.3 cents, and it has been flat for "
                      "the last 20 epochs. Our bench tech can guess better than that by eye. Is "
                      "Adam 3e-3 wrong for this, or is the data too noisy?"))


if __name__ == "__main__":
    main()
