"""Plain torch: an MLP estimates a roller skater's speed (km/h) from 16 numbers that a pair of
skate-mounted IMUs summarise per 5 s of skating on an outdoor track: stride rate, push-off
angle, stroke length, glide time, double-support share, lean angle, left/right asymmetry,
vertical bounce, ... Speed follows from stroke length × stride rate with a glide bonus and a
penalty for upright posture, plus skater-to-skater spread; 10–32 km/h.
Linear(16→64)-ReLU-Linear(64→64)-ReLU-Linear(64→1), inputs standardised, targets in km/h;
SGD momentum 0.9, lr 0.1, batch 32, 20 epochs of 1024 windows (256 validation), MSE, with
``clip_grad_norm_(max_norm=1.0)`` because the raw-km/h loss starts in the hundreds.
The bug: the clipping line sits after ``opt.step()``, so it clips gradients that were already
applied (and are zeroed before the next step), so every step takes the full gradient of a
raw-km/h MSE (targets 10–32 km/h, mean 20, variance 33) at lr 0.1 with momentum: the loss
overflows within the first epoch and train MSE, val MSE, val MAE and the logged grad norm are
nan from epoch 1 to 20 (weights nan). Control (clipping moved in front of ``opt.step()``, same
lr): train MSE 139 in epoch 1, val MSE 9.0 after epoch 1, 1.47 at 10, 1.43 at 20 (val MAE
0.76 km/h).
Log: CSV per epoch ``epoch`` / ``train_mse`` / ``val_mse`` / ``val_mae`` / ``grad_norm`` (the
norm ``clip_grad_norm_`` returns, the last batch's)."""
import torch
import torch.nn as nn

W = torch.tensor([0.9, -0.4, 1.2, 0.5, -0.3, 0.6, -0.2, 0.1, 0.0, 0.3, -0.1, 0.2, 0.0, 0.4,
                  -0.2, 0.1])


def windows(n, g):
    x = torch.randn(n, 16, generator=g)
    rate = 1.0 + 0.15 * x[:, 0]
    length = 4.0 + 0.6 * x[:, 2]
    speed = 3.6 * rate * length * 1.4 + 1.5 * x[:, 3] - 1.2 * torch.relu(x[:, 5]) + x @ W
    speed = speed + 0.6 * torch.randn(n, generator=g)
    feats = x * torch.tensor([0.3, 5, 0.6, 0.2, 4, 0.05, 3, 0.5, 1, 2, 1, 0.1, 7, 1, 2, 0.4]) \
        + torch.tensor([1.0, 35, 4, 0.8, 20, 0.3, 15, 2, 0, 5, 1, 0.5, 60, 3, 9, 1])
    return feats, speed.clamp(10, 32)[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(256, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    mse = nn.MSELoss()
    log = open(out / "speed_log.csv", "w")
    log.write("epoch,train_mse,val_mse,val_mae,grad_norm\n")
    for epoch in range(1, 21):
        model.train()
        tot, n = 0.0, 0
        for xb, yb in train:
            loss = mse(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            gn = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            tot += loss.item() * len(yb)
            n += len(yb)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
            vm, va = mse(pv, yva).item(), (pv - yva).abs().mean().item()
        log.write(f"{epoch},{tot / n:.4f},{vm:.4f},{va:.4f},{gn.item():.4f}\n")
        print(epoch, round(tot / n, 4), round(vm, 4), round(va, 4), round(gn.item(), 3))
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "x_mean": mu, "x_std": sd}, out / "skate_speed.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="skate_speed.pth", log="speed_log.csv",
           what="MLP roller-skate speed regression, SGD 0.02 on raw km/h: clip_grad_norm_ called"
                " after opt.step()",
           complaint=("My roller skating speed model (16 stride features from skate IMUs -> "
                      "km/h, MLP, SGD momentum 0.9 lr 0.1) gives nan from the very first epoch: "
                      "train MSE, val MSE, val MAE, all nan for all 20 epochs. I already clip "
                      "the gradient norm to 1.0 every step, and the inputs are standardised "
                      "and have no nan in them. Where do the nans come from?"))


if __name__ == "__main__":
    main()
