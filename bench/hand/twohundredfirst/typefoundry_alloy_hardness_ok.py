"""Plain torch: an MLP predicts the Brinell hardness (HB) of freshly cast foundry type from the
typefoundry's casting record: tin, antimony and copper content of the type metal (%), pot and
mould temperature (°C) and casting speed (sorts per minute). Hardness rises with antimony (with
a saturating curve), tin and copper, and drops a little with a hot mould and slow casting; 0.8 HB
of measurement noise. Inputs standardised with the training mean and std; the target is in HB.
MLP 6-48-48-1, Adam 6e-3, batch 64, 40 epochs of 1200 castings, shuffled; per-epoch TSV log.
Healthy: val MSE 196 after epoch 1 (the target sits at ~25 HB, far from the zero the net starts
at), 9.5 at epoch 5, 4.4 at 10, 1.44 at 20, 0.82 at 40 (val MAE 0.74 HB; the noise floor is
0.64); slow but steady, the train MSE (0.69 at the end) just under the val MSE."""
import torch
import torch.nn as nn


def castings(n, g):
    tin = 2 + 10 * torch.rand(n, generator=g)
    sb = 10 + 18 * torch.rand(n, generator=g)
    cu = 2 * torch.rand(n, generator=g)
    pot = 360 + 15 * torch.randn(n, generator=g)
    mould = 40 + 8 * torch.randn(n, generator=g)
    speed = 40 + 100 * torch.rand(n, generator=g)
    hb = (8 + 12 * (1 - torch.exp(-(sb - 8) / 9)) + 0.55 * tin + 2.2 * cu
          - 0.08 * (mould - 40) + 0.02 * (speed - 90) - 0.01 * (pot - 360)
          + 0.8 * torch.randn(n, generator=g))
    return torch.stack([tin, sb, cu, pot, mould, speed], 1), hb[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                         nn.Linear(48, 1))


def main():
    from _twohundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = castings(1500, g)
    mu, sd = x[:1200].mean(0), x[:1200].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:1200], y[:1200], x[1200:], y[1200:]
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True,
                                        generator=torch.Generator().manual_seed(1))
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=6e-3)
    log = ["epoch\ttrain_mse\tval_mse\tval_mae"]
    for epoch in range(1, 41):
        net.train()
        tot = 0.0
        for xb, yb in train:
            loss = nn.functional.mse_loss(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        net.eval()
        with torch.no_grad():
            pv = net(xva)
        vm = nn.functional.mse_loss(pv, yva).item()
        va = (pv - yva).abs().mean().item()
        log.append(f"{epoch}\t{tot / len(xtr):.4f}\t{vm:.4f}\t{va:.4f}")
        print(log[-1])
    (out / "hardness_log.tsv").write_text("\n".join(log) + "\n")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 40,
                "x_mean": mu, "x_std": sd}, out / "hardness_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="hardness_mlp.pth",
           log="hardness_log.tsv",
           what="MLP regressing cast type hardness (HB) from type-metal alloy and casting record"
                " (healthy)")


if __name__ == "__main__":
    main()
