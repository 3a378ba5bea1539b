"""Plain torch: an MLP regression predicts how many years a thatched roof has left before the
thatcher must re-coat it, from 8 numbers a roof survey records (coat thickness in cm, roof
pitch in degrees, water reed or long straw, moss cover share, probe reading of the wet depth,
tree shade hours, wind exposure, years since the last coat); the target is a nonlinear
function of a few of them plus noise. Some survey sheets have no probe reading (the meter was
left in the van on 4 % of visits): that column is NaN there. MLP 8-64-32-1 with ReLU, Adam
2e-3, batch 32, 25 epochs of 1024 roofs, shuffled, MSE on the standardised target.
The bug: the statistics are taken with ``nanmean`` / ``nanstd`` (so they come out finite), but
``prep`` only standardises and never fills the missing readings, so the NaN cells stay in the
inputs. The first batch holding a missing reading gives a NaN loss, Adam writes NaN into every
weight, and from then on everything is NaN: loss NaN at every logged step from step 8, val
MAE NaN in all 25 epochs. Control (``return ((raw - mu) / sd).nan_to_num(0.0)``, the missing
readings set to the mean): val MAE 2.013 years after epoch 1, 0.913 at epoch 5, 0.892 at
epoch 13, 0.921 at epoch 25; last logged train loss 0.0138."""
import csv

import numpy as np
import torch
import torch.nn as nn


def survey(n, g):
    x = torch.randn(n, 8, generator=g)
    x[:, 2] = (x[:, 2] > 0).float()  # water reed (1) or long straw (0)
    years = (14 + 4 * x[:, 0] + 3 * x[:, 2] - 3 * torch.relu(x[:, 3]) - 2.5 * x[:, 4]
             - 1.5 * x[:, 4] * x[:, 6] - 2 * x[:, 7] + 0.8 * torch.randn(n, generator=g))
    raw = torch.stack([30 + 6 * x[:, 0], 50 + 5 * x[:, 1], x[:, 2], 0.3 + 0.1 * x[:, 3],
                       8 + 3 * x[:, 4], 4 + 2 * x[:, 5], 5 + 2 * x[:, 6], 10 + 4 * x[:, 7]], 1)
    missing = torch.rand(n, generator=g) < 0.04
    raw[missing, 4] = float("nan")
    return raw, years


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _twohundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw_tr, ytr = survey(1024, g)
    raw_va, yva = survey(256, g)
    mu = torch.tensor(np.nanmean(raw_tr.numpy(), 0))
    sd = torch.tensor(np.nanstd(raw_tr.numpy(), 0))
    ym, ys = ytr.mean(), ytr.std()

    def prep(raw):
        return (raw - mu) / sd

    xtr, xva = prep(raw_tr), prep(raw_va)
    ytr, yva = ((ytr - ym) / ys)[:, None], ((yva - ym) / ys)[:, None]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss", "val_mae_years"])
    step = 0
    for epoch in range(1, 26):
        model.train()
        for xb, yb in train:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                w.writerow([step, epoch, round(loss.item(), 5), ""])
        model.eval()
        with torch.no_grad():
            mae = ((model(xva) - yva).abs().mean() * ys).item()
        w.writerow([step, epoch, round(loss.item(), 5), round(mae, 4)])
        print(epoch, round(loss.item(), 5), round(mae, 4))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 25, "step": step, "target_mean": ym.item(), "target_std": ys.item()},
               out / "thatch_years.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="thatch_years.pt", log="log.csv",
           what="thatched-roof remaining-years MLP whose survey inputs keep the NaN cells of"
                " missing probe readings",
           complaint=('Our thatch re-coat predictor gives nothing but NaN. The log shows loss = nan from the very first line (step 8) and val MAE is nan for all 25 epochs, so the saved model is useless. The survey data comes from our roof visit sheets, 1024 roofs for training and 256 for validation; the target is the years until a roof needs a new coat. Is the learning rate too high or is something wrong with the network?'))


if __name__ == "__main__":
    main()
