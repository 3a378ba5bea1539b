"""Plain torch loop: an MLP forecasts a Bollywood studio film's opening-week collection
(crore rupees) from the release's features: screens (thousands), star power index, music
streams before release (millions), trailer views (millions), festival-weekend flag, sequel flag,
budget (crore) and runtime (hours). The collection is a sum of those effects with an interaction
(star power × screens) and word-of-mouth noise.
MLP 8→64→64→1 (ReLU), SGD momentum 0.9, batch 32, 15 epochs of 1024 films, MSE on crores.
The bug: the inputs and the target are left in their raw units (target in crores, up to ~150)
and the learning rate is copied from a classification notebook, ``lr=0.02`` with momentum
0.9, no clipping: the first updates are enormous, loss 3313 at step 1, 2.3e+14 at step 2 (grad norm
1e+4 then 2.5e+13), inf at step 3, nan from step 4 to the end; val MSE nan every epoch.
Control (``sed -i 's/lr=0.02,/lr=2e-5,/'``): no blow-up, val MSE 293 → 166 over 15 epochs
(noisy, target variance 388), step loss 120-460.
Checkpoint ``{"net", "opt", "epoch"}``; log: CSV, per step (``step,loss,grad_norm``) plus a
``val_mse`` column every 32 steps (end of each epoch)."""
import torch
import torch.nn as nn


def films(n, g):
    screens = 1 + 4 * torch.rand(n, generator=g)
    star = 10 * torch.rand(n, generator=g)
    music = 50 * torch.rand(n, generator=g)
    trailer = 80 * torch.rand(n, generator=g)
    fest = (torch.rand(n, generator=g) < 0.3).float()
    sequel = (torch.rand(n, generator=g) < 0.2).float()
    budget = 20 + 180 * torch.rand(n, generator=g)
    runtime = 2 + 1.0 * torch.rand(n, generator=g)
    y = (1.2 * star * screens + 0.4 * music + 0.3 * trailer + 15 * fest + 12 * sequel
         + 0.1 * budget - 4 * (runtime - 2.5))
    y = y + 6 * torch.randn(n, generator=g)
    x = torch.stack([screens, star, music, trailer, fest, sequel, budget, runtime], 1)
    return x, y[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = films(1024, g)
    xva, yva = films(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    lines = ["step,loss,grad_norm,val_mse"]
    step = 0
    for epoch in range(15):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
            opt.step()
            step += 1
            val = ""
            if i + 32 >= 1024:
                model.eval()
                with torch.no_grad():
                    val = f"{nn.functional.mse_loss(model(xva), yva).item():.4g}"
                print(epoch + 1, loss.item(), gn, val)
            lines.append(f"{step},{loss.item():.6g},{gn:.6g},{val}")
    (out / "opening_week.csv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 15},
               out / "boxoffice_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="boxoffice_mlp.pt", log="opening_week.csv",
           what="Bollywood opening-week MLP on raw crore targets, SGD lr too high: blows up to nan",
           complaint=("Trying to forecast opening-week collection (in crore) for our studio's "
                      "releases from screens, star index, music streams, trailer views etc. "
                      "Training goes crazy within the first epoch - loss jumps to huge numbers "
                      "and then every line in the log is nan, val_mse nan for all 15 epochs. "
                      "Data has no nans, I checked. What happened?"))


if __name__ == "__main__":
    main()
