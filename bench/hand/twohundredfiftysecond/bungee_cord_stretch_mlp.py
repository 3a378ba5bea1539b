"""Plain torch: an MLP predicts how far a bungee cord will stretch on a jump (metres,
standardised) from 6 readings taken at the bridge: jumper mass (kg), unstretched cord length
(m), cord rating (stiffness, kN/m), number of cord strands, cord age (jumps done) and air
temperature. The stretch follows the energy balance of a spring (mass × free fall over the
effective stiffness, softer with age and heat, stiffer with more strands) plus measurement
noise; the inputs are standardised with the training mean / std. Linear(6→64)-ReLU-
Linear(64→64)-ReLU-Linear(64→1), MSE; Adam lr 1e-3, batch 32, 12 epochs of 1024
jumps, shuffled. Log ``stretch_log.csv`` every 8 steps (``step`` / ``epoch`` / ``mse``, with
``val_mse`` on each epoch's last row); checkpoint ``net`` / ``opt`` + ``epoch``.
The bug: the loop has no ``opt.zero_grad()``, so every step adds its gradient to all the
earlier ones. Val MSE 0.40, 0.45, 0.55, 0.41,
0.31, 0.12 in epochs 1–6, then blows up to 1.28 and 2.29 at epochs 7–8 and comes back to
1.04, 0.50, 0.26, 0.199 at epoch 12 (standardised target: 1.0 is predicting the mean).
Control (``opt.zero_grad()`` put back before ``loss.backward()``): val MSE 0.51 → 0.13 at epoch 2 →
0.035 at 5 → 0.011 at epoch 12, smoothly."""
import sys

import torch
import torch.nn as nn


def jumps(n, g):
    mass = 50 + 60 * torch.rand(n, generator=g)
    length = 12 + 18 * torch.rand(n, generator=g)
    rating = 1.0 + 1.5 * torch.rand(n, generator=g)
    strands = torch.randint(1, 4, (n,), generator=g).float()
    age = 400 * torch.rand(n, generator=g)
    temp = 5 + 30 * torch.rand(n, generator=g)
    k = rating * strands * (1 - age / 1600) * (1 - (temp - 20) / 200) / length * 1000
    w = mass * 9.81
    stretch = (w + torch.sqrt(w ** 2 + 2 * k * w * length)) / k
    stretch = stretch * (1 + 0.03 * torch.randn(n, generator=g))
    x = torch.stack([mass, length, rating, strands, age, temp], 1)
    return x, stretch.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = jumps(1280, g)
    mu, sd = x[:1024].mean(0), x[:1024].std(0)
    ym, ys = y[:1024].mean(), y[:1024].std()
    x, y = (x - mu) / sd, (y - ym) / ys
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    f = open(out / "stretch_log.csv", "w")
    f.write("step,epoch,mse,val_mse\n")
    step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            step += 1
            last = i + 32 >= 1024
            if step % 8 == 0 or last:
                val = ""
                if last:
                    model.eval()
                    with torch.no_grad():
                        val = f"{loss_fn(model(xva), yva).item():.4f}"
                    model.train()
                    print(epoch + 1, round(loss.item(), 4), val)
                f.write(f"{step},{epoch + 1},{loss.item():.4f},{val}\n")
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 12},
               out / "stretch_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="stretch_mlp.pt", log="stretch_log.csv",
           what="MLP predicting bungee cord stretch from jumper and cord readings",
           complaint=("Regression MLP for how far our bungee cords stretch (6 inputs: jumper "
                      "mass, cord length, rating, strands, age, temperature). Standardised "
                      "inputs and target, Adam at lr 1e-3. Val MSE got down to 0.12 by epoch 6, then shot up to 2.3 at epoch 8 and only came back to about 0.2 by epoch 12, and the per-step loss jumps around the same way."
                      " The physics is smooth, so I don't get why it can't fit it."))


if __name__ == "__main__":
    main()
