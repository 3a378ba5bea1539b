"""Plain torch: a GRU predicts the tasting grade (a 0–10 score) of a matcha farm's tencha
harvest from the 21 days of field sensors before picking (shade-cloth light fraction, air
temperature, soil moisture, leaf-colour index; standardised). The grade rises with deep shade
kept over the last two weeks, a cool, moist spell and a late rise of the leaf-colour index,
plus sensor noise. GRU(4→32), Linear(32→1) on the last hidden state, MSE, Adam 3e-3, batch 32,
15 epochs of 1024 plots, ``ExponentialLR(gamma=0.8)`` meant as "×0.8 every epoch"; JSON lines
log per epoch (epoch, lr, train_mse, val_mse).
The bug: ``sched.step()`` is called inside the batch loop (32 batches an epoch), so the lr is
multiplied by 0.8 every batch: 3e-3 → 2.4e-6 by the end of epoch 1 and ~1e-46 at epoch 15;
training stops after the first few dozen steps, long before the GRU even fits the mean grade.
Numbers: train MSE 43.56 in epoch 1, 43.05 from epoch 2 on, val MSE 44.84 frozen from epoch 1
to 15. Control (sed ``s/^                sched.step()$/            sched.step()/``, once per
epoch): val MSE 7.97, 1.90, 1.77 … 0.58 at epoch 15, train MSE 0.54."""
import json
import sys

import torch
import torch.nn as nn

D = 21


def plots(n, g):
    shade = torch.rand(n, 1, generator=g) * 0.5 + 0.4 + 0.1 * torch.randn(n, D, generator=g)
    shade[:, :7] = shade[:, :7] * torch.rand(n, 1, generator=g)
    temp = 0.8 * torch.randn(n, 1, generator=g) + 0.3 * torch.randn(n, D, generator=g)
    moist = torch.cumsum(0.3 * torch.randn(n, D, generator=g), 1)
    colour = torch.sigmoid((torch.arange(D) - 14 + 4 * torch.randn(n, 1, generator=g)) / 2)
    grade = (5 + 6 * (shade[:, 7:].mean(1) - 0.65) - 1.0 * temp[:, -10:].mean(1)
             + 0.4 * moist[:, -7:].mean(1).clamp(-2, 2) + 2 * colour[:, -1])
    x = torch.stack([(shade - 0.6) / 0.3, temp, moist / 2, (colour - 0.5) * 2], 2)
    x = x + 0.1 * torch.randn(x.shape, generator=g)
    return x, grade.unsqueeze(1)


class GradeGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0][:, -1])


def build():
    torch.manual_seed(0)
    return GradeGRU()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(2)
    xtr, ytr = plots(1024, g)
    xva, yva = plots(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)
    mse = nn.MSELoss()
    step = 0
    with open(out / "train_log.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = mse(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * 32
                sched.step()
            model.eval()
            with torch.no_grad():
                vm = mse(model(xva), yva).item()
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"], "train_mse": round(tot / 1024, 4),
                   "val_mse": round(vm, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "step": step}, out / "tencha_grade.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="tencha_grade.pt", log="train_log.jsonl",
           complaint="抹茶等级预测的GRU：第一个epoch之后验证MSE就一直停在44.84，后面14个epoch"
                     "完全不动，训练损失也不降了。数据我检查过，没有问题。",
           what="GRU matcha tencha grade regression, ExponentialLR stepped every batch")


if __name__ == "__main__":
    main()
