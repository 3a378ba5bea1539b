"""Plain torch loop: an MLP predicts the weekly weight change (kg) of a scale-mounted box in one
of our apiaries from 9 numbers logged that week: frames of bees, supers on, flowering index,
mean day temperature, rain days, wind, days since the last inspection, plus two that do not
matter (scale id, stand height). Weight change = nectar flow (flowering x frames, cut by rain days
and wind, a temperature optimum near 22 C) minus consumption (frames x 0.12 kg) with 0.3 kg of
noise, standardised with the training mean/std. MLP 9-64-64-1 (Tanh), MSE, SGD momentum 0.9 lr
0.02 with cosine decay, batch 64, 30 epochs of 1536 box-weeks, validation on 384.
Bug: the head returns (B, 1) and the loss is taken against the (B,) target as is, so
``F.mse_loss`` broadcasts to (B, B) and the net can only learn the batch mean (PyTorch's
size warning goes by once). Measured: train MSE 1.01 -> 0.999, val MSE 1.07-1.11, val MAE
0.73 (target std units) all run; control (``net(xb).squeeze(-1)``): train MSE 0.66 -> 0.079,
val MSE 0.56 -> 0.106, val MAE 0.53 -> 0.257.
Log: ``train_log.csv`` per epoch (``epoch`` / ``lr`` / ``loss`` / ``val_loss`` / ``val_mae``).
Checkpoint ``scale_mlp.ckpt``: ``model_state`` / ``optimizer_state`` / ``epoch`` / ``mu_sd``."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def box_weeks(n, g):
    frames = torch.randint(3, 11, (n,), generator=g).float()
    supers = torch.randint(0, 4, (n,), generator=g).float()
    flowering = torch.rand(n, generator=g)
    temp = 10 + 20 * torch.rand(n, generator=g)
    rain = torch.randint(0, 8, (n,), generator=g).float()
    wind = 8 * torch.rand(n, generator=g)
    since = torch.randint(0, 15, (n,), generator=g).float()
    junk = torch.randn(n, 2, generator=g)
    flow = (1.1 * flowering * frames * (1 - rain / 9) * torch.exp(-((temp - 22) / 7) ** 2)
            * (1 - 0.05 * wind))
    gain = flow - 0.12 * frames + 0.05 * supers + 0.3 * torch.randn(n, generator=g)
    x = torch.stack([frames, supers, flowering, temp, rain, wind, since], 1)
    return torch.cat([x, junk], 1), gain


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 1))


def main():
    from _twohundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, wtr = box_weeks(1536, g)
    xva, wva = box_weeks(384, g)
    xm, xs = xtr.mean(0), xtr.std(0)
    mu, sd = wtr.mean(), wtr.std()
    xtr, xva = (xtr - xm) / xs, (xva - xm) / xs
    ytr, yva = (wtr - mu) / sd, (wva - mu) / sd
    print("kg/week mean/std", mu.item(), sd.item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    with open(out / "train_log.csv", "w") as f:
        f.write("epoch,lr,loss,val_loss,val_mae\n")
        for epoch in range(30):
            net.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                pred = net(xb)  # (B, 1) weight change per box
                loss = F.mse_loss(pred, yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            net.eval()
            with torch.no_grad():
                pv = net(xva).squeeze(-1)
            line = (f"{epoch},{lr:.5f},{tot / len(xtr):.4f},{F.mse_loss(pv, yva).item():.4f},"
                    f"{(pv - yva).abs().mean().item():.4f}")
            f.write(line + "\n")
            print(line)
    torch.save({"model_state": net.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 30, "mu_sd": (mu.item(), sd.item())}, out / "scale_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="scale_mlp.ckpt", log="train_log.csv",
           what="apiaries box weight-change MLP whose (B, 1) output is compared with a (B,)"
                " target, so the MSE broadcasts",
           complaint=("Our scale boxes' weekly weight-change model won't learn anything: train"
                      " loss sits at 1.00 (standardised target) from the first epoch to the last,"
                      " val loss around 1.08, and every box gets almost the same prediction. The"
                      " flowering index and frame counts clearly drive the weight change, a"
                      " spreadsheet regression does better. Bad learning rate or too few"
                      " weeks of data?"))


if __name__ == "__main__":
    main()
