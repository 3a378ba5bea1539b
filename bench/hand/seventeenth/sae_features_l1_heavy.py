"""A sparse autoencoder (dictionary learning) on 64-dimensional "activation" vectors recorded
from a model: each vector is a sum of up to 5 (4 on average) of 128 feature directions with positive
magnitudes, plus noise. Encoder ``Linear(64, 256)`` + ReLU gives the codes, a linear decoder
rebuilds the vector; loss = reconstruction MSE + ``L1_COEFF`` * the mean L1 norm of the codes.
RMSprop 1e-3, batch 128, 15 epochs over 8000 vectors, 1000 held out; the log
(``sae_metrics.jsonl``) has the loss, its two parts, the val MSE, the fraction of variance the
reconstruction explains, the mean number of active codes (L0) and the fraction of codes that
never fire on the val set.
Bug: ``L1_COEFF = 1.0`` (the author took the coefficient from a write-up whose MSE is summed
over the 64 dimensions; with a mean MSE it weighs the sparsity 64x more), so the penalty wins
from the first epoch: the codes shrink to nothing (L1 2.42 -> 0.0000, L0 9.1 -> 0.28, 34 %
of the codes dead), the decoder outputs its bias, and the val MSE sits at the data's variance
(0.0685 from epoch 2; explained variance 0.012 -> 0.0002) while the total loss falls 2.49 ->
0.068 and looks converged. Control (``L1_COEFF = 0.01``): val MSE 0.0158 and still falling,
explained variance 0.77, L0 18.0, 25 % dead codes."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

L1_COEFF = 1.0


def activations(n, g, atoms):
    idx = torch.rand(n, 128, generator=g).argsort(1)[:, :5]
    keep = torch.rand(n, 5, generator=g) < 0.8
    mag = (0.5 + torch.rand(n, 5, generator=g)) * keep
    x = (mag[..., None] * atoms[idx]).sum(1)
    return x + 0.05 * torch.randn(n, 64, generator=g)


class SparseAE(nn.Module):
    def __init__(self, d=64, m=256):
        super().__init__()
        self.enc = nn.Linear(d, m)
        self.dec = nn.Linear(m, d)

    def forward(self, x):
        codes = F.relu(self.enc(x))
        return self.dec(codes), codes


def build():
    torch.manual_seed(0)
    return SparseAE()


def main():
    from _seventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    atoms = F.normalize(torch.randn(128, 64, generator=g), dim=1)
    x = activations(9000, g, atoms)
    tx, vx = x[:8000], x[8000:]
    var = vx.var(0).sum().item() / 64
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "sae_metrics.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            sums = torch.zeros(3)
            for idx in torch.randperm(8000, generator=g).split(128):
                recon, codes = model(tx[idx])
                mse = F.mse_loss(recon, tx[idx])
                l1 = codes.abs().sum(1).mean()
                loss = mse + L1_COEFF * l1
                opt.zero_grad()
                loss.backward()
                opt.step()
                sums += torch.tensor([loss.item(), mse.item(), l1.item()]) * len(idx)
            model.eval()
            with torch.no_grad():
                recon, codes = model(vx)
                vmse = F.mse_loss(recon, vx).item()
            loss, mse, l1 = (sums / 8000).tolist()
            row = {"epoch": epoch, "loss": round(loss, 4), "mse": round(mse, 4),
                   "l1": round(l1, 4), "val_mse": round(vmse, 4),
                   "explained_var": round(1 - vmse / var, 4),
                   "l0": round((codes > 0).float().sum(1).mean().item(), 2),
                   "dead_frac": round((codes.max(0).values <= 0).float().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"state_dict": model.state_dict(), "opt_state": opt.state_dict(),
                "l1_coeff": L1_COEFF, "epoch": epoch}, out / "sae.pt")
    finish(out, __file__, (vx[:128], vx[:128]),
           causes=["over_regularization"], checkpoint="sae.pt", log="sae_metrics.jsonl",
           what="sparse autoencoder, L1 coefficient 1.0 on a mean MSE: every code dead",
           complaint="稀疏自编码器几乎没有特征激活（L0 只有 0.28），重建误差停在数据的方差上，"
                     "解释方差是 0，损失看起来却已经收敛了")


if __name__ == "__main__":
    main()
