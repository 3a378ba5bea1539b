"""Plain torch: an autoencoder learns the fatty-acid profiles of the fat charges a soap-boiler
buys in, so a delivery of "tallow" cut with cheaper oils shows up as a profile it cannot
rebuild. Each sample is the gas-chromatograph profile of a charge (10 fatty acids, % of
total: caprylic, capric, lauric, myristic, palmitic, palmitoleic, stearic, oleic, linoleic,
ricinoleic), made by mixing the book profiles of tallow, lard, coconut, palm kernel, olive
and castor oil in the blends a soapery buys (mostly tallow and lard, some coconut / palm
kernel, a little olive or castor), with GC noise (0.4 % absolute, 3 % relative).
Input: (10,) standardised with the train mean / std. Model: 10→64→32→3 (code) →32→64→10,
the activation ``ACT`` after every hidden layer; MSE reconstruction, SGD 0.05 (momentum 0.9,
Nesterov), batch 32, 25 epochs, 1800 charges, validation on 450.
The bug: ``ACT = nn.Sigmoid``: five stacked sigmoids (outputs all positive around 0.5,
slope at most 0.25) behind plain default init; the gradient reaching the encoder is tiny,
the three code units end at 0.46-0.52 with almost no spread over charges (std 0.001-0.005)
and the decoder gives the same profile for every charge (std over the batch 2e-5), so the
autoencoder stays on the mean profile the whole run: train
MSE 1.018 → 1.004 (1.0 is the mean profile's), val MSE 1.287 → 1.206 (control,
``ACT = nn.ReLU``: train MSE 0.977 → 0.066, val MSE 0.970 → 0.070).
Log: JSON lines every 15 steps ``ae_steps.jsonl`` (``{"step", "epoch", "recon"}``) and one
JSON line per epoch ``ae_epochs.jsonl`` (``{"epoch", "train_recon", "val_recon",
"val_recon_worst_acid"}``); checkpoint ``fat_ae.bin`` with keys ``autoencoder`` /
``sgd_momentum`` / ``epoch`` / ``acids`` / ``profile_mean`` / ``profile_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ACIDS = ["C8", "C10", "C12", "C14", "C16", "C16:1", "C18", "C18:1", "C18:2", "C18:1-OH"]
BOOK = torch.tensor([  # % of total fatty acids
    [0, 0, 0, 3, 26, 3, 22, 42, 4, 0],  # tallow
    [0, 0, 0, 2, 25, 3, 13, 46, 11, 0],  # lard
    [8, 7, 48, 18, 9, 0, 3, 6, 2, 0],  # coconut
    [4, 4, 48, 16, 8, 0, 3, 15, 2, 0],  # palm kernel
    [0, 0, 0, 0, 12, 1, 3, 74, 10, 0],  # olive
    [0, 0, 0, 0, 1, 0, 1, 4, 5, 89],  # castor
], dtype=torch.float)
ACT = nn.Sigmoid  # squashing activation between the layers


def charges(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w = -torch.log(r(n, 6)) * torch.tensor([3.0, 2.0, 0.8, 0.6, 0.5, 0.2])
    w = w * (r(n, 6) < torch.tensor([1.0, 0.8, 0.5, 0.4, 0.3, 0.2])).float()
    w[:, 0] += 0.05
    w = w / w.sum(1, keepdim=True)
    prof = w @ BOOK
    prof = prof * (1 + 0.03 * torch.randn(n, 10, generator=g)) + 0.4 * torch.randn(n, 10, generator=g)
    return prof.clamp(min=0)


class FatAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(10, 64), ACT(), nn.Linear(64, 32), ACT(),
                                 nn.Linear(32, 3), ACT())
        self.dec = nn.Sequential(nn.Linear(3, 32), ACT(), nn.Linear(32, 64), ACT(),
                                 nn.Linear(64, 10))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return FatAE()


def main():
    from _threehundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr, pva = charges(1800, g), charges(450, g)
    mu, sd = ptr.mean(0), ptr.std(0)
    xtr, xva = (ptr - mu) / sd, (pva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    step = 0
    with open(out / "ae_steps.jsonl", "w") as fs, open(out / "ae_epochs.jsonl", "w") as fe:
        for epoch in range(25):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                if step % 15 == 0:
                    fs.write(json.dumps({"step": step, "epoch": epoch,
                                         "recon": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                err = (model(xva) - xva) ** 2
            rec = {"epoch": epoch, "train_recon": round(tot / len(xtr), 6),
                   "val_recon": round(err.mean().item(), 6),
                   "val_recon_worst_acid": round(err.mean(0).max().item(), 6)}
            fe.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"autoencoder": model.state_dict(), "sgd_momentum": opt.state_dict(),
                "epoch": 25, "acids": ACIDS, "profile_mean": mu, "profile_std": sd},
               out / "fat_ae.bin")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["saturating_activation"],
           checkpoint="fat_ae.bin", log="ae_epochs.jsonl",
           what="autoencoder of fat-charge fatty-acid profiles for a soapery; sigmoid after"
                " every hidden layer",
           complaint="我们用自编码器学习进厂油脂（牛油、猪油、椰子油等）的脂肪酸谱，想用重建误差"
                     "发现掺假的牛油。训练了 25 个 epoch，训练集重建 MSE 一直在 1.0 左右（数据已"
                     "标准化），验证集停在 1.2 上下，基本不降；输出的谱几乎每个样本都一样。")


if __name__ == "__main__":
    main()
