"""Plain torch: an MLP estimates how many shorebirds are in a flock from 12 numbers a
birdwatching survey app logs per count (flock area in a scope's reticle, mean spacing, tide
height, distance to flock, light level, wind, observer experience, plus junk columns). The
true count follows area / spacing^2 with a distance correction and 8 % noise; the target is
log(count), standardised. MLP 12-64-64-32-1 with ReLU, SGD momentum 0.9 lr 0.01, MSE, batch 32,
25 epochs of 1536 counts, validation on 384.
The bug: ``__init__`` sets every Linear bias to -2.5 ("start sparse, like the paper"); with
standardised inputs and PyTorch's default weight scale almost every hidden pre-activation is
negative, the ReLUs output 0 and pass no gradient, and the net is stuck near the mean:
train MSE 1.9891 → 1.0050 (flat at ~1.00 from epoch 1), val MSE 0.9649 → 0.9249, val MAE
0.78 → 0.77. Control (the bias line's ``-2.5`` → ``0.0`` via sed): train MSE 0.7934 → 0.0113,
val MSE 0.1089 → 0.0153, val MAE 0.26 → 0.10. Log: CSV per epoch (``epoch,train_mse,val_mse,val_mae``); checkpoint keys
``model`` / ``optim`` / ``epoch`` / ``target_mean`` / ``target_std``."""
import torch
import torch.nn as nn


def counts(n, g):
    x = torch.randn(n, 12, generator=g)
    area = torch.exp(0.5 * x[:, 0] + 3.0)
    spacing = torch.exp(0.25 * x[:, 1])
    dist = torch.exp(0.3 * x[:, 2])
    n_birds = area / spacing ** 2 * (1 + 0.15 * dist) * (1 + 0.1 * torch.tanh(x[:, 3]))
    n_birds = n_birds * torch.exp(0.08 * torch.randn(n, generator=g))
    return x, torch.log(n_birds)


class FlockNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, -2.5)  # start sparse, like the paper

    def forward(self, x):
        return self.body(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return FlockNet()


def main():
    from _twohundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = counts(1536, g)
    xva, yva = counts(384, g)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    with open(out / "epochs.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_mae\n")
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            vm, va = nn.functional.mse_loss(pv, yva).item(), (pv - yva).abs().mean().item()
            f.write(f"{epoch},{tot / len(ytr):.4f},{vm:.4f},{va:.4f}\n")
            print(epoch, round(tot / len(ytr), 4), round(vm, 4), round(va, 4))
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 25,
                "target_mean": mu, "target_std": sd}, out / "flock_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="flock_mlp.pt", log="epochs.csv",
           what="birdwatching flock-count MLP whose Linear biases are all initialised to -2.5,"
                " so the ReLUs are dead from the start",
           complaint=("Flock-size estimator for our shorebird survey does not learn anything: train"
                      " MSE drops from 1.99 to 1.00 in the first epoch and then sits at 1.00 for"
                      " 24 epochs, val MSE stays at 0.92-0.96 the whole time, and every flock gets practically the same count."
                      " The count is basically area over spacing squared, so an MLP should nail"
                      " it. Tried lr 0.01 with momentum; nothing moves."))


if __name__ == "__main__":
    main()
