"""Learned ISTA (LISTA) written by hand: recover 4-sparse codes of length 64 from 32 noisy
compressed measurements y = A x + noise (A Gaussian with unit-norm columns, noise std 0.02,
non-zero entries ±(0.5..1.5)). Six unrolled layers x_{t+1} = soft(W y + S x_t, theta_t), W and S
learned per layer and started from ISTA's A^T / L and I - A^T A / L, one learned threshold per
layer. MSE on the codes, Adam 2e-3, batch 128, 24 epochs over 6000 training problems, 1000
held-out ones; the log is a CSV per epoch (train MSE, val MSE, val NMSE in dB, support
recovery F1). Healthy: val NMSE -8.6 dB after one epoch, -18.9 dB at the end and flattening
(the last four epochs within 0.2 dB), support F1 0.98; the val MSE sits about twice the train
MSE (37 k weights on 6000 problems), and wobbles by a few tenths of a dB."""
import csv

import torch
import torch.nn as nn

N, M, K, LAYERS = 64, 32, 4, 6


def problems(n, A, g):
    support = torch.rand(n, N, generator=g).argsort(1)[:, :K]
    amp = (0.5 + torch.rand(n, K, generator=g)) * torch.sign(torch.randn(n, K, generator=g))
    x = torch.zeros(n, N).scatter_(1, support, amp)
    y = x @ A.T + 0.02 * torch.randn(n, M, generator=g)
    return y, x


def sensing_matrix():
    g = torch.Generator().manual_seed(123)
    A = torch.randn(M, N, generator=g)
    return A / A.norm(dim=0, keepdim=True)


def soft(v, theta):
    return torch.sign(v) * torch.relu(v.abs() - theta)


class LISTA(nn.Module):
    def __init__(self, A):
        super().__init__()
        L = float(torch.linalg.matrix_norm(A, 2) ** 2)
        self.W = nn.ParameterList([nn.Parameter(A.T.clone() / L) for _ in range(LAYERS)])
        self.S = nn.ParameterList([nn.Parameter(torch.eye(N) - A.T @ A / L)
                                   for _ in range(LAYERS)])
        self.theta = nn.Parameter(torch.full((LAYERS,), 0.1 / L))

    def forward(self, y):
        x = soft(y @ self.W[0].T, self.theta[0])
        for t in range(1, LAYERS):
            x = soft(y @ self.W[t].T + x @ self.S[t].T, self.theta[t])
        return x


def build():
    torch.manual_seed(0)
    return LISTA(sensing_matrix())


def nmse_db(xh, x):
    return (10 * torch.log10(((xh - x) ** 2).sum() / (x ** 2).sum())).item()


def f1(xh, x):
    p, t = xh.abs() > 0.1, x != 0
    tp = (p & t).sum().item()
    return 2 * tp / max(p.sum().item() + t.sum().item(), 1)


def main():
    from _fortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    A = sensing_matrix()
    ytr, xtr = problems(6000, A, g)
    yva, xva = problems(1000, A, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "lista_log.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "step", "train_mse", "val_mse", "val_nmse_db", "val_support_f1"])
        for epoch in range(24):
            perm = torch.randperm(6000, generator=g)
            tot = 0.0
            for i in range(0, 6000, 128):
                idx = perm[i:i + 128]
                loss = ((model(ytr[idx]) - xtr[idx]) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                step += 1
            with torch.no_grad():
                xh = model(yva)
                vm = ((xh - xva) ** 2).mean().item()
            w.writerow([epoch, step, round(tot / 6000, 6), round(vm, 6),
                        round(nmse_db(xh, xva), 3), round(f1(xh, xva), 4)])
            print(epoch, round(tot / 6000, 6), round(vm, 6), round(nmse_db(xh, xva), 2),
                  round(f1(xh, xva), 3))
    torch.save({"lista": model.state_dict(), "adam": opt.state_dict(), "step": step},
               out / (f"lista_step{step}.pt"))
    finish(out, __file__, (yva[:128], xva[:128]), causes=[],
           checkpoint=f"lista_step{step}.pt", log="lista_log.csv",
           what="hand-written LISTA, 6 unrolled layers, compressed sensing (healthy)")


if __name__ == "__main__":
    main()
