"""Plain torch: an MLP predicts the density of aggregating anemones (log of polyps per 0.25 m²
quadrat) in a rocky-shore tide pool from 8 numbers a survey team records per pool: counts of
barnacles, limpets and mussels in the quadrat, pool height above chart datum, pool volume,
shade fraction, summer max water temperature and wave exposure index. The target follows a
rule a shore ecologist would recognise (more anemones with more prey/substrate cover, fewer
high on the shore and in hot, exposed pools) plus noise. MLP 8-48-48-1 with Tanh, Adam 3e-3,
MSE, batch 32, 20 epochs of 1024 pools, validation on 256.
The bug: the three counts go into the net as ``torch.log(counts)`` ("counts are log-normal"),
but about 15 % of quadrats have zero limpets or mussels, so those inputs are -inf; the very
first batch gives a NaN loss and Adam fills every weight with NaN: train loss NaN at every
logged step, val MSE NaN every epoch. Control (``torch.log1p(x[:, :3])``): val MSE 0.161
after epoch 0 → 0.059 after epoch 19 (last step loss 0.14 → 0.05). Log: CSV per step (``epoch`` / ``step`` / ``loss``)
and a separate ``val.csv`` per epoch (``epoch`` / ``val_mse``); checkpoint keys ``state`` /
``opt_state`` / ``epoch``."""
import torch
import torch.nn as nn


def pools(n, g):
    lam = torch.tensor([40.0, 6.0, 3.0])
    counts = torch.poisson(lam * torch.exp(0.8 * torch.randn(n, 3, generator=g)), generator=g)
    height = 0.5 + 2.5 * torch.rand(n, 1, generator=g)
    other = torch.rand(n, 4, generator=g)
    x = torch.cat([counts, height, other], 1)
    y = (0.4 * torch.log1p(counts[:, 0]) + 0.5 * torch.log1p(counts[:, 1])
         + 0.3 * torch.log1p(counts[:, 2]) - 0.6 * height[:, 0] + 0.8 * other[:, 1]
         - 1.0 * other[:, 2] * other[:, 3] - 0.5 * other[:, 0] ** 2)
    return x, y + 0.2 * torch.randn(n, generator=g)


def features(x):
    counts = torch.log(x[:, :3])  # counts are log-normal
    return torch.cat([counts, x[:, 3:]], 1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 48), nn.Tanh(), nn.Linear(48, 48), nn.Tanh(),
                         nn.Linear(48, 1))


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pools(1024, g)
    xva, yva = pools(256, g)
    ym = ytr.mean()
    print("zero-count share", (xtr[:, :3] == 0).any(1).float().mean().item())
    torch.manual_seed(0)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=32,
                                         shuffle=True)
    with open(out / "train.csv", "w") as f, open(out / "val.csv", "w") as fv:
        f.write("epoch,step,loss\n")
        fv.write("epoch,val_mse\n")
        step = 0
        for epoch in range(20):
            net.train()
            for xb, yb in loader:
                loss = nn.functional.mse_loss(net(features(xb)).squeeze(-1), yb - ym)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 4 == 0:
                    f.write(f"{epoch},{step},{loss.item():.5f}\n")
            net.eval()
            with torch.no_grad():
                v = nn.functional.mse_loss(net(features(xva)).squeeze(-1), yva - ym).item()
            fv.write(f"{epoch},{v:.5f}\n")
            print(epoch, round(loss.item(), 4), round(v, 4))
    torch.save({"state": net.state_dict(), "opt_state": opt.state_dict(), "epoch": 20},
               out / "anemone_mlp.pt")
    finish(out, __file__, (features(xva[:64]), yva[:64] - ym), causes=["numerical_log_or_div_zero"],
           checkpoint="anemone_mlp.pt", log="train.csv",
           what="tide pool anemone density MLP taking log of quadrat counts that can be zero",
           complaint=("My tide pool anemone model gives loss = nan from the very first logged"
                      " step and the validation MSE is nan every epoch. The survey data looks"
                      " fine to me: no missing values, counts and heights all in range. I tried"
                      " it twice with the same result. Is the learning rate too high?"))


if __name__ == "__main__":
    main()
