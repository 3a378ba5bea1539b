"""Plain torch: an MLP predicts how long a pearl diver must rest at the surface (minutes)
before the next breath-hold dive, from the dive just made (depth m, bottom time s, descent
speed, water temperature, dives already made that day, resting heart rate). The rest follows
the usual rule of thumb (about twice the dive time, longer for deep dives and late in the day,
shorter in warm water), 2.5–9 min, plus 0.2 min noise; the inputs are standardised, the target
is in minutes.
MLP 6→64→64→1 with ReLU, MSE; Adam 2e-3, batch 32, 30 epochs of 1024 dives. Checkpoint
``model`` / ``optimizer_state`` / ``global_step`` / ``epoch``, log ``dive_rest.csv``
(epoch, train_mse, val_mse, val_mae_min).
The bug: the layers are built in a loop as ``nn.Linear(a, b, bias=False)`` (copied from a model
that had batch norm after every layer), so the net has no bias anywhere and f(0) = 0, f(cx) =
c·f(x): train MSE 9.46 in epoch 1, 1.22, then 0.58–0.63 from epoch 10 on; val MSE 0.59,
val MAE 0.61 min at epoch 30. Control (``bias=True``): val MSE 0.051, val MAE 0.18 min (the
0.2 min noise) at epoch 30."""
import torch
import torch.nn as nn


def dives(n, g):
    depth = 5 + 20 * torch.rand(n, generator=g)
    bottom = 20 + 60 * torch.rand(n, generator=g)
    speed = 0.6 + 0.6 * torch.rand(n, generator=g)
    temp = 22 + 8 * torch.rand(n, generator=g)
    count = torch.randint(0, 40, (n,), generator=g).float()
    hr = 50 + 20 * torch.rand(n, generator=g)
    dive_time = (2 * depth / speed + bottom) / 60
    rest = 2 * dive_time * (1 + 0.02 * (depth - 15).clamp(min=0)) + 0.03 * count \
        - 0.08 * (temp - 26) + 0.02 * (hr - 60) + 0.8
    rest = rest + 0.2 * torch.randn(n, generator=g)
    x = torch.stack([depth, bottom, speed, temp, count, hr], 1)
    return x, rest[:, None]


def build():
    torch.manual_seed(0)
    layers = []
    for a, b in [(6, 64), (64, 64)]:
        layers += [nn.Linear(a, b, bias=False), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(64, 1, bias=False))


def main():
    from _twohundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = dives(1024 + 256, g)
    x = (x - x[:1024].mean(0)) / x[:1024].std(0)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "dive_rest.csv", "w")
    log.write("epoch,train_mse,val_mse,val_mae_min\n")
    step = 0
    for epoch in range(30):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
            step += 1
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vm, va = nn.functional.mse_loss(p, yva).item(), (p - yva).abs().mean().item()
        log.write(f"{epoch + 1},{tot / len(train):.4f},{vm:.4f},{va:.4f}\n")
        print(epoch + 1, round(tot / len(train), 4), round(vm, 4), round(va, 4))
    log.close()
    torch.save({"model": model.state_dict(), "optimizer_state": opt.state_dict(),
                "global_step": step, "epoch": 30}, out / "dive_rest_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="dive_rest_mlp.pt", log="dive_rest.csv",
           what="MLP regressing a pearl diver's surface rest time, every Linear with bias=False",
           complaint=("Predicting surface rest time (minutes) for our pearl divers from the "
                      "dive log. Val MSE plateaus at 0.59 (MAE 0.61 min) after 30 epochs, "
                      "the formula the divers use is basically linear in these inputs so I "
                      "expected near the 0.2 min noise. Predictions look squashed for average "
                      "dives. Need more data?"))


if __name__ == "__main__":
    main()
